import Foundation
@testable import PINN
@testable import PINNStore

/// Shared inputs of the store tests: a valid spec, engine records, and a fresh file per test (tests run in
/// parallel, so nothing is shared on disk). Fresh stores of either kind: `StoreKind.make`.
enum StoreFixtures {
    static var spec: JobSpec { ProblemPresets.spec(named: "burgers")! }
    static let termNames = ["pde", "initial", "boundary"]

    static func loss(_ iteration: Int, phase: Int = 0, total: Double? = nil) -> LossRecord {
        let total = total ?? 1 / Double(iteration + 1)
        return LossRecord(iteration: iteration, phase: phase, total: total, terms: [total / 2, total / 3, total / 6],
                          slopeRecovery: 0.125, seconds: Double(iteration) * 0.01)
    }

    static func slope(_ iteration: Int, phase: Int = 0) -> SlopeRecord {
        SlopeRecord(iteration: iteration, phase: phase, slopes: [0.1, 0.2 + Double(iteration)], layerMeans: [1.5])
    }

    /// A path in a new temporary directory that does not exist yet (the store must create it).
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("pinn-store-tests-\(UUID().uuidString)/nested/jobs.sqlite").path
    }
}
