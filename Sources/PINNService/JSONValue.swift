/// A JSON document built at run time (nested arrays of a grid's depth, objects with data-dependent keys),
/// encoded through JSONEncoder so doubles round-trip exactly (JSONSerialization on Linux drops the last digit).
public indirect enum JSONValue: Encodable, Sendable {
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let x): try container.encode(x)
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }
}
