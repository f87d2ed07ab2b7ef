import Foundation
import PINNNumerics

/// Trains a `ClassificationSpec`: mini-batch Adam on softmax cross-entropy (+ w_a·S(a)), one pass over a fresh
/// permutation of the training images per epoch, the test set evaluated after each epoch.
///
/// Every random choice comes from the spec's seed through `SeededGenerator` streams, as a PINN job's do
/// (docs/design.md §2): stream 1 initialises the network (Glorot-normal, a = 1/n), stream 2 draws each epoch's
/// permutation (Fisher–Yates). The same seed gives the same loss history bit for bit (on the same BLAS kernels).
/// Runs on the calling thread with BLAS single-threaded; run several jobs side by side to use more cores.
public struct ClassificationTrainer<T: PINNScalar> {
    public let spec: ClassificationSpec
    public let training: LabelledImages
    public let test: LabelledImages

    /// `training` is cut to `spec.problem.trainingImages` when that is set.
    public init(spec: ClassificationSpec, training: LabelledImages, test: LabelledImages) {
        self.spec = spec
        self.training = spec.problem.trainingImages.map { training.prefix($0) } ?? training
        self.test = test
    }

    public struct Result: Sendable {
        public let epochs: [ClassificationEpoch]
        public let network: Network<T>
        /// Set when the loss stopped being finite; training stopped there.
        public let diverged: Bool
    }

    public var architecture: NetworkArchitecture {
        spec.architecture(inputs: training.pixelsPerImage, classes: training.classes)
    }

    /// Trains for `spec.training.epochs`, reporting each epoch to `observer` as it ends.
    public func run(observer: (ClassificationEpoch) -> Void = { _ in }) -> Result {
        BLASThreading.useSingleThread()
        let root = SeededGenerator(seed: spec.seed)
        var networkGenerator = root.derived(1)
        var orderGenerator = root.derived(2)
        let pixels = training.pixelsPerImage
        var network = Network<T>(architecture: architecture, lower: Array(repeating: 0, count: pixels),
                                 upper: Array(repeating: 255, count: pixels), generator: &networkGenerator)
        let batchSize = min(spec.training.batchSize, training.count)
        let loss = ClassificationLoss<T>(architecture: architecture,
                                         slopeRecoveryWeight: spec.effectiveSlopeRecoveryWeight,
                                         capacity: max(batchSize, 1000))
        var adam = Adam<T>(parameterCount: network.parameters.count, learningRate: T(spec.training.learningRate))
        var gradient = [T](repeating: 0, count: network.parameters.count)
        var order = Array(0..<training.count)
        var epochs: [ClassificationEpoch] = []
        for epoch in 1...spec.training.epochs {
            // Fisher–Yates written out (not the standard library's shuffle, whose algorithm may change between
            // releases): the order is part of the reproducible history.
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, Int(orderGenerator.next() % UInt64(i + 1)))
            }
            var lossSum = 0.0, correct = 0
            for start in stride(from: 0, to: order.count, by: batchSize) {
                loss.loadBatch(training, indices: order[start..<min(start + batchSize, order.count)])
                let value = gradient.withUnsafeMutableBufferPointer { loss.evaluate(network.parameters, gradient: $0) }
                lossSum += value.crossEntropy * Double(loss.rows)
                correct += value.correct
                adam.step(parameters: &network.parameters, gradient: gradient)
            }
            let (testLoss, testAccuracy) = Self.evaluate(loss, network.parameters, on: test)
            let record = ClassificationEpoch(
                epoch: epoch, trainLoss: lossSum / Double(order.count),
                trainAccuracy: Double(correct) / Double(order.count), testLoss: testLoss, testAccuracy: testAccuracy,
                slopeRecovery: network.parameters.withUnsafeBufferPointer {
                    SlopeRecoveryTerm.value($0, layout: network.layout, architecture: network.architecture)
                },
                meanSlopes: network.architecture.hidden.indices.map { k in
                    let s = network.slopes(layer: k)
                    return s.reduce(0, +) / Double(s.count)
                })
            epochs.append(record)
            observer(record)
            guard record.trainLoss.isFinite, record.testLoss.isFinite else {
                return Result(epochs: epochs, network: network, diverged: true)
            }
        }
        return Result(epochs: epochs, network: network, diverged: false)
    }

    /// The mean cross-entropy and the accuracy of θ over every image of `images`, in batches of the loss's capacity.
    public static func evaluate(_ loss: ClassificationLoss<T>, _ theta: [T], on images: LabelledImages)
        -> (loss: Double, accuracy: Double) {
        var sum = 0.0, correct = 0
        let all = Array(0..<images.count)
        for start in stride(from: 0, to: images.count, by: loss.capacity) {
            loss.loadBatch(images, indices: all[start..<min(start + loss.capacity, images.count)])
            let value = loss.evaluate(theta)
            sum += value.crossEntropy * Double(loss.rows)
            correct += value.correct
        }
        return (sum / Double(images.count), Double(correct) / Double(images.count))
    }
}
