import Foundation

/// Reads untyped JSON (from JSONSerialization) into typed values, checking each against its type and range and
/// collecting every problem with the path of the field it concerns, so a spec's errors are reported all at once.
struct SpecReader {
    let limits: JobSpecParser.Limits
    /// Reading a preset's definition: its problem starts from `ProblemPresets.presetBase`, not the inline recipe.
    var presetDefinition = false
    var issues: [JobSpecError.Issue] = []

    mutating func fail(_ field: String, _ message: String) { issues.append(.init(field: field, message: message)) }

    mutating func object(_ value: Any, _ field: String, allowed: [String]) -> [String: Any]? {
        guard let object = value as? [String: Any] else { fail(field, "must be an object"); return nil }
        for key in object.keys.sorted() where !allowed.contains(key) {
            fail(field.isEmpty ? key : "\(field).\(key)", "unknown field (expected one of: \(allowed.joined(separator: ", ")))")
        }
        return object
    }

    mutating func number(_ value: Any, _ field: String, _ range: ClosedRange<Double>) -> Double? {
        guard let n = value as? NSNumber, !isBoolean(n) else {
            fail(field, "must be a number"); return nil
        }
        let x = n.doubleValue
        guard x.isFinite, range.contains(x) else { fail(field, "must be in \(range.lowerBound)...\(range.upperBound), got \(x)"); return nil }
        return x
    }

    mutating func integer(_ value: Any, _ field: String, _ range: ClosedRange<Int>) -> Int? {
        // An integer literal is range-checked exactly (as a Double, 2⁵³ + 1 would pass as 2⁵³).
        if let n = value as? NSNumber, !isBoolean(n), let exact = Int(exactly: n.int64Value), Double(exact) == n.doubleValue,
           String(describing: n) == String(exact) {
            guard range.contains(exact) else {
                fail(field, "must be in \(range.lowerBound)...\(range.upperBound), got \(exact)"); return nil
            }
            return exact
        }
        guard let x = number(value, field, Double(range.lowerBound)...Double(range.upperBound)) else { return nil }
        guard x == x.rounded() else { fail(field, "must be an integer, got \(x)"); return nil }
        // Double(Int.max) rounds up to 2⁶³, so a bound of Int.max lets 2⁶³ through the check above: not an Int.
        guard let exact = Int(exactly: x), range.contains(exact) else {
            fail(field, "must be in \(range.lowerBound)...\(range.upperBound), got \(x)"); return nil
        }
        return exact
    }

    mutating func bool(_ value: Any, _ field: String) -> Bool? {
        guard let n = value as? NSNumber, isBoolean(n) else { fail(field, "must be true or false"); return nil }
        return n.boolValue
    }

    mutating func choice<E: RawRepresentable & CaseIterable>(_ value: Any, _ field: String, _: E.Type) -> E? where E.RawValue == String {
        let names = E.allCases.map(\.rawValue)
        guard let s = value as? String, let e = E(rawValue: s) else {
            fail(field, "must be one of \(names.joined(separator: ", ")), got \(describe(value))"); return nil
        }
        return e
    }

    /// JSON true/false arrive as NSNumber too; only their type encoding ("c", a C char) tells them apart.
    func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    func describe(_ value: Any) -> String {
        if let s = value as? String { return "\"\(s)\"" }
        if let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]) {
            return String(decoding: data, as: UTF8.self)
        }
        return "\(value)"
    }
}
