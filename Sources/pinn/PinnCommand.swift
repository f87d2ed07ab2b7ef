import Foundation
import PINN

/// The command line: dispatches to the subcommands and turns their errors into messages and exit codes.
enum PinnCommand {
    static let usage = """
    usage: pinn train SPEC.json --out DIR [--quiet]   train a job spec locally, writing results to DIR
           pinn validate SPEC.json                    print the normalised spec, or every error in it
           pinn presets                               list the problem presets
           pinn experiment CONFIG.json [--out DIR] [--seeds N] [--scale F]
                                                      run an experiment's variants × seeds (docs/paper.md)
           pinn preset NAME                           print a preset's spec as written (edit it, submit it inline)
           pinn classify SPEC.json --out DIR [--quiet]
                                                      train a classifier on Fashion-MNIST (docs/paper.md §5)
           pinn classify-experiment CONFIG.json [--out DIR] [--seeds N] [--epochs E] [--replot]
                                                      run a classification experiment's variants × seeds
           pinn kernels                               print the OpenBLAS kernels local training runs on
    SPEC.json may be - for standard input. See docs/job-spec.md.

    \(RemoteCommand.usage)
    """

    static func run(_ arguments: [String]) -> Int32 {
        let arguments = RemoteArguments.commandFirst(arguments)
        guard let command = arguments.first else { printError(usage); return 2 }
        let rest = Array(arguments.dropFirst())
        do {
            switch command {
            case "train": return try TrainCommand.run(rest)
            case "validate":
                guard rest.count == 1 else { printError(usage); return 2 }
                let spec = try readSpec(rest[0])
                print(try normalisedJSON(spec))
                if ProblemPresets.spec(named: spec.problem.name) == nil {
                    printError("defaults of an inline problem (members the spec gives replace them):\n"
                               + InlineRecipe(spec.problem).explanation.map { "  " + $0 }.joined(separator: "\n"))
                }
                let estimate = JobMemoryEstimate(spec: spec, problem: try ProblemBuilder.make(spec))
                printError("estimated memory while training: \(estimate.summary)")
                return 0
            case "experiment": return try ExperimentCommand.run(rest)
            case "classify": return try ClassifyCommand.run(rest)
            case "classify-experiment": return try ClassificationExperimentCommand.run(rest)
            case "presets" where RemoteArguments.namesServer(rest, environment: ProcessInfo.processInfo.environment):
                return RemoteCommand.run(command, rest)
            case "submit", "watch", "status", "list", "cancel", "delete", "get", "study": return RemoteCommand.run(command, rest)
            case "presets":
                for preset in ProblemPresets.all { print(preset.name.padding(toLength: 18, withPad: " ", startingAt: 0) + preset.summary) }
                return 0
            case "preset":
                guard rest.count == 1 else { printError(usage); return 2 }
                guard let preset = ProblemPresets.all.first(where: { $0.name == rest[0] }) else {
                    throw CommandError("unknown preset \"\(rest[0])\" (known: \(ProblemPresets.names.joined(separator: ", ")))")
                }
                print(preset.json)
                return 0
            case "kernels":
                // After the re-exec of main.swift: the kernels training runs on (docs/design.md §7).
                print(BLASKernels.core)
                return 0
            case "-h", "--help", "help": print(usage); return 0
            default: printError("pinn: unknown command \"\(command)\"\n" + usage); return 2
            }
        } catch let error as JobSpecError {
            printError("pinn: the job spec is invalid:\n" + error.issues.map { "  \($0)" }.joined(separator: "\n"))
            return 1
        } catch {
            printError("pinn: \(error)")
            return 1
        }
    }

    static func readSpec(_ path: String) throws -> JobSpec {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw CommandError("cannot read \(path)")
            }
            data = contents
        }
        // A local run answers to the machine it runs on, not to a server's memory budget (`validate` prints the
        // estimate so the user can judge).
        var limits = JobSpecParser.Limits()
        limits.maxJobBytes = 0
        return try JobSpecParser.parse(data, limits: limits)
    }

    static func normalisedJSON(_ spec: JobSpec) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(spec), as: UTF8.self)
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
