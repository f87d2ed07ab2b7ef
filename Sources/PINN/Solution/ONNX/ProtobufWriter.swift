/// Protocol Buffers' wire format (protobuf.dev, "Encoding"), the part ONNX files need. A message is a sequence of
/// fields, each a key — the varint `fieldNumber << 3 | wireType` — then its value:
///
/// - wire type 0 (`VARINT`): int32, int64 and enums as a base-128 varint, seven bits a byte, least significant
///   group first, the high bit set on every byte but the last; a negative integer is its 64-bit two's complement
///   (ten bytes);
/// - wire type 2 (`LEN`): a varint byte count, then the bytes: strings (UTF-8), `bytes` and embedded messages.
///
/// Fields are written in the order they are called (readers accept any order); a repeated field is the same key
/// written once per element (unpacked, as proto2 — ONNX's syntax — writes repeated integers). Nothing here is ONNX-specific: `ONNXModel` says which field is which.
public struct ProtobufWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    enum WireType: UInt64 {
        case varint = 0
        case lengthDelimited = 2
    }

    /// An integer or enum field (wire type 0).
    public mutating func varint(_ field: Int, _ value: Int64) {
        key(field, .varint)
        appendVarint(UInt64(bitPattern: value))
    }

    /// A string field: its UTF-8 bytes, length-delimited.
    public mutating func string(_ field: Int, _ value: String) {
        bytes(field, Array(value.utf8))
    }

    /// A `bytes` field, length-delimited.
    public mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, .lengthDelimited)
        appendVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// An embedded message, length-delimited: `write` fills a writer of its own, whose bytes become the value.
    public mutating func message(_ field: Int, _ write: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter()
        write(&inner)
        bytes(field, inner.bytes)
    }

    private mutating func key(_ field: Int, _ type: WireType) {
        precondition(field > 0 && field < 1 << 29, "protobuf field numbers are 1…2²⁹−1")
        appendVarint(UInt64(field) << 3 | type.rawValue)
    }

    private mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7f) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
}
