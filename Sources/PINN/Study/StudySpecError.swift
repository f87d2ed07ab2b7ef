/// Why a study was rejected: every problem found, each naming its field — a member of the study document
/// (`seeds`, `variations["network.adaptive"][2]`) or, for a job of the study that does not validate, the job's
/// own field under `base.` (`base.training.phases[0].iterations`) with the cell it was found in.
public struct StudySpecError: Error, Sendable, Equatable, CustomStringConvertible {
    public let issues: [JobSpecError.Issue]

    public init(issues: [JobSpecError.Issue]) { self.issues = issues }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
