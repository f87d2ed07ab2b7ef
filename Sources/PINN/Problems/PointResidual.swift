/// A block of points and the network's derivative streams at them, as a residual sees them (always Double:
/// the problem layer is independent of the precision the network trains in).
public struct ResidualBatch {
    public let count: Int
    public let inputCount: Int
    public let outputCount: Int
    public let streams: TaylorStreams
    /// count × inputs physical coordinates, row-major.
    public let points: UnsafePointer<Double>
    /// Stream-major: `values[(stream · outputs + output) · count + i]`.
    let values: UnsafePointer<Double>
    /// The index of the batch's first row among its term's points (data terms look their targets up by row).
    public let firstRow: Int
    /// The current values of the problem's learned parameters (inverse problems), in `Problem.learned` order.
    public let learned: UnsafeBufferPointer<Double>

    /// The values of one derivative stream of one output at every point of the batch.
    public func stream(_ index: Int, output: Int = 0) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(start: values + (index * outputCount + output) * count, count: count)
    }

    /// Input `input` of point `i`.
    public func coordinate(_ input: Int, of i: Int) -> Double { points[i * inputCount + input] }
}

/// Adjoints of the derivative streams, laid out like `ResidualBatch`'s values; a pullback adds into them.
public struct StreamAdjoint {
    let count: Int
    let outputCount: Int
    let values: UnsafeMutablePointer<Double>
    /// ∂L/∂(learned parameter k): a pullback adds Σ_i r̄_i ∂r_i/∂p_k here.
    public let learned: UnsafeMutableBufferPointer<Double>

    public func stream(_ index: Int, output: Int = 0) -> UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(start: values + (index * outputCount + output) * count, count: count)
    }
}

/// A pointwise residual r(x, u, ∂u, ∂²u) whose mean square is one term of the loss: a PDE, a boundary or
/// initial condition, or a data fit. It declares the derivative streams it reads (and the engine carries only
/// those), evaluates r for a batch, and pulls an adjoint r̄ back to the streams: ū_s += Σ_e r̄_e ∂r_e/∂u_s.
public protocol PointResidual: Sendable {
    /// The derivatives of the outputs the residual reads.
    var derivatives: [Derivative] { get }
    /// The number of residual components per point (equations).
    var equationCount: Int { get }
    /// Writes r into `residual` (equation-major: `residual[e · count + i]`).
    func evaluate(_ batch: ResidualBatch, residual: UnsafeMutableBufferPointer<Double>)
    /// Adds the vector–Jacobian product of `residualAdjoint` (laid out like `residual`) into `adjoint`.
    func pullback(_ batch: ResidualBatch, residualAdjoint: UnsafeBufferPointer<Double>, adjoint: StreamAdjoint)
    /// Rows of the batch one sample occupies (1; 2 for a periodic pair, whose two rows are the two faces).
    /// The term's mean divides by samples, and blocks never split a sample.
    var rowsPerSample: Int { get }
}

extension PointResidual {
    public var rowsPerSample: Int { 1 }
}
