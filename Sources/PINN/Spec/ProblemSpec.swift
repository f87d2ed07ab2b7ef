/// A PDE problem as data (docs/problems.md): named inputs on a box, named output fields, parameters, residual
/// equations, conditions on faces, observations and an optional exact solution. Expressions are text in the
/// expression language (`PINNExpressions`); `ProblemBuilder` checks and compiles them into a `Problem`.
/// This is the normalised form: every default filled, every term named.
public struct ProblemSpec: Codable, Sendable, Equatable {
    /// A label: the preset's name, or the user's.
    public var name: String
    /// Coordinates, each a single lowercase letter: up to three space dimensions plus an optional `t`.
    public var inputs: [String]
    /// [lower, upper] of every input.
    public var domain: [String: [Double]]
    /// The fields the network outputs.
    public var outputs: [String]
    public var parameters: [String: ParameterValue]
    /// Interior residuals, one loss term each.
    public var equations: [Equation]
    public var conditions: [Condition]
    public var observations: [Observation]
    public var exact: Exact?

    public init(name: String, inputs: [String], domain: [String: [Double]], outputs: [String],
                parameters: [String: ParameterValue] = [:], equations: [Equation] = [], conditions: [Condition] = [],
                observations: [Observation] = [], exact: Exact? = nil) {
        self.name = name
        self.inputs = inputs
        self.domain = domain
        self.outputs = outputs
        self.parameters = parameters
        self.equations = equations
        self.conditions = conditions
        self.observations = observations
        self.exact = exact
    }

    /// A named constant, or an unknown learned with the network (JSON: a number, or
    /// `{"learn": true, "initial": 0.05}`).
    public enum ParameterValue: Codable, Sendable, Equatable {
        case constant(Double)
        case learned(initial: Double)

        public var value: Double {
            switch self {
            case .constant(let x), .learned(initial: let x): x
            }
        }

        private enum Keys: String, CodingKey { case learn, initial }

        public init(from decoder: any Decoder) throws {
            if let x = try? decoder.singleValueContainer().decode(Double.self) {
                self = .constant(x)
                return
            }
            let object = try decoder.container(keyedBy: Keys.self)
            let initial = try object.decode(Double.self, forKey: .initial)
            self = try object.decodeIfPresent(Bool.self, forKey: .learn) == false ? .constant(initial)
                                                                                : .learned(initial: initial)
        }

        public func encode(to encoder: any Encoder) throws {
            switch self {
            case .constant(let x):
                var single = encoder.singleValueContainer()
                try single.encode(x)
            case .learned(let initial):
                var object = encoder.container(keyedBy: Keys.self)
                try object.encode(true, forKey: .learn)
                try object.encode(initial, forKey: .initial)
            }
        }
    }

    /// A residual r(x, u, ∂u, ∂²u, parameters) = 0 in the interior: the loss term weight · mean(r²).
    public struct Equation: Codable, Sendable, Equatable {
        public var name: String
        public var residual: String
        public var weight: Double
        /// Interior points; nil takes `training.collocationPoints`.
        public var points: Int?

        public init(name: String, residual: String, weight: Double = 1, points: Int? = nil) {
            self.name = name
            self.residual = residual
            self.weight = weight
            self.points = points
        }
    }

    /// A condition on faces of the box (or on the whole domain, for function fitting): each assignment
    /// `"u": "g"` or `"u_x": "g"` is the residual u − g (Dirichlet, Neumann), `residual` entries are any residual
    /// expressions (Robin and the like), and `periodic` ties the two faces of an input together (values and first
    /// derivatives along it). JSON keys other than the ones below are assignments.
    public struct Condition: Codable, Sendable, Equatable {
        public var name: String
        /// Faces written `"x = -1"`, or `"domain"` for the interior; empty for a periodic condition.
        public var on: [String]
        /// The input whose two faces are identified.
        public var periodic: String?
        /// Field or derivative → target expression, in key order.
        public var assignments: [String: String]
        public var residuals: [String]
        public var weight: Double
        /// Points (pairs, for a periodic condition); nil takes `training.boundaryPoints` (or
        /// `training.collocationPoints` on the domain).
        public var points: Int?

        public init(name: String, on: [String] = [], periodic: String? = nil, assignments: [String: String] = [:],
                    residuals: [String] = [], weight: Double = 1, points: Int? = nil) {
            self.name = name
            self.on = on
            self.periodic = periodic
            self.assignments = assignments
            self.residuals = residuals
            self.weight = weight
            self.points = points
        }

        static let reservedKeys = JobSpecObject.condition.members

        public init(from decoder: any Decoder) throws {
            let object = try decoder.container(keyedBy: AnyKey.self)
            name = try object.decode(String.self, forKey: AnyKey("name"))
            on = try object.decodeIfPresent([String].self, forKey: AnyKey("on")) ?? []
            periodic = try object.decodeIfPresent(String.self, forKey: AnyKey("periodic"))
            residuals = try object.decodeIfPresent([String].self, forKey: AnyKey("residual")) ?? []
            weight = try object.decodeIfPresent(Double.self, forKey: AnyKey("weight")) ?? 1
            points = try object.decodeIfPresent(Int.self, forKey: AnyKey("points"))
            assignments = [:]
            for key in object.allKeys where !Self.reservedKeys.contains(key.stringValue) {
                assignments[key.stringValue] = try object.decode(String.self, forKey: key)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var object = encoder.container(keyedBy: AnyKey.self)
            try object.encode(name, forKey: AnyKey("name"))
            if !on.isEmpty { try object.encode(on, forKey: AnyKey("on")) }
            try object.encodeIfPresent(periodic, forKey: AnyKey("periodic"))
            for (target, expression) in assignments { try object.encode(expression, forKey: AnyKey(target)) }
            if !residuals.isEmpty { try object.encode(residuals, forKey: AnyKey("residual")) }
            try object.encode(weight, forKey: AnyKey("weight"))
            try object.encodeIfPresent(points, forKey: AnyKey("points"))
        }
    }

    /// Data the solution must match: inline rows (`columns` names the inputs and the observed outputs), or
    /// `sampleExact` points drawn from the exact solution (with optional Gaussian noise of standard deviation
    /// `noise`), which is how the presets pose inverse problems without shipping data files.
    public struct Observation: Codable, Sendable, Equatable {
        public var name: String
        public var columns: [String]
        public var rows: [[Double]]
        public var sampleExact: Int?
        public var noise: Double
        public var weight: Double

        public init(name: String, columns: [String] = [], rows: [[Double]] = [], sampleExact: Int? = nil,
                    noise: Double = 0, weight: Double = 1) {
            self.name = name
            self.columns = columns
            self.rows = rows
            self.sampleExact = sampleExact
            self.noise = noise
            self.weight = weight
        }

        private enum Keys: String, CodingKey { case name, columns, rows, sampleExact, noise, weight }

        public init(from decoder: any Decoder) throws {
            let object = try decoder.container(keyedBy: Keys.self)
            name = try object.decode(String.self, forKey: .name)
            columns = try object.decodeIfPresent([String].self, forKey: .columns) ?? []
            rows = try object.decodeIfPresent([[Double]].self, forKey: .rows) ?? []
            sampleExact = try object.decodeIfPresent(Int.self, forKey: .sampleExact)
            noise = try object.decodeIfPresent(Double.self, forKey: .noise) ?? 0
            weight = try object.decodeIfPresent(Double.self, forKey: .weight) ?? 1
        }

        /// Only the members of the observation's kind (rows, or sampled from the exact solution).
        public func encode(to encoder: any Encoder) throws {
            var object = encoder.container(keyedBy: Keys.self)
            try object.encode(name, forKey: .name)
            if let sampleExact {
                try object.encode(sampleExact, forKey: .sampleExact)
                if noise > 0 { try object.encode(noise, forKey: .noise) }
            } else {
                try object.encode(columns, forKey: .columns)
                try object.encode(rows, forKey: .rows)
            }
            try object.encode(weight, forKey: .weight)
        }
    }

    /// The exact solution to report errors against: an expression per output, or a built-in `Reference`.
    public struct Exact: Codable, Sendable, Equatable {
        /// The built-in reference solutions, by the name a spec gives them.
        public enum Reference: String, CaseIterable, Codable, Sendable {
            /// The Cole–Hopf solution for u(x, 0) = −sin(πx), u(±1, t) = 0 on x ∈ [−1, 1] (`BurgersExactSolution`),
            /// with viscosity `nu`, default the problem's constant `nu`.
            case burgers
            /// The spectral solution of the allen-cahn preset's problem (`AllenCahnReference`).
            case allenCahn = "allen-cahn"
            /// The spectral solution of the kuramoto-sivashinsky preset's problem (`KuramotoSivashinskyReference`).
            case kuramotoSivashinsky = "kuramoto-sivashinsky"
        }

        public var fields: [String: String]
        public var reference: Reference?
        public var nu: Double?

        public init(fields: [String: String] = [:], reference: Reference? = nil, nu: Double? = nil) {
            self.fields = fields
            self.reference = reference
            self.nu = nu
        }

        public init(from decoder: any Decoder) throws {
            let object = try decoder.container(keyedBy: AnyKey.self)
            reference = try object.decodeIfPresent(Reference.self, forKey: AnyKey("reference"))
            nu = reference == nil ? nil : try object.decodeIfPresent(Double.self, forKey: AnyKey("nu"))
            fields = [:]
            if reference == nil {
                for key in object.allKeys { fields[key.stringValue] = try object.decode(String.self, forKey: key) }
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var object = encoder.container(keyedBy: AnyKey.self)
            if let reference {
                try object.encode(reference, forKey: AnyKey("reference"))
                try object.encodeIfPresent(nu, forKey: AnyKey("nu"))
            } else {
                for (field, expression) in fields { try object.encode(expression, forKey: AnyKey(field)) }
            }
        }
    }

    /// Constants by name (learned parameters at their initial values excluded).
    public var constants: [String: Double] {
        parameters.compactMapValues { if case .constant(let x) = $0 { x } else { nil } }
    }

    /// Learned parameters, sorted by name (their order in the optimiser's vector).
    public var learned: [LearnedParameter] {
        parameters.keys.sorted().compactMap { name in
            if case .learned(let initial) = parameters[name]! { LearnedParameter(name: name, initial: initial) } else { nil }
        }
    }

    /// The names of the loss terms, in order: equations, conditions, observations.
    public var termNames: [String] { equations.map(\.name) + conditions.map(\.name) + observations.map(\.name) }
}

/// A coding key for JSON objects whose member names are data (field names, targets).
struct AnyKey: CodingKey {
    let stringValue: String
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}
