// pinn: train a job spec locally (`pinn train SPEC.json --out DIR`), or drive a pinn-server (`pinn submit`, docs/cli.md).
import Foundation

exit(PinnCommand.run(Array(CommandLine.arguments.dropFirst())))
