import PINNExpressions

/// A trained network at given points: the outputs, the derivatives asked for and the residuals of the problem's
/// interior equations (what the loss drives to zero), each one value per point.
public struct Prediction: Sendable {
    public let count: Int
    /// The outputs, then the requested derivatives, by their expression names (`u`, `u_x`, `u_tx`).
    public let fields: [(name: String, values: [Double])]
    /// The interior terms' residuals by term name (`name[e]` for the e-th equation of a system term).
    public let residuals: [(name: String, values: [Double])]
}

extension TrainedSolution {
    /// Evaluates at `points` (count × inputs, physical coordinates, in the problem's input order). Derivative names
    /// are those of the expression language, up to fourth order; errors name `derivatives[i]`.
    public func predict(points: [Double], derivatives names: [String], residuals: Bool) throws(JobSpecError) -> Prediction {
        let d = problem.inputs.count
        precondition(points.count % d == 0)
        let count = points.count / d
        let scope = ExpressionScope(inputs: problem.inputs, fields: problem.outputs)
        var requested: [(name: String, output: Int, derivative: Derivative)] = []
        var issues: [JobSpecError.Issue] = []
        for (i, name) in names.enumerated() {
            do {
                let field = try scope.field(named: name, in: "derivatives[\(i)]")
                requested.append((name, field.output, field.derivative))
            } catch {
                issues.append(.init(field: error.field, message: error.message))
            }
        }
        guard issues.isEmpty else { throw JobSpecError(issues: issues) }

        let derivatives = [[]] + Array(Set(requested.map(\.derivative).filter { !$0.isEmpty }))
        let streams = solution.evaluate(points, derivatives: derivatives)
        let m = problem.outputs.count
        func column(_ output: Int, _ derivative: Derivative) -> [Double] {
            let block = streams[derivatives.firstIndex(of: derivative)!]
            return (0..<count).map { block[$0 * m + output] }
        }
        let fields = problem.outputs.indices.map { (problem.outputs[$0], column($0, [])) }
            + requested.filter { !$0.derivative.isEmpty }.map { ($0.name, column($0.output, $0.derivative)) }

        return Prediction(count: count, fields: fields, residuals: residuals ? residualColumns(points) : [])
    }

    /// The interior terms' residuals at `points`, each point's by its time window's network on that window's box.
    private func residualColumns(_ points: [Double]) -> [(name: String, values: [Double])] {
        let d = problem.inputs.count, count = points.count / d
        let interior = problem.terms.filter { $0.region == .interior && $0.residual.rowsPerSample == 1 }
        var columns = interior.flatMap { term in
            let equations = term.residual.equationCount
            return (0..<equations).map { e in
                (name: equations == 1 ? term.name : "\(term.name)[\(e)]", values: [Double](repeating: 0, count: count))
            }
        }
        var rows = [[Int]](repeating: [], count: solution.networks.count)
        for i in 0..<count { rows[solution.window(of: points[i * d + solution.windows.input])].append(i) }
        for (j, members) in rows.enumerated() where !members.isEmpty {
            let network = solution.networks[j]
            var restricted = problem.restricted(lower: network.lower, upper: network.upper)
            restricted.terms = interior
            let subset = members.flatMap { points[($0 * d)..<(($0 + 1) * d)] }
            let loss = PINNLoss<Double>(problem: restricted, architecture: network.architecture,
                                        points: TrainingPoints(perTerm: interior.map { _ in subset }),
                                        slopeRecoveryWeight: 0, threads: 1)
            var column = 0
            for (t, term) in interior.enumerated() {
                let values = loss.residuals(network.parameters + learnedInOrder, term: t)
                for e in 0..<term.residual.equationCount {
                    for (r, i) in members.enumerated() { columns[column].values[i] = values[e * members.count + r] }
                    column += 1
                }
            }
        }
        return columns
    }
}
