import PINN

/// An exact solution given by a closure of one point's inputs, returning its outputs.
public struct ClosedFormSolution: ExactSolution {
    public let inputs: Int
    public let function: @Sendable ([Double]) -> [Double]

    public init(inputs: Int, _ function: @escaping @Sendable ([Double]) -> [Double]) {
        self.inputs = inputs
        self.function = function
    }

    public func values(at points: [Double]) -> [Double] {
        stride(from: 0, to: points.count, by: inputs).flatMap { function(Array(points[$0..<$0 + inputs])) }
    }
}
