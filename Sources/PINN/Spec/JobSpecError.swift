/// Why a job spec was rejected: every problem found, each naming the field path (`training.phases[1].optimizer`).
public struct JobSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Issue: Sendable, Equatable, Codable, CustomStringConvertible {
        public let field: String
        public let message: String
        public var description: String { "\(field): \(message)" }
    }

    public let issues: [Issue]
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
