// pinn: train a job spec locally. `pinn train SPEC.json --out DIR`, `pinn validate SPEC.json`.
import Foundation

exit(PinnCommand.run(Array(CommandLine.arguments.dropFirst())))
