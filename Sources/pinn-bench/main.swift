// pinn-bench: ms per training iteration of the 8×20 Burgers PINN (N = 10,000), per precision and adaptive
// mode, against the GEMM ceiling at the same shapes measured in the same run; `pinn-bench figure` draws the
// scaling figure from scripts/scaling.py's results; `pinn-bench cholesky` times the Levenberg–Marquardt
// factorisation. See docs/performance.md.
import PINN

import Foundation

// Measure what users get: the best BLAS kernels the CPU has (docs/performance.md, "OpenBLAS' kernel choice").
BLASKernels.reexecIfMisdetected { FileHandle.standardError.write(Data("pinn-bench: \($0)\n".utf8)) }

if CommandLine.arguments.dropFirst().first == "figure" {
    do {
        try ScalingFigure.run(Array(CommandLine.arguments.dropFirst(2)))
    } catch {
        FileHandle.standardError.write(Data("pinn-bench figure: \(error)\n".utf8))
        exit(1)
    }
} else if CommandLine.arguments.dropFirst().first == "cholesky" {
    CholeskyBenchmark.run(Array(CommandLine.arguments.dropFirst(2)))
} else {
    BenchmarkCommand.run(CommandLine.arguments)
}
