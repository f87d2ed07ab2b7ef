import Foundation

/// A classification job: a dense network trained by mini-batch Adam on softmax cross-entropy over an image data set
/// (`docs/paper.md` §5 runs Fashion-MNIST with it). Every member has a default; `parse` names the field of each error.
///
///     {"problem": {"classify": "fashion-mnist", "data": "/usr/share/datasets/fashion-mnist", "trainingImages": 60000},
///      "network": {"hidden": [256, 256], "activation": "tanh", "adaptive": "neuron", "scale": 10, "slopeRecovery": true},
///      "training": {"epochs": 10, "batchSize": 128, "learningRate": 0.001, "slopeRecoveryWeight": 1},
///      "seed": 1, "precision": "float"}
public struct ClassificationSpec: Codable, Sendable, Equatable {
    public struct Problem: Codable, Sendable, Equatable {
        /// The data set; only "fashion-mnist" for now.
        public var classify = "fashion-mnist"
        /// The directory of its IDX files.
        public var data = FashionMNIST.defaultDirectory
        /// Train on the first this many training images (nil: all).
        public var trainingImages: Int?
    }
    public struct Network: Codable, Sendable, Equatable {
        public var hidden = [256, 256]
        public var activation = Activation.tanh
        public var adaptive = AdaptiveMode.fixed
        /// n in σ(n·a·z); slopes start at a = 1/n (docs/design.md §2).
        public var scale = 10.0
        /// Adds w_a·S(a) to the loss (docs/design.md §3).
        public var slopeRecovery = false
    }
    public struct Training: Codable, Sendable, Equatable {
        public var epochs = 10
        public var batchSize = 128
        public var learningRate = 1e-3
        /// w_a, when `network.slopeRecovery` is on: 1 is the seed paper's loss L + S(a).
        public var slopeRecoveryWeight = 1.0
    }

    public var problem = Problem()
    public var network = Network()
    public var training = Training()
    /// Every random choice (initial weights, the order of the mini-batches) comes from it.
    public var seed: UInt64 = 1
    public var precision = JobSpec.Precision.float

    public init() {}

    /// The network's shape for `inputs` pixels and `classes` classes.
    public func architecture(inputs: Int, classes: Int) -> NetworkArchitecture {
        NetworkArchitecture(inputs: inputs, outputs: classes, hidden: network.hidden, activation: network.activation,
                            adaptive: network.adaptive, scale: network.scale)
    }

    /// The weight of S(a) in the loss: w_a when slope recovery is on and there are slopes, else 0.
    public var effectiveSlopeRecoveryWeight: Double {
        network.slopeRecovery && network.adaptive != .fixed ? training.slopeRecoveryWeight : 0
    }

    /// Reads a spec from JSON with the job spec's reader (`SpecReader`): every unknown member, wrong type and value
    /// out of range is reported at once, each with its field, as a `JobSpecError`.
    public static func parse(_ data: Data) throws -> ClassificationSpec {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw JobSpecError(issues: [.init(field: "", message: "not valid JSON: \(error.localizedDescription)")])
        }
        var reader = SpecReader(limits: JobSpecParser.Limits())
        var spec = ClassificationSpec()
        guard let root = reader.object(object, "", allowed: ["problem", "network", "training", "seed", "precision"]) else {
            throw JobSpecError(issues: reader.issues)
        }
        if let value = root["problem"],
           let problem = reader.object(value, "problem", allowed: ["classify", "data", "trainingImages"]) {
            if let value = problem["classify"] {
                if let name = value as? String, name == "fashion-mnist" { spec.problem.classify = name } else {
                    reader.fail("problem.classify", "must be one of fashion-mnist, got \(reader.describe(value))")
                }
            }
            if let value = problem["data"] {
                if let directory = value as? String { spec.problem.data = directory } else {
                    reader.fail("problem.data", "must be a directory (a string)")
                }
            }
            if let value = problem["trainingImages"] {
                spec.problem.trainingImages = reader.integer(value, "problem.trainingImages", 1...10_000_000)
            }
        }
        if let value = root["network"],
           let network = reader.object(value, "network", allowed: ["hidden", "activation", "adaptive", "scale", "slopeRecovery"]) {
            if let value = network["hidden"] {
                if let widths = value as? [Any], !widths.isEmpty, widths.count <= reader.limits.maxLayers {
                    let read = widths.enumerated().compactMap { i, w in reader.integer(w, "network.hidden[\(i)]", 1...4096) }
                    if read.count == widths.count { spec.network.hidden = read }
                } else {
                    reader.fail("network.hidden", "must be an array of 1 to \(reader.limits.maxLayers) layer widths")
                }
            }
            if let value = network["activation"], let a = reader.choice(value, "network.activation", Activation.self) {
                spec.network.activation = a
            }
            if let value = network["adaptive"], let a = reader.choice(value, "network.adaptive", AdaptiveMode.self) {
                spec.network.adaptive = a
            }
            if let value = network["scale"], let n = reader.number(value, "network.scale", 1...1000) { spec.network.scale = n }
            if let value = network["slopeRecovery"], let b = reader.bool(value, "network.slopeRecovery") {
                spec.network.slopeRecovery = b
            }
        }
        if let value = root["training"],
           let training = reader.object(value, "training", allowed: ["epochs", "batchSize", "learningRate", "slopeRecoveryWeight"]) {
            if let value = training["epochs"], let e = reader.integer(value, "training.epochs", 1...10_000) { spec.training.epochs = e }
            if let value = training["batchSize"], let b = reader.integer(value, "training.batchSize", 1...60_000) {
                spec.training.batchSize = b
            }
            if let value = training["learningRate"], let r = reader.number(value, "training.learningRate", 1e-12...10) {
                spec.training.learningRate = r
            }
            if let value = training["slopeRecoveryWeight"], let w = reader.number(value, "training.slopeRecoveryWeight", 0...1e6) {
                spec.training.slopeRecoveryWeight = w
            }
        }
        if let value = root["seed"], let seed = reader.integer(value, "seed", 0...Int.max) { spec.seed = UInt64(seed) }
        if let value = root["precision"], let p = reader.choice(value, "precision", JobSpec.Precision.self) { spec.precision = p }
        guard reader.issues.isEmpty else { throw JobSpecError(issues: reader.issues) }
        return spec
    }
}
