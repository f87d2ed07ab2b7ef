import Foundation

/// The parameters an optimiser working in Double moves — those a phase trains, frozen ones left out — beside the
/// run's parameters in the training precision (`QuasiNewtonPhase`, `LevenbergMarquardtPhase`). In Float the
/// Double iterate does not round-trip through the parameters, so the optimiser continues from its own iterate while
/// the parameters are what its last step left.
struct ActiveParameters<Scalar: PINNScalar> {
    /// The indices of the parameters that train, in order.
    let indices: [Int]
    /// Each parameter's position in the Double vector (nil: frozen).
    let positions: [Int?]
    private var lastParameters: [Scalar] = []
    private var lastIterate: [Double] = []

    init(count: Int, frozen: FrozenParameters) {
        indices = (0..<count).filter { !frozen.contains($0) }
        var positions = [Int?](repeating: nil, count: count)
        for (k, i) in indices.enumerated() { positions[i] = k }
        self.positions = positions
    }

    var count: Int { indices.count }

    /// An optimiser restored from a checkpoint must have been made for this many parameters.
    func check(optimizerCount: Int) throws {
        guard optimizerCount == count else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription:
                "its optimiser has \(optimizerCount) parameters, the phase trains \(count)"))
        }
    }

    /// The Double iterate at `parameters`: the last step's own, when the parameters are what it left.
    func iterate(at parameters: [Scalar]) -> [Double] {
        parameters == lastParameters ? lastIterate : indices.map { Double(parameters[$0]) }
    }

    /// Writes the iterate `x` into the trained entries of `full` (the frozen ones keep their values).
    func scatter(_ x: [Double], into full: inout [Scalar]) {
        for (k, i) in indices.enumerated() { full[i] = Scalar(x[k]) }
    }

    /// The step ended at `x`: the parameters take it, and it is remembered as the iterate they stand for.
    mutating func accept(_ x: [Double], into parameters: inout [Scalar]) {
        scatter(x, into: &parameters)
        (lastParameters, lastIterate) = (parameters, x)
    }

    /// The parameters will be set from outside (a rollback): the next iterate is read from them.
    mutating func forget() { (lastParameters, lastIterate) = ([], []) }
}
