import Foundation

/// A member of a job spec addressed by path, as a study's variations name it: `network.adaptive`,
/// `training.phases[0].iterations` (object members joined by dots, array elements by index). Setting a value
/// creates the objects it passes through when the base does not have them (`network` in a base that keeps the
/// preset's network); an array element must already exist, since what a missing phase would hold is not known.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case member(String)
        case index(Int)
    }

    public let components: [Component]
    /// The path as written: `network.adaptive`.
    public let description: String

    /// Parses `text`; nil unless it is members and indices (`a.b[2].c`), starting with a member.
    public init?(_ text: String) {
        var components: [Component] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.first == "[" {
                guard let close = rest.firstIndex(of: "]"), let n = Int(rest[rest.index(after: rest.startIndex)..<close]),
                      n >= 0, !components.isEmpty else { return nil }
                components.append(.index(n))
                rest = rest[rest.index(after: close)...]
                guard rest.isEmpty || rest.first == "." || rest.first == "[" else { return nil }
                if rest.first == "." {
                    rest = rest.dropFirst()
                    guard !rest.isEmpty, rest.first != "[" else { return nil }
                }
            } else {
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                let name = rest[..<end]
                guard !name.isEmpty, !name.contains("]") else { return nil }
                components.append(.member(String(name)))
                rest = rest[end...]
                if rest.first == "." {
                    rest = rest.dropFirst()
                    guard !rest.isEmpty, rest.first != "[" else { return nil }
                }
            }
        }
        guard !components.isEmpty else { return nil }
        self.components = components
        description = text
    }

    /// `document` (JSON from JSONSerialization) with `value` at this path, or why it cannot be set there.
    public func setting(_ value: Any, in document: Any) -> Result<Any, PathError> {
        Self.set(value, at: components[...], in: document, walked: "")
    }

    public struct PathError: Error, Sendable, Equatable {
        public let message: String
    }

    private static func set(_ value: Any, at rest: ArraySlice<Component>, in node: Any?,
                            walked: String) -> Result<Any, PathError> {
        guard let component = rest.first else { return .success(value) }
        switch component {
        case .member(let name):
            var object: [String: Any]
            switch node {
            case nil: object = [:]
            case let existing as [String: Any]: object = existing
            default:
                return .failure(PathError(message: "the base's \(walked.isEmpty ? "spec" : walked) is not an object, so it has no member \"\(name)\""))
            }
            let here = walked.isEmpty ? name : "\(walked).\(name)"
            switch set(value, at: rest.dropFirst(), in: object[name], walked: here) {
            case .success(let child): object[name] = child
            case .failure(let error): return .failure(error)
            }
            return .success(object)
        case .index(let i):
            guard var array = node as? [Any] else {
                return .failure(PathError(message: "the base has no array at \(walked) to index (write the array in the base to vary one of its elements)"))
            }
            guard i < array.count else {
                return .failure(PathError(message: "the base's \(walked) has \(array.count) element(s), so there is no [\(i)]"))
            }
            switch set(value, at: rest.dropFirst(), in: array[i], walked: "\(walked)[\(i)]") {
            case .success(let child): array[i] = child
            case .failure(let error): return .failure(error)
            }
            return .success(array)
        }
    }
}
