import Dispatch
import Foundation
import PINN

/// Times the loss-and-gradient evaluation (the whole cost of an Adam iteration) and the GEMMs it is built on.
enum BenchmarkCommand {
    struct Options {
        var points = 10_000
        var boundary = 200
        var hidden = Array(repeating: 20, count: 8)
        var threads = 2
        var repeats = 30
        var modes = AdaptiveMode.allCases
        var precisions = ["double", "float"]
        /// Also print one `RESULT {json}` line per measurement (for scripts).
        var json = false
        /// Also time a dense quasi-Newton iteration's work on H at this network's parameter count.
        var quasiNewton = false
    }

    static func run(_ arguments: [String]) {
        var options = Options()
        var args = arguments.dropFirst().makeIterator()
        while let flag = args.next() {
            switch flag {
            case "--points": options.points = Int(args.next() ?? "") ?? options.points
            case "--threads": options.threads = Int(args.next() ?? "") ?? options.threads
            case "--repeats": options.repeats = Int(args.next() ?? "") ?? options.repeats
            case "--mode": options.modes = [AdaptiveMode(rawValue: args.next() ?? "") ?? .neuron]
            case "--precision": options.precisions = [args.next() ?? "double"]
            case "--json": options.json = true
            case "--layers":
                options.hidden = Array(repeating: options.hidden[0], count: Int(args.next() ?? "") ?? options.hidden.count)
            case "--width":
                options.hidden = Array(repeating: Int(args.next() ?? "") ?? 20, count: options.hidden.count)
            case "--quasi-newton": options.quasiNewton = true
            default:
                print("usage: pinn-bench [--points N] [--layers L] [--width W] [--threads K] [--repeats R] [--mode M] [--precision P] "
                      + "[--quasi-newton] [--json]")
                return
            }
        }
        BLASThreading.useSingleThread()
        print("Burgers PINN \(options.hidden.count)×\(options.hidden[0]) tanh, \(options.points) collocation + "
              + "\(2 * options.boundary) condition points, \(options.threads) threads; medians of \(options.repeats)")
        print("streams: u, u_x, u_t, u_xx (S = 4). GFLOP per iteration counts the GEMMs of docs/design.md §6.")
        print("OpenBLAS kernels: \(BLASKernels.core)")
        for precision in options.precisions {
            if precision == "float" { measure(Float.self, options) } else { measure(Double.self, options) }
        }
    }

    /// Forward, W̄ and H̄ GEMMs over the stacked streams of every layer.
    static func gemmFlops(_ o: Options) -> Double {
        let widths = [2] + o.hidden + [1]
        var flops = 0.0
        let rows = Double(4 * o.points + 2 * o.boundary)
        for k in 1..<widths.count where k > 1 { flops += 3 * 2 * rows * Double(widths[k] * widths[k - 1]) }
        return flops
    }

    static func measure<T: PINNScalar>(_: T.Type, _ o: Options) {
        // The burgers preset as users get it: residuals compiled from the spec's expressions.
        let problem = try! ProblemBuilder.make(ProblemPresets.spec(named: "burgers")!)
        var generator = SeededGenerator(seed: 1)
        let points = TrainingPoints(problem: problem, interiorCount: o.points, faceCount: o.boundary,
                                    method: .lhs, generator: &generator)
        let ceiling = gemmCeiling(T.self, o)
        print("\n\(T.precisionName): GEMM ceiling at these shapes (1 thread per shard, \(o.threads) shards): "
              + String(format: "%.1f GFLOP/s", ceiling))
        print("mode     ms/iter   GFLOP/s  (GEMM share of the ceiling)")
        for mode in o.modes {
            let architecture = NetworkArchitecture(inputs: 2, outputs: 1, hidden: o.hidden, adaptive: mode,
                                                   scale: mode == .fixed ? 1 : 10)
            let network = Network<T>(architecture: architecture, lower: problem.lower, upper: problem.upper,
                                     generator: &generator)
            let loss = PINNLoss<T>(problem: problem, architecture: architecture, points: points,
                                   slopeRecoveryWeight: 1, threads: o.threads)
            var gradient = [T](repeating: 0, count: network.parameters.count)
            _ = loss.evaluate(network.parameters, gradient: &gradient)
            let times = (0..<o.repeats).map { _ in
                seconds { _ = loss.evaluate(network.parameters, gradient: &gradient) }
            }
            let median = times.sorted()[times.count / 2]
            let gflops = gemmFlops(o) / median / 1e9
            print(String(format: "%-8@ %7.2f   %7.1f  (%.0f%%)", mode.rawValue as NSString, median * 1e3, gflops,
                         100 * gflops / ceiling))
            if o.json {
                print(#"RESULT {"precision": "\#(T.precisionName)", "mode": "\#(mode.rawValue)", "threads": \#(o.threads), "points": \#(o.points), "depth": \#(o.hidden.count), "width": \#(o.hidden[0]), "ms_per_iteration": \#(median * 1e3)}"#)
            }
            if o.quasiNewton { measureQuasiNewton(parameters: network.parameters.count, o) }
        }
    }

    /// The work a dense quasi-Newton iteration does on H (one `dsymv`, one rank-2 `dsyr2k` update, the vector
    /// algebra) at n parameters, timed on an objective whose evaluation costs nothing by comparison
    /// (f = ½Σ dᵢxᵢ², dᵢ spread over two decades).
    static func measureQuasiNewton(parameters n: Int, _ o: Options) {
        let d = (0..<n).map { 1 + 99 * Double($0) / Double(n) }
        var optimizer = DenseQuasiNewton(parameterCount: n, update: .ssbroyden)
        var x = (0..<n).map { 1 + Double($0 % 7) / 7 }
        let steps = max(o.repeats, 20)
        let total = seconds {
            for _ in 0..<steps {
                _ = optimizer.step(parameters: &x) { x, g in
                    var f = 0.0
                    for i in 0..<n { g[i] = d[i] * x[i]; f += 0.5 * d[i] * x[i] * x[i] }
                    return f
                }
            }
        }
        let c = optimizer.counters
        // What a checkpoint of this phase costs: encoding the state (H's upper triangle as raw bytes) as JSON.
        var bytes = 0
        let encode = seconds { bytes = (try? JSONEncoder().encode(optimizer).count) ?? 0 }
        print(String(format: "  quasi-Newton work on H at n = %d (%.0f MB): %.2f ms per update, %.2f ms per iteration "
                     + "with a free objective (%d iterations, %d skipped)", n, Double(DenseQuasiNewton.memoryBytes(parameterCount: n)) / 1e6,
                     c.updateSeconds * 1e3 / Double(max(c.iterations - c.skippedUpdates, 1)),
                     total * 1e3 / Double(steps), c.iterations, c.skippedUpdates))
        print(String(format: "  its checkpoint state: %.1f MB of JSON, encoded in %.0f ms", Double(bytes) / 1e6, encode * 1e3))
    }

    /// GEMM throughput at the shapes one shard runs on a block of `NetworkBlock.rows` points, as NetworkPass issues
    /// them on its neuron-major layers (Hᵀ is w × 4·rows): Zᵀ = W·Hᵀ forward, then W̄ += Z̄ᵀ·H and H̄ᵀ = Wᵀ·Z̄ᵀ, all
    /// threads at once.
    static func gemmCeiling<T: PINNScalar>(_: T.Type, _ o: Options) -> Double {
        let rows = 4 * NetworkBlock.rows, w = o.hidden[0]
        let a = [T](repeating: 0.5, count: rows * w), b = [T](repeating: 0.25, count: w * w)
        let calls = 200
        let time = seconds {
            DispatchQueue.concurrentPerform(iterations: o.threads) { _ in
                var c = [T](repeating: 0, count: rows * w), g = [T](repeating: 0, count: w * w)
                for _ in 0..<calls {
                    T.gemm(transposeA: false, transposeB: false, m: w, n: rows, k: w, alpha: 1, a: b, lda: w, b: a,
                           ldb: rows, beta: 0, c: &c, ldc: rows)
                    T.gemm(transposeA: false, transposeB: true, m: w, n: w, k: rows, alpha: 1, a: a, lda: rows, b: a,
                           ldb: rows, beta: 1, c: &g, ldc: w)
                    T.gemm(transposeA: true, transposeB: false, m: w, n: rows, k: w, alpha: 1, a: b, lda: w, b: a,
                           ldb: rows, beta: 0, c: &c, ldc: rows)
                }
            }
        }
        return Double(o.threads * calls) * 3 * 2 * Double(rows * w * w) / time / 1e9
    }

    static func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
