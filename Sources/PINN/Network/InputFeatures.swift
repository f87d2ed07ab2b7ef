import Foundation
import PINNNumerics

/// What the first hidden layer sees instead of the scaled inputs ξ ∈ [−1, 1]^d (docs/design.md §4.4):
///
/// - an input with a `period` P enters as the pair cos(ωx), sin(ωx), ω = 2π/P, of its physical coordinate x, so
///   the network is exactly P-periodic in it (values and every derivative); the other inputs enter as ξ_j;
/// - with `fourier`, that vector v (of `baseCount` entries) is replaced by [cos(Bv), sin(Bv)], B an m × baseCount
///   matrix of N(0, σ²) entries drawn from the features' seed (random Fourier features, Tancik et al. 2020;
///   Wang, Wang & Perdikaris 2021), 2m features in all.
///
/// The features are fixed (not trained). Nil on an architecture means none: the first layer takes ξ.
public struct InputFeatures: Codable, Sendable, Equatable {
    /// Per input, its period, or nil when it enters as ξ_j.
    public var periods: [Double?]
    public var fourier: FourierFeatures?

    public init(periods: [Double?], fourier: FourierFeatures? = nil) {
        self.periods = periods
        self.fourier = fourier
    }

    /// The entries of v: one per plain input, two (cos, sin) per periodic one.
    public var baseCount: Int { periods.reduce(0) { $0 + ($1 == nil ? 1 : 2) } }

    /// The first hidden layer's fan-in.
    public var count: Int { fourier.map { 2 * $0.count } ?? baseCount }
}

/// Random Fourier features: m frequencies, entries of B ~ N(0, σ²) (σ = `scale`) from `seed`.
public struct FourierFeatures: Codable, Sendable, Equatable {
    public var count: Int
    public var scale: Double
    public var seed: UInt64

    public init(count: Int, scale: Double, seed: UInt64) {
        self.count = count
        self.scale = scale
        self.seed = seed
    }

    /// B, count × columns, row-major: the same for the same seed wherever the network is rebuilt.
    public func frequencies(columns: Int) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<(count * columns)).map { _ in scale * generator.nextNormal() }
    }
}
