import CBLAS
import Foundation

/// Which of OpenBLAS' kernels this process runs, and the fix when OpenBLAS chose wrong.
///
/// Debian's OpenBLAS is built with DYNAMIC_ARCH: when the library loads, before `main`, it picks its kernels from
/// the CPU's family and model numbers. A virtual CPU that reports a model OpenBLAS 0.3.21 does not know ("Intel(R)
/// Xeon(R) Processor") gets its generic SSE3 kernels, "Prescott", even where AVX-512 is there: measured
/// 2026-12-07 on such a machine, DGEMM at 8 GFLOP/s a core instead of 38 with the SkylakeX kernels, and the
/// default Burgers job 2.7× slower (docs/performance.md, "OpenBLAS' kernel choice"). Only the environment variable
/// OPENBLAS_CORETYPE, read at load time, overrides that choice; so an executable that finds itself on kernels
/// below what its CPU supports sets it and starts itself again (`reexecIfMisdetected`).
public enum BLASKernels {
    /// The kernels OpenBLAS chose for this process ("Prescott", "Haswell", "Zen", "SkylakeX", "Cooperlake", …).
    public static var core: String { String(cString: openblas_get_corename()) }

    /// Kernels the CPU's instruction sets support that are better than `core`: "SkylakeX" on a CPU with AVX-512
    /// (F, BW, DQ, VL) and kernels without it, "Haswell" on a CPU with AVX2 and FMA and kernels without them; nil
    /// when `core` already uses what the CPU has (or the flags cannot be read).
    public static var preferredCore: String? {
        preferred(core: core, flags: cpuFlags())
    }

    static func preferred(core: String, flags: Set<String>) -> String? {
        let avx512Cores: Set<String> = ["skylakex", "cooperlake", "sapphirerapids"]
        let avx2Cores = avx512Cores.union(["haswell", "zen"])
        let name = core.lowercased()
        if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512dq", "avx512vl"]) && !avx512Cores.contains(name) {
            return "SkylakeX"
        }
        if flags.isSuperset(of: ["avx2", "fma"]) && !avx2Cores.contains(name) { return "Haswell" }
        return nil
    }

    /// The CPU's feature flags, from the first "flags" line of /proc/cpuinfo (empty where there is none).
    static func cpuFlags() -> Set<String> {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }

    /// When OpenBLAS runs kernels below what the CPU supports and OPENBLAS_CORETYPE is not set: sets it to the
    /// preferred kernels and executes this program again with the same arguments (the process is replaced; this
    /// returns only when nothing needed doing, or the exec failed). `note` receives one line saying what was done,
    /// before the exec. Call it first thing in `main`, before any thread or file is opened.
    public static func reexecIfMisdetected(note: (String) -> Void = { _ in }) {
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil, let better = preferredCore else { return }
        note("OpenBLAS chose its \(core) kernels on a CPU with \(better == "SkylakeX" ? "AVX-512" : "AVX2"): "
             + "running again with OPENBLAS_CORETYPE=\(better) (set OPENBLAS_CORETYPE to choose otherwise)")
        setenv("OPENBLAS_CORETYPE", better, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        note("could not run again (errno \(errno)); going on with the \(core) kernels")
    }
}
