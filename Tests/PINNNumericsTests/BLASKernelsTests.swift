@testable import PINNNumerics
import Testing

/// The kernel choice of `BLASKernels`: better kernels are asked for only where the CPU has the instructions and
/// OpenBLAS chose kernels without them.
@Suite struct BLASKernelsTests {
    static let avx512: Set<String> = ["sse3", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl"]
    static let avx2: Set<String> = ["sse3", "avx", "avx2", "fma"]

    @Test func genericKernelsOnAnAVX512CPUAskForSkylakeX() {
        #expect(BLASKernels.preferred(core: "Prescott", flags: Self.avx512) == "SkylakeX")
        #expect(BLASKernels.preferred(core: "Haswell", flags: Self.avx512) == "SkylakeX")
    }

    @Test func genericKernelsOnAnAVX2CPUAskForHaswell() {
        #expect(BLASKernels.preferred(core: "Prescott", flags: Self.avx2) == "Haswell")
        #expect(BLASKernels.preferred(core: "Nehalem", flags: Self.avx2) == "Haswell")
    }

    @Test func rightKernelsAndOldCPUsAreLeftAlone() {
        for core in ["SkylakeX", "Cooperlake", "SAPPHIRERAPIDS"] { #expect(BLASKernels.preferred(core: core, flags: Self.avx512) == nil) }
        for core in ["Haswell", "Zen", "SkylakeX"] { #expect(BLASKernels.preferred(core: core, flags: Self.avx2) == nil) }
        #expect(BLASKernels.preferred(core: "Prescott", flags: ["sse3", "avx"]) == nil)
        #expect(BLASKernels.preferred(core: "Prescott", flags: []) == nil)
    }

    @Test func thisMachinesFlagsAreRead() {
        #expect(BLASKernels.cpuFlags().contains("sse2"), "every x86-64 CPU has SSE2")
        #expect(!BLASKernels.core.isEmpty)
    }
}
