import CBLAS
import Foundation
import PINN

/// `pinn-bench cholesky [--threads N] [--repeats R] [--sizes n,n,…]`: the Levenberg–Marquardt phase's
/// factorisation of JᵀJ + λI at the parameter counts of its networks, LAPACK's `dpotrf` (single-threaded, as the
/// engine runs BLAS) against `TiledCholesky` on one thread and on N. Median of R factorisations each; GFLOP/s at
/// n³/3 flops.
enum CholeskyBenchmark {
    static func run(_ arguments: [String]) {
        var threads = 2, repeats = 7
        var sizes = [1_341, 2_941, 3_021, 5_000]
        var args = arguments.makeIterator()
        while let flag = args.next() {
            switch flag {
            case "--threads": threads = Int(args.next() ?? "") ?? threads
            case "--repeats": repeats = Int(args.next() ?? "") ?? repeats
            case "--sizes": sizes = (args.next() ?? "").split(separator: ",").compactMap { Int($0) }
            default:
                FileHandle.standardError.write(Data("pinn-bench cholesky: unknown argument \(flag)\n".utf8))
                exit(2)
            }
        }
        BLASThreading.useSingleThread()
        print("| n | dpotrf (ms) | GFLOP/s | tiled, 1 thread (ms) | GFLOP/s | tiled, \(threads) threads (ms) | GFLOP/s | dpotrf / tiled |")
        print("|---|---|---|---|---|---|---|---|")
        for n in sizes {
            let a = matrix(n)
            let flops = Double(n) * Double(n) * Double(n) / 3
            let lapack = median(repeats, a) { u in
                var (order, lda, info) = (Int32(n), Int32(n), Int32(0))
                "U".withCString { dpotrf_($0, &order, u, &lda, &info) }
                precondition(info == 0)
            }
            let one = median(repeats, a) { u in precondition(TiledCholesky.factor(u, n: n, threads: 1)) }
            let many = median(repeats, a) { u in precondition(TiledCholesky.factor(u, n: n, threads: threads)) }
            print(String(format: "| %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f× |", n, lapack * 1e3, flops / lapack / 1e9,
                         one * 1e3, flops / one / 1e9, many * 1e3, flops / many / 1e9, lapack / many))
        }
    }

    /// A = G + n·I with G = BᵀB of a random n × n B scaled by 1/n: symmetric positive definite (column-major).
    static func matrix(_ n: Int) -> [Double] {
        var generator = SeededGenerator(seed: 3)
        let b = (0..<(n * n)).map { _ in (generator.nextUnit() - 0.5) / Double(n).squareRoot() }
        var a = [Double](repeating: 0, count: n * n)
        b.withUnsafeBufferPointer { bp in
            a.withUnsafeMutableBufferPointer { ap in
                cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(n), Int32(n), 1, bp.baseAddress!, Int32(n), 0,
                            ap.baseAddress!, Int32(n))
            }
        }
        for i in 0..<n { a[i * n + i] += 1 }
        return a
    }

    /// The median wall time of `repeats` runs of `body` on fresh copies of `a` (the copy is not timed).
    static func median(_ repeats: Int, _ a: [Double], _ body: (UnsafeMutablePointer<Double>) -> Void) -> Double {
        var times: [Double] = []
        for _ in 0..<max(repeats, 1) {
            var u = a
            times.append(u.withUnsafeMutableBufferPointer { p in BenchmarkCommand.seconds { body(p.baseAddress!) } })
        }
        return times.sorted()[times.count / 2]
    }
}
