import Foundation
import PINN

/// A live one-line progress display on standard error: phase, iteration, loss terms, error, ETA.
final class ProgressLine {
    private let enabled: Bool
    private var plan: TrainingPlan?
    private var relativeL2: Double?
    private var lastDraw = 0.0
    private var width = 0

    init(enabled: Bool) { self.enabled = enabled && isatty(2) != 0 }

    func show(_ event: TrainingEvent) {
        guard enabled else { return }
        switch event {
        case .started(let plan): self.plan = plan
        case .evaluation(let error): relativeL2 = error.relativeL2
        case .loss(let record): draw(record)
        case .phaseFinished, .slopes, .checkpoint, .snapshot: break
        }
    }

    private func draw(_ record: LossRecord) {
        guard let plan, record.seconds - lastDraw >= 0.1 || record.iteration == 0 else { return }
        lastDraw = record.seconds
        let total = plan.totalIterations
        let rate = Double(record.iteration) / max(record.seconds, 1e-9)
        let eta = record.iteration > 0 ? Double(total - record.iteration) / rate : .nan
        let terms = zip(plan.termNames, record.terms).map { "\($0) \(String(format: "%.2e", $1))" }.joined(separator: " ")
        var line = "phase \(record.phase + 1)/\(plan.phaseIterations.count) it \(record.iteration)/\(total) "
            + "loss \(String(format: "%.3e", record.total)) [\(terms)]"
        if let relativeL2 { line += String(format: " L2 %.2e", relativeL2) }
        if eta.isFinite { line += String(format: " ETA %.0fs", eta) }
        let padding = String(repeating: " ", count: max(0, width - line.count))
        width = line.count
        FileHandle.standardError.write(Data(("\r" + line + padding).utf8))
    }

    func finish() {
        if enabled && width > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
