import Foundation
import Testing
import PINN
import PINNTestSupport

/// The ONNX export: the protobuf writer against the wire format's own worked examples, and the exported model read
/// back by an independent reader and interpreter (`DecodedONNX`) against the engine's evaluation of the same network.
@Suite struct ONNXExportTests {
    /// Without input features unless `features` names some (the Burgers preset's periodic ones are turned off).
    static func spec(adaptive: String, activation: String, precision: String = "double", features: String = ", \"periodic\": {}") throws -> JobSpec {
        try JobSpecParser.parse(Data("""
            {"problem": "burgers", "network": {"layers": [8, 6], "adaptive": "\(adaptive)", "activation": "\(activation)", "scale": 5\(features)},
             "training": {"precision": "\(precision)"}}
            """.utf8))
    }

    /// The spec's network (input features included) with Glorot-initialised parameters and slopes moved off 1/n.
    static func trained(_ spec: JobSpec) throws -> TrainedSolution {
        let problem = try ProblemBuilder.make(spec)
        var generator = SeededGenerator(seed: 1)
        let network = Network<Double>(architecture: spec.architecture, lower: problem.lower, upper: problem.upper,
                                      generator: &generator)
        var parameters = network.parameters
        for i in network.layout.slopes { parameters[i] *= 1 + 0.1 * Double(i % 7) }
        return try TrainedSolution(spec: spec, parameters: parameters + problem.learned.map(\.initial))
    }

    @Test func varintsAndStringsAreWrittenAsTheWireFormatsExamples() {
        // protobuf.dev, "Encoding": field 1 = 150 is 08 96 01; field 2 = "testing" is 12 07 74 65 73 74 69 6e 67.
        var writer = ProtobufWriter()
        writer.varint(1, 150)
        writer.string(2, "testing")
        #expect(writer.bytes == [0x08, 0x96, 0x01, 0x12, 0x07] + Array("testing".utf8))
    }

    @Test func aNegativeIntegerTakesTenBytesAndAnEmbeddedMessageItsLength() {
        var writer = ProtobufWriter()
        writer.varint(1, -1)
        #expect(writer.bytes == [0x08] + Array(repeating: 0xff, count: 9) + [0x01])
        var outer = ProtobufWriter()
        outer.message(3) { $0.varint(1, 150) }
        #expect(outer.bytes == [0x1a, 0x03, 0x08, 0x96, 0x01])
    }

    @Test func theModelDeclaresItsVersionsAndTheShapesOfItsInputsAndOutputs() throws {
        let trained = try Self.trained(try Self.spec(adaptive: "neuron", activation: "tanh"))
        let decoded = try DecodedONNX(trained.model.onnx.serialized())
        #expect(decoded.irVersion == 7)
        #expect(decoded.opsets.count == 1 && decoded.opsets[0].domain == "" && decoded.opsets[0].version == 13)
        #expect(decoded.inputs.map(\.name) == ["inputs"] && decoded.outputs.map(\.name) == ["outputs"])
        #expect(decoded.inputs[0].dims == [nil, 2] && decoded.inputs[0].parameters == ["N"])
        #expect(decoded.outputs[0].dims == [nil, 1] && decoded.outputs[0].parameters == ["N"])
        #expect(decoded.inputs[0].elementType == 11 && decoded.initializers.allSatisfy { $0.dataType == 11 })
        #expect(decoded.metadata["inputs"] == "x,t" && decoded.metadata["outputs"] == "u")
        // Each node reads only the graph input, initialisers and earlier nodes' outputs.
        var defined = Set(decoded.initializers.map(\.name) + ["inputs"])
        for node in decoded.nodes {
            #expect(node.inputs.allSatisfy(defined.contains), "\(node.name)")
            defined.formUnion(node.outputs)
        }
        #expect(decoded.nodes.last?.outputs == ["outputs"])
    }

    @Test(arguments: [("neuron", "tanh"), ("layer", "sin"), ("global", "tanh"), ("fixed", "sin")])
    func everyAdaptiveModeReadBackAgreesWithTheEngineTo1e12(adaptive: String, activation: String) throws {
        let trained = try Self.trained(try Self.spec(adaptive: adaptive, activation: activation))
        let decoded = try DecodedONNX(trained.model.onnx.serialized())
        let operators = decoded.nodes.map(\.opType)
        let slopeProducts = adaptive == "fixed" ? 0 : 2
        #expect(operators.filter { $0 == "Mul" }.count == 1 + slopeProducts, "the input map, then one per hidden layer")
        #expect(operators.filter { $0 == (activation == "tanh" ? "Tanh" : "Sin") }.count == 2)
        let grid = trained.onGrid(sizes: ["x": 9, "t": 7])
        let values = try decoded.evaluate(grid.grid.points, count: grid.grid.count)
        for i in 0..<grid.grid.count {
            #expect(abs(values[i] - grid.values[i]) <= 1e-12 * max(1, abs(grid.values[i])), "point \(i)")
        }
    }

    @Test(arguments: [#", "periodic": {"x": 2}"#, #", "fourier": {"features": 5, "scale": 2, "seed": 3}"#,
                      #", "periodic": {"x": 2}, "fourier": {"features": 4, "scale": 1.5, "seed": 9}"#])
    func inputFeaturesReadBackAgreeWithTheEngineTo1e12(features: String) throws {
        let trained = try Self.trained(try Self.spec(adaptive: "layer", activation: "tanh", features: features))
        #expect(trained.network.architecture.features != nil)
        let decoded = try DecodedONNX(trained.model.onnx.serialized())
        let grid = trained.onGrid(sizes: ["x": 9, "t": 7])
        let values = try decoded.evaluate(grid.grid.points, count: grid.grid.count)
        for i in 0..<grid.grid.count {
            #expect(abs(values[i] - grid.values[i]) <= 1e-12 * max(1, abs(grid.values[i])), "point \(i)")
        }
        // Periodic in x (period 2 = the domain's length): the exported graph too, at the two faces.
        if features.contains("periodic") {
            let faces = try decoded.evaluate([-1, 0.3, 1, 0.3], count: 2)
            #expect(abs(faces[0] - faces[1]) <= 1e-12)
        }
    }

    @Test func theSlopesAreTheLearnedOnesPerNeuron() throws {
        let trained = try Self.trained(try Self.spec(adaptive: "neuron", activation: "tanh"))
        let decoded = try DecodedONNX(trained.model.onnx.serialized())
        let slopes = try #require(decoded.initializers.first { $0.name == "layer2_slope" })
        #expect(slopes.dims == [6] && slopes.values == trained.network.slopes(layer: 1))
        let weights = try #require(decoded.initializers.first { $0.name == "layer1_weight" })
        #expect(weights.dims == [2, 8], "fanIn × fanOut: the points are rows")
        #expect(weights.values[1] == trained.model.layers[0].weights[1][0])
    }

    @Test func aFloatNetworkExportsFloatTensorsAndAgreesTo1e6() throws {
        let trained = try Self.trained(try Self.spec(adaptive: "layer", activation: "tanh", precision: "float"))
        let decoded = try DecodedONNX(trained.model.onnx.serialized())
        #expect(decoded.inputs[0].elementType == 1 && decoded.outputs[0].elementType == 1)
        #expect(decoded.initializers.allSatisfy { $0.dataType == 1 })
        let bias = try #require(decoded.initializers.first { $0.name == "output_bias" })
        #expect(bias.values == trained.model.layers[2].biases.map { Double(Float($0)) })
        let grid = trained.onGrid(sizes: ["x": 5, "t": 4])
        let values = try decoded.evaluate(grid.grid.points, count: grid.grid.count)
        for i in 0..<grid.grid.count { #expect(abs(values[i] - grid.values[i]) <= 1e-6 * max(1, abs(grid.values[i]))) }
    }
}
