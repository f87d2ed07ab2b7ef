import Foundation
import PINN

/// `pinn train SPEC.json --out DIR`: trains with a live progress line and writes the run's files.
enum TrainCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        let parsed = try SpecRunArguments(arguments, command: "train", standardInput: true)
        let (specPath, outDir, quiet) = (parsed.specPath, parsed.outDir, parsed.quiet)
        let spec = try PinnCommand.readSpec(specPath)
        let writer = try RunDirectoryWriter(directory: outDir, spec: spec)
        let progress = ProgressLine(enabled: !quiet)
        let result = try Trainer.run(spec, observer: { event in
            writer.record(event)
            progress.show(event)
        })
        progress.finish()
        try writer.finish(result)
        let error = result.relativeL2.map { String(format: ", relative L2 error %.3e", $0) } ?? ""
        print("\(result.status.rawValue) in \(String(format: "%.1f", result.wallSeconds)) s, loss "
              + String(format: "%.3e", result.finalLoss.total) + error + " → \(outDir)")
        if let failure = result.failure { PinnCommand.printError("pinn: \(failure)") }
        return result.status == .succeeded ? 0 : 1
    }
}
