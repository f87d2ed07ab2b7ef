import Foundation

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

    /// A value from JSONSerialization (numbers as doubles; true and false told from 1 and 0 by their type).
    public init(jsonObject value: Any) {
        switch value {
        case let n as NSNumber where String(cString: n.objCType) == "c": self = .bool(n.boolValue)
        case let n as NSNumber: self = .finite(n.doubleValue)
        case let s as String: self = .string(s)
        case let a as [Any]: self = .array(a.map(JSONValue.init(jsonObject:)))
        case let o as [String: Any]: self = .object(o.mapValues(JSONValue.init(jsonObject:)))
        default: self = .null
        }
    }

    /// The value of a JSON text (`"layer"`, `[8,8]`); null when it does not parse.
    public init(jsonText: String) {
        let value = (try? JSONSerialization.jsonObject(with: Data(jsonText.utf8), options: [.fragmentsAllowed])) ?? NSNull()
        self.init(jsonObject: value)
    }

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
