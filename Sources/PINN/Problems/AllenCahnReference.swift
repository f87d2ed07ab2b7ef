import Foundation

/// The reference solution of the `allen-cahn` preset (`"exact": {"reference": "allen-cahn"}`),
///
///     u_t − 10⁻⁴ u_xx + 5u³ − 5u = 0,   x ∈ [−1, 1] periodic,   t ∈ [0, 1],   u(x, 0) = x² cos(πx),
///
/// which has no closed form. `scripts/allen-cahn-reference.py` computes it once — Fourier pseudo-spectral in x
/// with 4080 modes, ETDRK4 in time with dt = 5·10⁻⁵ — and this type carries the result: u at the 2040 periodic
/// nodes x_n = −1 + 2n/2040 and the 101 times t_i = i/100, the resource `References/allen_cahn_2040x101.f64`
/// (float64 little-endian, t-major). Converged to about 1e−12 (`scripts/allen-cahn-reference.py --check`):
/// against 2040 modes and dt = 10⁻⁴ the grid differs by at most 5.8e−10 at t = 0.01 and 1.6e−11 from t = 0.05
/// on (relative L2 6.2e−12); against dt = 10⁻⁴ alone by 1.3e−11, so dt = 5·10⁻⁵ is within ~1e−12.
///
/// The preset's output points x_j = −1 + 2j/255 (256 of them, both ends) are the nodes 8j, so on its 256 × 101
/// grid the reported error is against the solver's own numbers, exactly the values of the test fixture
/// `allen_cahn_ref_256x101.csv`. Anywhere else `GridReferenceSolution` interpolates (degree 7 in x, cubic in t);
/// measured against the spectral solution: at most 3e−7 from t = 0.05 on (1e−6 from t = 0.03). Earlier, next
/// to x = ±1, the slope jump of x² cos(πx) at the periodic seam (u_x = ∓2) is still being smoothed out and
/// the cubic in t errs by up to 4e−4 for t < 0.01 and 6e−5 for t < 0.02. On a 512 × 201 output grid this is a
/// relative L2 error of 2.9e−6. The 256-point grid itself could not serve in between: the interfaces are tanh
/// profiles of width √(2·10⁻⁴/5) ≈ 0.0063, narrower than its spacing 2/255 (cubic interpolation in x from it
/// errs by up to 2e−2 at t = 1).
///
/// The grid (1.6 MB) is read on first evaluation, not when a spec is checked: every preset is built when the
/// first one is looked up, and most jobs never need it.
public struct AllenCahnReference: ExactSolution {
    public init() {}

    /// The grid, read from the resource once per process.
    public static let grid: GridReferenceSolution = {
        do {
            return try load()
        } catch {
            preconditionFailure("\(error)")
        }
    }()

    public func values(at points: [Double]) -> [Double] { Self.grid.values(at: points) }

    /// Reads the grid from the module's resources.
    public static func load() throws(BundledGrid.UnreadableResource) -> GridReferenceSolution {
        try BundledGrid.load(resource: "allen_cahn_2040x101", x: -1...1, nodes: 2040, t: 0...1, times: 101,
                             script: "scripts/allen-cahn-reference.py")
    }
}
