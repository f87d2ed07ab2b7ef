/// The part of ONNX's protobuf schema (onnx/onnx.proto, proto2) an exported network uses, each message with the
/// field numbers it is written with. A model file is one serialised `ModelProto`:
///
///     ModelProto        ir_version = 1 (int64), producer_name = 2, producer_version = 3, doc_string = 6,
///                       graph = 7 (GraphProto), opset_import = 8 (OperatorSetIdProto), metadata_props = 14
///     OperatorSetIdProto  domain = 1 ("" is the default ai.onnx domain), version = 2 (int64)
///     StringStringEntryProto  key = 1, value = 2
///     GraphProto        node = 1 (NodeProto), name = 2, initializer = 5 (TensorProto), doc_string = 10,
///                       input = 11, output = 12 (ValueInfoProto)
///     NodeProto         input = 1, output = 2 (value names), name = 3, op_type = 4, attribute = 5
///     AttributeProto    name = 1, i = 3 (int64), type = 20 (INT = 2): the integer attributes (`axis`) used here
///     TensorProto       dims = 1 (int64), data_type = 2 (FLOAT = 1, INT64 = 7, DOUBLE = 11), name = 8,
///                       raw_data = 9 (the values row-major, little-endian: IEEE 754, or two's complement)
///     ValueInfoProto    name = 1, type = 2 (TypeProto), doc_string = 3
///     TypeProto         tensor_type = 1 (TypeProto.Tensor: elem_type = 1, shape = 2)
///     TensorShapeProto  dim = 1 (Dimension: dim_value = 1 (int64) or dim_param = 2 (a symbolic name))
///
/// IR version 7 goes with opset 13 (onnx/docs/Versioning.md), the first opset in which every operator the
/// network needs (MatMul, Add, Mul, Tanh, Sin, and for input features Cos, Concat, Gather) accepts `double`.
public struct ONNXModel: Sendable {
    public static let irVersion: Int64 = 7
    public static let opsetVersion: Int64 = 13

    /// `TensorProto.DataType`.
    public enum ElementType: Int64, Sendable {
        case float = 1
        /// Indices (`Gather`), held in `Tensor.values` as Doubles, exact below 2⁵³.
        case int64 = 7
        case double = 11

        /// The values as `raw_data`, 4 or 8 little-endian bytes each: IEEE 754 (a Double rounds to the nearest
        /// Float), or a two's-complement int64.
        func rawData(_ values: [Double]) -> [UInt8] {
            var bytes: [UInt8] = []
            switch self {
            case .int64:
                bytes.reserveCapacity(8 * values.count)
                for value in values { withUnsafeBytes(of: Int64(value).littleEndian) { bytes.append(contentsOf: $0) } }
            case .float:
                bytes.reserveCapacity(4 * values.count)
                for value in values { withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
            case .double:
                bytes.reserveCapacity(8 * values.count)
                for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
            }
            return bytes
        }
    }

    /// A constant of the graph (`TensorProto` in `GraphProto.initializer`).
    public struct Tensor: Sendable {
        public var name: String
        public var type: ElementType
        public var dims: [Int]
        /// Row-major, `dims.reduce(1, *)` of them.
        public var values: [Double]

        func write(to writer: inout ProtobufWriter) {
            for dim in dims { writer.varint(1, Int64(dim)) }
            writer.varint(2, type.rawValue)
            writer.string(8, name)
            writer.bytes(9, type.rawData(values))
        }
    }

    /// One operator application (`NodeProto`): `opType` of the default domain, from and to named values, with
    /// integer attributes such as `axis`.
    public struct Node: Sendable {
        public var name: String
        public var opType: String
        public var inputs: [String]
        public var outputs: [String]
        public var attributes: [(name: String, value: Int64)] = []

        func write(to writer: inout ProtobufWriter) {
            for input in inputs { writer.string(1, input) }
            for output in outputs { writer.string(2, output) }
            writer.string(3, name)
            writer.string(4, opType)
            for attribute in attributes {
                writer.message(5) { proto in
                    proto.string(1, attribute.name)
                    proto.varint(3, attribute.value)
                    proto.varint(20, 2)  // AttributeType INT
                }
            }
        }
    }

    /// A tensor dimension: a fixed size, or a symbolic one (the batch of points, `N`).
    public enum Dimension: Sendable, Equatable {
        case value(Int)
        case parameter(String)
    }

    /// A graph input or output with its element type and shape (`ValueInfoProto`).
    public struct ValueInfo: Sendable {
        public var name: String
        public var type: ElementType
        public var shape: [Dimension]
        public var documentation: String

        func write(to writer: inout ProtobufWriter) {
            writer.string(1, name)
            writer.message(2) { typeProto in
                typeProto.message(1) { tensorType in
                    tensorType.varint(1, type.rawValue)
                    tensorType.message(2) { shapeProto in
                        for dimension in shape {
                            shapeProto.message(1) { dim in
                                switch dimension {
                                case .value(let size): dim.varint(1, Int64(size))
                                case .parameter(let name): dim.string(2, name)
                                }
                            }
                        }
                    }
                }
            }
            writer.string(3, documentation)
        }
    }

    public var graphName: String
    public var documentation: String
    public var nodes: [Node] = []
    public var initializers: [Tensor] = []
    public var inputs: [ValueInfo] = []
    public var outputs: [ValueInfo] = []
    /// `metadata_props`: free key–value pairs a reader may show (input and output names, the job's iteration).
    public var metadata: [(key: String, value: String)] = []

    public init(graphName: String, documentation: String) {
        self.graphName = graphName
        self.documentation = documentation
    }

    /// The serialised `ModelProto`: the bytes of a `.onnx` file.
    public func serialized() -> [UInt8] {
        var model = ProtobufWriter()
        model.varint(1, Self.irVersion)
        model.string(2, "pinn-service")
        model.string(3, "1")
        model.string(6, documentation)
        model.message(7) { graph in
            for node in nodes { graph.message(1) { node.write(to: &$0) } }
            graph.string(2, graphName)
            for tensor in initializers { graph.message(5) { tensor.write(to: &$0) } }
            graph.string(10, documentation)
            for input in inputs { graph.message(11) { input.write(to: &$0) } }
            for output in outputs { graph.message(12) { output.write(to: &$0) } }
        }
        model.message(8) { opset in
            opset.string(1, "")
            opset.varint(2, Self.opsetVersion)
        }
        for entry in metadata {
            model.message(14) { pair in
                pair.string(1, entry.key)
                pair.string(2, entry.value)
            }
        }
        return model.bytes
    }
}
