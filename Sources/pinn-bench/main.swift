// pinn-bench: ms per training iteration of the 8×20 Burgers PINN (N = 10,000), per precision and adaptive
// mode, against the GEMM ceiling at the same shapes measured in the same run; `pinn-bench figure` draws the
// scaling figure from scripts/scaling.py's results. See docs/performance.md.
import PINN

import Foundation

if CommandLine.arguments.dropFirst().first == "figure" {
    do {
        try ScalingFigure.run(Array(CommandLine.arguments.dropFirst(2)))
    } catch {
        FileHandle.standardError.write(Data("pinn-bench figure: \(error)\n".utf8))
        exit(1)
    }
} else {
    BenchmarkCommand.run(CommandLine.arguments)
}
