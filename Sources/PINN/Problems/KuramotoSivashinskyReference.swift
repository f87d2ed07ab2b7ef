/// The reference solution of the `kuramoto-sivashinsky` preset (`"exact": {"reference": "kuramoto-sivashinsky"}`),
///
///     u_t + α·u·u_x + β·u_xx + γ·u_xxxx = 0,  α = 100/16, β = 100/16², γ = 100/16⁴,  x ∈ [0, 2π] periodic,
///     t ∈ [0, 1],  u(x, 0) = cos(x)·(1 + sin(x)),
///
/// with no closed form. `scripts/kuramoto-sivashinsky-reference.py` computes it — Fourier pseudo-spectral in x with
/// 510 modes, ETDRK4 with dt = 2.5·10⁻⁵ — converged to ~1e−9 (doubling N changes u by 2e−11, halving dt by 5e−9),
/// and this type carries u at the 510 nodes x_n = 2πn/510 and the 101 times t_i = i/100
/// (`References/kuramoto_sivashinsky_510x101.f64`). The preset's 256 output points x_j = 2πj/255 are every second
/// node; elsewhere `GridReferenceSolution` interpolates (degree 7 in x, cubic in t).
public struct KuramotoSivashinskyReference: ExactSolution {
    public init() {}

    /// The grid, read from the resource once per process (on first evaluation, not when a spec is checked).
    public static let grid: GridReferenceSolution = {
        do {
            return try load()
        } catch {
            preconditionFailure("\(error)")
        }
    }()

    public func values(at points: [Double]) -> [Double] { Self.grid.values(at: points) }

    public static func load() throws(BundledGrid.UnreadableResource) -> GridReferenceSolution {
        try BundledGrid.load(resource: "kuramoto_sivashinsky_510x101", x: 0...(2 * Double.pi), nodes: 510, t: 0...1,
                             times: 101, script: "scripts/kuramoto-sivashinsky-reference.py")
    }
}
