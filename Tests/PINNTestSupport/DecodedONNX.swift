import Foundation

/// An ONNX model read back from its bytes, independently of the writer: a plain protobuf wire-format reader
/// (varints and length-delimited fields, the only wire types an ONNX file of ours holds; any other is an error)
/// over the field numbers of onnx/onnx.proto, and an interpreter of the few operators an exported network uses
/// (MatMul, Add, Mul with a row vector broadcast over the points, Tanh, Sin, Cos, Concat and Gather along the
/// columns), evaluated in Double.
public struct DecodedONNX {
    public struct Tensor { public var name: String; public var dims: [Int]; public var dataType: Int; public var values: [Double] }
    public struct Node {
        public var name: String
        public var opType: String
        public var inputs: [String]
        public var outputs: [String]
        /// Integer attributes by name (`axis`).
        public var attributes: [String: Int] = [:]
    }
    public struct ValueInfo {
        public var name: String
        public var elementType: Int
        /// A fixed size, or nil for a symbolic dimension (its name in `parameters`).
        public var dims: [Int?]
        public var parameters: [String]
    }

    public struct FormatError: Error, CustomStringConvertible { public let description: String }

    public var irVersion = 0
    public var producer = ""
    /// (domain, version) per `opset_import`.
    public var opsets: [(domain: String, version: Int)] = []
    public var graphName = ""
    public var nodes: [Node] = []
    public var initializers: [Tensor] = []
    public var inputs: [ValueInfo] = []
    public var outputs: [ValueInfo] = []
    public var metadata: [String: String] = [:]

    public init(_ bytes: [UInt8]) throws {
        for field in try Self.fields(bytes[...]) {
            switch field.number {
            case 1: irVersion = try field.int()
            case 2: producer = try field.string()
            case 7: try readGraph(try field.bytes())
            case 8:
                var domain = "", version = 0
                for f in try Self.fields(try field.bytes()) {
                    if f.number == 1 { domain = try f.string() } else if f.number == 2 { version = try f.int() }
                }
                opsets.append((domain, version))
            case 14:
                var key = "", value = ""
                for f in try Self.fields(try field.bytes()) {
                    if f.number == 1 { key = try f.string() } else if f.number == 2 { value = try f.string() }
                }
                metadata[key] = value
            default: break
            }
        }
    }

    /// The graph at `points` (count × inputs, row-major): count × outputs.
    public func evaluate(_ points: [Double], count: Int) throws -> [Double] {
        var values: [String: (rows: Int, columns: Int, data: [Double])] = [:]
        for tensor in initializers {
            values[tensor.name] = tensor.dims.count == 2 ? (tensor.dims[0], tensor.dims[1], tensor.values)
                                                         : (1, tensor.dims.first ?? 1, tensor.values)
        }
        values[inputs[0].name] = (count, points.count / max(count, 1), points)
        for node in nodes {
            guard let a = values[node.inputs[0]] else { throw FormatError(description: "\(node.name): \(node.inputs[0]) undefined") }
            let b = node.inputs.count > 1 ? values[node.inputs[1]] : nil
            var out = a
            switch node.opType {
            case "MatMul":
                guard let b, a.columns == b.rows else { throw FormatError(description: "\(node.name): shapes do not match") }
                out = (a.rows, b.columns, [Double](repeating: 0, count: a.rows * b.columns))
                for i in 0..<a.rows { for j in 0..<b.columns {
                    var sum = 0.0
                    for k in 0..<a.columns { sum += a.data[i * a.columns + k] * b.data[k * b.columns + j] }
                    out.data[i * b.columns + j] = sum
                } }
            case "Add", "Mul":
                guard let b, b.rows == 1, b.columns == a.columns else { throw FormatError(description: "\(node.name): not a row broadcast") }
                for i in out.data.indices {
                    let c = b.data[i % a.columns]
                    out.data[i] = node.opType == "Add" ? a.data[i] + c : a.data[i] * c
                }
            case "Tanh": out.data = a.data.map(Foundation.tanh)
            case "Sin": out.data = a.data.map(Foundation.sin)
            case "Cos": out.data = a.data.map(Foundation.cos)
            case "Concat":
                let parts = try node.inputs.map { name in
                    guard let part = values[name], part.rows == a.rows else { throw FormatError(description: "\(node.name): \(name)") }
                    return part
                }
                guard node.attributes["axis"] == 1 else { throw FormatError(description: "\(node.name): only axis 1 is interpreted") }
                let columns = parts.reduce(0) { $0 + $1.columns }
                out = (a.rows, columns, (0..<a.rows).flatMap { i in parts.flatMap { $0.data[(i * $0.columns)..<((i + 1) * $0.columns)] } })
            case "Gather":
                guard let b, node.attributes["axis"] == 1 else { throw FormatError(description: "\(node.name): only axis 1 is interpreted") }
                let picked = b.data.map(Int.init)
                guard picked.allSatisfy({ (0..<a.columns).contains($0) }) else { throw FormatError(description: "\(node.name): index out of range") }
                out = (a.rows, picked.count, (0..<a.rows).flatMap { i in picked.map { a.data[i * a.columns + $0] } })
            default: throw FormatError(description: "\(node.name): operator \(node.opType) is not interpreted here")
            }
            values[node.outputs[0]] = out
        }
        guard let result = values[outputs[0].name] else { throw FormatError(description: "the output is never computed") }
        return result.data
    }

    // MARK: - The messages

    private mutating func readGraph(_ bytes: ArraySlice<UInt8>) throws {
        for field in try Self.fields(bytes) {
            switch field.number {
            case 1:
                var node = Node(name: "", opType: "", inputs: [], outputs: [])
                for f in try Self.fields(try field.bytes()) {
                    switch f.number {
                    case 1: node.inputs.append(try f.string())
                    case 2: node.outputs.append(try f.string())
                    case 3: node.name = try f.string()
                    case 4: node.opType = try f.string()
                    case 5:
                        var name = "", value: Int?, type = 0
                        for a in try Self.fields(try f.bytes()) {
                            switch a.number {
                            case 1: name = try a.string()
                            case 3: value = try a.int()
                            case 20: type = try a.int()
                            default: break
                            }
                        }
                        guard type == 2, let value else { throw FormatError(description: "\(node.name): attribute \(name) is not an INT") }
                        node.attributes[name] = value
                    default: break
                    }
                }
                nodes.append(node)
            case 2: graphName = try field.string()
            case 5: initializers.append(try Self.tensor(try field.bytes()))
            case 11: inputs.append(try Self.valueInfo(try field.bytes()))
            case 12: outputs.append(try Self.valueInfo(try field.bytes()))
            default: break
            }
        }
    }

    private static func tensor(_ bytes: ArraySlice<UInt8>) throws -> Tensor {
        var tensor = Tensor(name: "", dims: [], dataType: 0, values: [])
        var raw: ArraySlice<UInt8> = []
        for f in try fields(bytes) {
            switch f.number {
            case 1: tensor.dims.append(try f.int())
            case 2: tensor.dataType = try f.int()
            case 8: tensor.name = try f.string()
            case 9: raw = try f.bytes()
            default: break
            }
        }
        let width = tensor.dataType == 11 || tensor.dataType == 7 ? 8 : tensor.dataType == 1 ? 4 : 0
        guard width > 0, raw.count == width * tensor.dims.reduce(1, *) else {
            throw FormatError(description: "\(tensor.name): \(raw.count) raw bytes for type \(tensor.dataType), dims \(tensor.dims)")
        }
        let raws = Array(raw)
        tensor.values = stride(from: 0, to: raws.count, by: width).map { offset in
            var bits: UInt64 = 0
            for b in 0..<width { bits |= UInt64(raws[offset + b]) << (8 * UInt64(b)) }
            switch tensor.dataType {
            case 7: return Double(Int64(bitPattern: bits))
            case 11: return Double(bitPattern: bits)
            default: return Double(Float(bitPattern: UInt32(bits)))
            }
        }
        return tensor
    }

    private static func valueInfo(_ bytes: ArraySlice<UInt8>) throws -> ValueInfo {
        var info = ValueInfo(name: "", elementType: 0, dims: [], parameters: [])
        for f in try fields(bytes) where f.number == 1 || f.number == 2 {
            if f.number == 1 { info.name = try f.string(); continue }
            for typeField in try fields(try f.bytes()) where typeField.number == 1 {            // TypeProto.tensor_type
                for tensorField in try fields(try typeField.bytes()) {
                    if tensorField.number == 1 { info.elementType = try tensorField.int() }
                    guard tensorField.number == 2 else { continue }                              // TensorShapeProto
                    for dim in try fields(try tensorField.bytes()) where dim.number == 1 {
                        var size: Int?
                        for d in try fields(try dim.bytes()) {
                            if d.number == 1 { size = try d.int() } else if d.number == 2 { info.parameters.append(try d.string()) }
                        }
                        info.dims.append(size)
                    }
                }
            }
        }
        return info
    }

    // MARK: - The wire format

    struct Field {
        let number: Int
        let varint: UInt64?
        let payload: ArraySlice<UInt8>?

        func int() throws -> Int {
            guard let varint else { throw FormatError(description: "field \(number): expected a varint") }
            return Int(Int64(bitPattern: varint))
        }
        func bytes() throws -> ArraySlice<UInt8> {
            guard let payload else { throw FormatError(description: "field \(number): expected length-delimited bytes") }
            return payload
        }
        func string() throws -> String {
            guard let text = String(bytes: try bytes(), encoding: .utf8) else { throw FormatError(description: "field \(number): not UTF-8") }
            return text
        }
    }

    static func fields(_ bytes: ArraySlice<UInt8>) throws -> [Field] {
        var fields: [Field] = []
        var i = bytes.startIndex
        func varint() throws -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard i < bytes.endIndex, shift < 64 else { throw FormatError(description: "a truncated varint") }
                let byte = bytes[i]
                i += 1
                value |= UInt64(byte & 0x7f) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }
        while i < bytes.endIndex {
            let key = try varint()
            let number = Int(key >> 3)
            switch key & 7 {
            case 0: fields.append(Field(number: number, varint: try varint(), payload: nil))
            case 2:
                let length = Int(try varint())
                guard length <= bytes.endIndex - i else { throw FormatError(description: "field \(number): length past the end") }
                fields.append(Field(number: number, varint: nil, payload: bytes[i..<(i + length)]))
                i += length
            default: throw FormatError(description: "field \(number): wire type \(key & 7)")
            }
        }
        return fields
    }
}
