/// A face of the domain box: input `input` held at its lower or upper bound.
public struct Face: Hashable, Sendable, Codable {
    public let input: Int
    public let upper: Bool
    public init(input: Int, upper: Bool) { self.input = input; self.upper = upper }
}

/// Where a loss term's points are drawn.
public enum Region: Hashable, Sendable {
    /// The interior of the box.
    case interior
    /// One or more faces; points are split evenly over them.
    case faces([Face])
    /// Pairs of points on the two faces of input `input` that share every other coordinate, interleaved
    /// (lower-face row, then upper-face row): what a periodic condition compares.
    case periodic(input: Int)
    /// Given points (count × inputs, row-major): observations.
    case given([Double])
}

/// One term of the loss: weight · mean over its points of |r|².
public struct LossTermDefinition: Sendable {
    public let name: String
    public let region: Region
    public let residual: any PointResidual
    public var weight: Double
    /// Samples to draw for this term; nil takes the job's default for its region (interior or face).
    public var points: Int?

    public init(name: String, region: Region, residual: any PointResidual, weight: Double = 1, points: Int? = nil) {
        self.name = name
        self.region = region
        self.residual = residual
        self.weight = weight
        self.points = points
    }
}

/// An exact solution to report errors against (closed form or a reference like Cole–Hopf for Burgers).
public protocol ExactSolution: Sendable {
    /// The outputs at `points` (count × inputs): count × outputs, row-major.
    func values(at points: [Double]) -> [Double]
}

/// A problem the engine can train: named inputs on a box, named outputs, loss terms, and optionally an exact
/// solution. It is data plus pointwise residuals: the PDE-spec language (a later issue) builds the same thing.
public struct Problem: Sendable {
    public let name: String
    public let inputs: [String]
    public let outputs: [String]
    public let lower: [Double]
    public let upper: [Double]
    public var terms: [LossTermDefinition]
    public let exact: (any ExactSolution)?
    /// The constants the problem was built with (for reports).
    public let parameters: [String: Double]
    /// Unknown constants trained with the network (inverse problems): they follow the network's parameters
    /// in the optimiser's flat vector, starting from their initial values.
    public let learned: [LearnedParameter]

    public init(name: String, inputs: [String], outputs: [String], lower: [Double], upper: [Double],
                terms: [LossTermDefinition], exact: (any ExactSolution)?, parameters: [String: Double] = [:],
                learned: [LearnedParameter] = []) {
        self.learned = learned
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.lower = lower
        self.upper = upper
        self.terms = terms
        self.exact = exact
        self.parameters = parameters
    }

    /// The input called "t", if the problem is time dependent.
    public var timeInput: Int? { inputs.firstIndex(of: "t") }
}

/// A constant of the problem learned from data: its name and the value training starts from.
public struct LearnedParameter: Sendable, Equatable {
    public let name: String
    public let initial: Double
    public init(name: String, initial: Double) { self.name = name; self.initial = initial }
}
