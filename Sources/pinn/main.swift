// pinn: train a job spec locally (`pinn train SPEC.json --out DIR`), or drive a pinn-server (`pinn submit`, docs/cli.md).
import Foundation
import PINN

// Local training runs on the best BLAS kernels the CPU has (docs/performance.md, "OpenBLAS' kernel choice").
if ["train", "experiment", "kernels"].contains(CommandLine.arguments.dropFirst().first) { BLASKernels.reexecIfMisdetected() }
exit(PinnCommand.run(Array(CommandLine.arguments.dropFirst())))
