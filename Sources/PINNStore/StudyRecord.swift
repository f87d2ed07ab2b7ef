import Foundation

/// A study as the store knows it: the document it was submitted with (`definition`, the JSON the service expands
/// again to name its cells; the store does not read it) and the jobs it made, each at its place in the grid. The
/// jobs are ordinary jobs; a job deleted on its own leaves the study.
public struct StudyRecord: Sendable, Equatable {
    /// One job of the study: its cell and its place among the cell's runs (the seed's index).
    public struct Run: Sendable, Equatable, Hashable {
        public let cell: Int
        public let run: Int
        public let jobID: String

        public init(cell: Int, run: Int, jobID: String) {
            self.cell = cell
            self.run = run
            self.jobID = jobID
        }
    }

    public var id: String
    public var name: String?
    public var definition: Data
    public var createdAt: Date
    /// The API token that submitted it, as for jobs (`JobVisibility`).
    public var owner: String?
    public var shared: Bool
    /// By cell, then run.
    public var runs: [Run]

    public init(id: String, name: String?, definition: Data, createdAt: Date, owner: String?, shared: Bool, runs: [Run]) {
        self.id = id
        self.name = name
        self.definition = definition
        self.createdAt = createdAt
        self.owner = owner
        self.shared = shared
        self.runs = runs
    }
}
