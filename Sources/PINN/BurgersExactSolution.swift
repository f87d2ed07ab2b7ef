// PLACEHOLDER until the Cole–Hopf implementation lands (being written in parallel).
public struct BurgersExactSolution: Sendable {
    public let nu: Double
    public init(nu: Double, quadratureOrder: Int = 400) { self.nu = nu }
    public func value(x: Double, t: Double) -> Double { fatalError("placeholder") }
}
