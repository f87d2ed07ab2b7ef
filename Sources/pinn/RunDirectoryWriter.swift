import Foundation
import PINN

/// Writes a run's files into its directory: losses.csv (with learned parameters) and slopes.csv as training goes, then
/// parameters.json, solution.csv, errors.csv and summary.json at the end.
final class RunDirectoryWriter {
    private let directory: URL
    private let spec: JobSpec
    private var losses: FileHandle?
    private var slopes: FileHandle?
    private var errors: [(Int, Double)] = []
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
            losses = open("losses.csv", header: (["iteration", "phase", "total"] + plan.termNames
                                                 + ["slopeRecovery", "seconds"] + learned).joined(separator: ","))
        case .loss(let r):
            let fields = ["\(r.iteration)", "\(r.phase)", "\(r.total)"] + r.terms.map { "\($0)" }
                + ["\(r.slopeRecovery)", String(format: "%.3f", r.seconds)] + learned.map { "\(r.learned?[$0] ?? .nan)" }
            losses?.write(Data((fields.joined(separator: ",") + "\n").utf8))
        case .slopes(let r):
            if slopes == nil {
                let means = r.layerMeans.indices.map { "layer\($0 + 1)_na" }
                let raw = r.slopes.indices.map { "a\($0)" }
                slopes = open("slopes.csv", header: (["iteration", "phase"] + means + raw).joined(separator: ","))
            }
            let fields = ["\(r.iteration)", "\(r.phase)"] + r.layerMeans.map { "\($0)" } + r.slopes.map { "\($0)" }
            slopes?.write(Data((fields.joined(separator: ",") + "\n").utf8))
        case .evaluation(let iteration, let error):
            errors.append((iteration, error))
        case .phaseFinished, .checkpoint, .snapshot:
            break
        }
    }

    func finish(_ result: TrainingResult) throws {
        try? losses?.close()
        try? slopes?.close()
        let problem = try ProblemBuilder.make(spec)
        let network = result.network

        // The network itself: enough to evaluate it again anywhere.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let parameters = SavedNetwork(architecture: result.architecture, inputs: problem.inputs,
                                      outputs: problem.outputs, lower: result.lower, upper: result.upper,
                                      parameters: result.parameters)
        try encoder.encode(parameters).write(to: directory.appendingPathComponent("parameters.json"))

        // The solution on the spec's grid: columns in grid order (time first), then the outputs.
        let grid = SolutionGrid(problem: problem, sizes: spec.output.grid)
        let u = network.evaluate(grid.points)
        let d = problem.inputs.count, m = problem.outputs.count
        var csv = (grid.axes.map(\.name) + problem.outputs).joined(separator: ",") + "\n"
        for i in 0..<grid.count {
            let coordinates = grid.axes.map { "\(grid.points[i * d + $0.input])" }
            let values = (0..<m).map { "\(u[i * m + $0])" }
            csv += (coordinates + values).joined(separator: ",") + "\n"
        }
        try Data(csv.utf8).write(to: directory.appendingPathComponent("solution.csv"))

        if !errors.isEmpty {
            let lines = ["iteration,relativeL2"] + errors.map { "\($0.0),\($0.1)" }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: directory.appendingPathComponent("errors.csv"))
        }

        let summary = RunSummary(
            status: result.status.rawValue, failure: result.failure, problem: spec.problem.name,
            precision: spec.training.precision.rawValue,
            iterationsPerPhase: result.phases.map(\.iterations), stopReasons: result.phases.map(\.stopReason.rawValue),
            phases: result.phases, wallSeconds: result.wallSeconds,
            finalLoss: .init(total: result.finalLoss.total,
                             terms: Dictionary(uniqueKeysWithValues: zip(plan?.termNames ?? [], result.finalLoss.terms)),
                             slopeRecovery: result.finalLoss.slopeRecovery),
            relativeL2: result.relativeL2, learned: result.learned.isEmpty ? nil : result.learned, spec: spec)
        try encoder.encode(summary).write(to: directory.appendingPathComponent("summary.json"))
    }
}

/// parameters.json
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
    /// Final values of the learned parameters (inverse problems).
    let learned: [String: Double]?
    let spec: JobSpec
}
