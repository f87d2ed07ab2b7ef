import Foundation
import PINN

/// Writes a run's files into its directory: losses.csv (with learned parameters) and slopes.csv as training goes, then
/// parameters.json, model.json, solution.csv, errors.csv and summary.json at the end. Histories and the solution are
/// written by the engine's `HistoryCSV` and `SolutionOnGrid`, the same writers the service uses.
final class RunDirectoryWriter {
    private let directory: URL
    private let spec: JobSpec
    private var losses: FileHandle?
    private var slopes: FileHandle?
    private var errors: [ErrorRecord] = []
    private var plan: TrainingPlan?
    /// The learned parameters of an inverse problem: extra columns of losses.csv.
    private var learned: [String] { spec.problem.learned.map(\.name) }

    init(directory path: String, spec: JobSpec) throws {
        directory = URL(fileURLWithPath: path, isDirectory: true)
        self.spec = spec
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    private func open(_ name: String, header: String) -> FileHandle? {
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: url.path, contents: Data((header + "\n").utf8)) else { return nil }
        let handle = try? FileHandle(forWritingTo: url)
        _ = try? handle?.seekToEnd()
        return handle
    }

    func record(_ event: TrainingEvent) {
        switch event {
        case .started(let plan):
            self.plan = plan
            losses = open("losses.csv", header: HistoryCSV.lossHeader(termNames: plan.termNames, learned: learned))
        case .loss(let r):
            losses?.write(Data((HistoryCSV.lossRow(r, learned: learned) + "\n").utf8))
        case .slopes(let r):
            if slopes == nil {
                slopes = open("slopes.csv", header: HistoryCSV.slopeHeader(layers: r.layerMeans.count, slopes: r.slopes.count))
            }
            slopes?.write(Data((HistoryCSV.slopeRow(r) + "\n").utf8))
        case .evaluation(let error):
            errors.append(error)
        case .phaseFinished, .checkpoint, .snapshot:
            break
        }
    }

    func finish(_ result: TrainingResult) throws {
        try? losses?.close()
        try? slopes?.close()
        let trained = try TrainedSolution(spec: spec, parameters: result.allParameters(spec))
        let problem = trained.problem

        // The network itself: enough to evaluate it again anywhere.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let parameters = SavedNetwork(architecture: result.architecture, inputs: problem.inputs,
                                      outputs: problem.outputs, lower: result.lower, upper: result.upper,
                                      parameters: result.parameters)
        try encoder.encode(parameters).write(to: directory.appendingPathComponent("parameters.json"))
        try encoder.encode(trained.model).write(to: directory.appendingPathComponent("model.json"))

        // The solution on the spec's grid: the axes (time first), the outputs, exact and error when known.
        try trained.onGrid().csv().write(to: directory.appendingPathComponent("solution.csv"))

        if !errors.isEmpty {
            try Data(HistoryCSV.errors(errors, outputs: problem.outputs).utf8)
                .write(to: directory.appendingPathComponent("errors.csv"))
        }

        let summary = RunSummary(
            status: result.status.rawValue, failure: result.failure, problem: spec.problem.name,
            precision: spec.training.precision.rawValue,
            iterationsPerPhase: result.phases.map(\.iterations), stopReasons: result.phases.map(\.stopReason.rawValue),
            phases: result.phases, wallSeconds: result.wallSeconds,
            finalLoss: .init(total: result.finalLoss.total,
                             terms: Dictionary(uniqueKeysWithValues: zip(plan?.termNames ?? [], result.finalLoss.terms)),
                             slopeRecovery: result.finalLoss.slopeRecovery),
            relativeL2: result.relativeL2, error: errors.last,
            learned: result.learned.isEmpty ? nil : result.learned, spec: spec)
        try encoder.encode(summary).write(to: directory.appendingPathComponent("summary.json"))
    }
}

/// parameters.json (a time-marched run's `parameters` are the windows' networks one after the other, `lower`/`upper`
/// the whole box; model.json gives each window's box and layers)
struct SavedNetwork: Codable {
    let architecture: NetworkArchitecture
    let inputs: [String]
    let outputs: [String]
    let lower: [Double]
    let upper: [Double]
    let parameters: [Double]
}

/// summary.json
struct RunSummary: Codable {
    struct Loss: Codable {
        let total: Double
        let terms: [String: Double]
        let slopeRecovery: Double
    }
    let status: String
    let failure: String?
    let problem: String
    let precision: String
    let iterationsPerPhase: [Int]
    let stopReasons: [String]
    let phases: [PhaseReport]
    let wallSeconds: Double
    let finalLoss: Loss
    let relativeL2: Double?
    /// The final error per output (relative L2 and largest pointwise error).
    let error: ErrorRecord?
    /// Final values of the learned parameters (inverse problems).
    let learned: [String: Double]?
    let spec: JobSpec
}
