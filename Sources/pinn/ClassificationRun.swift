import Foundation
import PINN

/// One classification run of `pinn classify` or `pinn classify-experiment`: its spec and every epoch.
struct ClassificationRun: Codable {
    let variant: String
    let seed: UInt64
    let spec: ClassificationSpec
    let epochs: [ClassificationEpoch]
    let diverged: Bool

    /// Loads the spec's data set and trains in the spec's precision.
    static func train(variant: String, spec: ClassificationSpec,
                      observer: (ClassificationEpoch) -> Void = { _ in }) throws -> ClassificationRun {
        let training = try FashionMNIST.load(.train, directory: spec.problem.data)
        let test = try FashionMNIST.load(.test, directory: spec.problem.data)
        return train(variant: variant, spec: spec, training: training, test: test, observer: observer)
    }

    static func train(variant: String, spec: ClassificationSpec, training: LabelledImages, test: LabelledImages,
                      observer: (ClassificationEpoch) -> Void = { _ in }) -> ClassificationRun {
        func run<T: PINNScalar>(_: T.Type) -> (epochs: [ClassificationEpoch], diverged: Bool) {
            let result = ClassificationTrainer<T>(spec: spec, training: training, test: test).run(observer: observer)
            return (result.epochs, result.diverged)
        }
        let (epochs, diverged) = spec.precision == .float ? run(Float.self) : run(Double.self)
        return ClassificationRun(variant: variant, seed: spec.seed, spec: spec, epochs: epochs, diverged: diverged)
    }

    static func describe(_ e: ClassificationEpoch) -> String {
        String(format: "epoch %d: train loss %.4f, train accuracy %.2f%%, test loss %.4f, test accuracy %.2f%%, S(a) %.4f",
               e.epoch, e.trainLoss, 100 * e.trainAccuracy, e.testLoss, 100 * e.testAccuracy, e.slopeRecovery)
            + ", n·ā " + e.meanSlopes.map { String(format: "%.3f", $0) }.joined(separator: " ")
    }

    /// losses.csv: epoch, train_loss, train_accuracy, test_loss, test_accuracy, slope_recovery, slope_1 … slope_L
    /// (n·ā of each hidden layer).
    static func csv(_ epochs: [ClassificationEpoch]) -> String {
        let layers = epochs.first?.meanSlopes.count ?? 0
        var lines = [(["epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy", "slope_recovery"]
                      + (0..<layers).map { "slope_\($0 + 1)" }).joined(separator: ",")]
        for e in epochs {
            lines.append(([String(e.epoch)] + ([e.trainLoss, e.trainAccuracy, e.testLoss, e.testAccuracy, e.slopeRecovery]
                                               + e.meanSlopes).map { "\($0)" }).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
