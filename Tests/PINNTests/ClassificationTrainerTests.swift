import Foundation
import Testing
import PINN

/// Training a classifier: seeded (same seed, same history bit for bit; another seed, another), and learning
/// (a small network on 2,000 Fashion-MNIST images beats chance by far in two epochs).
@Suite struct ClassificationTrainerTests {
    static func spec(seed: UInt64, adaptive: AdaptiveMode = .neuron) -> ClassificationSpec {
        var spec = ClassificationSpec()
        spec.network.hidden = [32, 16]
        spec.network.adaptive = adaptive
        spec.network.slopeRecovery = true
        spec.training.epochs = 2
        spec.training.batchSize = 50
        spec.problem.trainingImages = 2_000
        spec.seed = seed
        return spec
    }

    static let data: (LabelledImages, LabelledImages)? = {
        guard let training = try? FashionMNIST.load(.train), let test = try? FashionMNIST.load(.test) else { return nil }
        return (training, test.prefix(2_000))
    }()

    func train(_ spec: ClassificationSpec) throws -> [ClassificationEpoch] {
        let (training, test) = try #require(Self.data, "Fashion-MNIST is missing: run scripts/install-dependencies.sh")
        return ClassificationTrainer<Float>(spec: spec, training: training, test: test).run().epochs
    }

    @Test func sameSeedGivesTheSameHistory() throws {
        let a = try train(Self.spec(seed: 5)), b = try train(Self.spec(seed: 5))
        #expect(a == b)
        #expect(try train(Self.spec(seed: 6)) != a)
    }

    @Test func learnsFarBeyondChance() throws {
        let epochs = try train(Self.spec(seed: 1, adaptive: .fixed))
        #expect(epochs.count == 2)
        #expect(epochs[1].trainLoss < epochs[0].trainLoss)
        #expect(epochs[1].testAccuracy > 0.65, "test accuracy \(epochs[1].testAccuracy)")
        #expect(epochs[1].meanSlopes == [1, 1])
    }

    @Test func slopeRecoveryRaisesTheSlopes() throws {
        let epochs = try train(Self.spec(seed: 1, adaptive: .layer))
        // S(a) only pushes slopes up; from n·a = 1 they must have grown.
        #expect(epochs.last!.meanSlopes.allSatisfy { $0 > 1 })
        #expect(epochs.last!.slopeRecovery < exp(-0.1))
    }

    @Test func specErrorsNameTheirFields() {
        let json = #"{"problem": {"classify": "mnist"}, "network": {"hidden": [0, 8], "adaptive": "row"},"#
            + #" "training": {"epochs": 0, "batchSize": true}, "colour": 1}"#
        #expect {
            try ClassificationSpec.parse(Data(json.utf8))
        } throws: { error in
            let fields = Set((error as? JobSpecError)?.issues.map(\.field) ?? [])
            return fields == ["problem.classify", "network.hidden[0]", "network.adaptive", "training.epochs",
                              "training.batchSize", "colour"]
        }
        let spec = try? ClassificationSpec.parse(Data(#"{"network": {"adaptive": "neuron"}, "seed": 3}"#.utf8))
        #expect(spec?.network.adaptive == .neuron && spec?.seed == 3 && spec?.network.hidden == [256, 256])
    }
}
