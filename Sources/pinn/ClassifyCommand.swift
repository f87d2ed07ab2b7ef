import Foundation
import PINN

/// `pinn classify SPEC.json --out DIR [--quiet]`: trains a classification spec (`ClassificationSpec`) locally and
/// writes DIR/losses.csv (one row per epoch: train loss and accuracy, test loss and accuracy, S(a), n·ā per hidden
/// layer) and DIR/summary.json (the normalised spec, every epoch, whether it diverged).
enum ClassifyCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        let parsed = try SpecRunArguments(arguments, command: "classify", standardInput: false)
        let (specPath, outDir, quiet) = (parsed.specPath, parsed.outDir, parsed.quiet)
        guard let data = FileManager.default.contents(atPath: specPath) else { throw CommandError("cannot read \(specPath)") }
        let spec = try ClassificationSpec.parse(data)
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        let run = try ClassificationRun.train(variant: "", spec: spec) { epoch in
            if !quiet { PinnCommand.printError(ClassificationRun.describe(epoch)) }
        }
        try Data(ClassificationRun.csv(run.epochs).utf8).write(to: URL(fileURLWithPath: "\(outDir)/losses.csv"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(run).write(to: URL(fileURLWithPath: "\(outDir)/summary.json"))
        guard let last = run.epochs.last else { return 1 }
        print((run.diverged ? "diverged" : "succeeded") + " after \(last.epoch) epochs: "
              + String(format: "train loss %.4f, test accuracy %.2f%%", last.trainLoss, 100 * last.testAccuracy) + " → \(outDir)")
        return run.diverged ? 1 : 0
    }
}
