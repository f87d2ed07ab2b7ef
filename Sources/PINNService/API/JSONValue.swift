/// A JSON document built at run time (nested arrays of a grid's depth, objects with data-dependent keys),
/// encoded through JSONEncoder so doubles round-trip exactly (JSONSerialization on Linux drops the last digit).
public indirect enum JSONValue: Encodable, Sendable {
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
    case bool(Bool)
    case null

    /// A number, or `null` when it is not finite (JSON has no NaN or infinity).
    public static func finite(_ x: Double) -> JSONValue { x.isFinite ? .number(x) : .null }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let x): try container.encode(x)
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        case .bool(let b): try container.encode(b)
        case .null: try container.encodeNil()
        }
    }
}
