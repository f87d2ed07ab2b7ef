/// The most recent loss of a job with its terms by name, so a job's status can be shown without reading the
/// whole history (and without knowing the problem's term order).
public struct LatestLoss: Codable, Sendable, Equatable {
    public var iteration: Int
    public var total: Double
    public var terms: [String: Double]

    public init(iteration: Int, total: Double, terms: [String: Double]) {
        self.iteration = iteration
        self.total = total
        self.terms = terms
    }
}
