// pinn-bench: ms per training iteration of the 8×20 Burgers PINN (N = 10,000), per precision and adaptive
// mode, against the GEMM ceiling at the same shapes measured in the same run. See docs/performance.md.
import PINN

BenchmarkCommand.run(CommandLine.arguments)
