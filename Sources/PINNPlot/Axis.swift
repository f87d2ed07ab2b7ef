import Foundation

/// How data values map onto an axis.
public enum AxisScale: Sendable {
    case linear
    /// Positions proportional to log₁₀(value); non-positive values cannot be shown.
    case log10

    /// The value in axis space (identity or log₁₀), or nil if it cannot be placed on this scale.
    public func transform(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        switch self {
        case .linear: return value
        case .log10: return value > 0 ? Foundation.log10(value) : nil
        }
    }

    /// Back from axis space to data units.
    public func inverse(_ t: Double) -> Double {
        switch self {
        case .linear: return t
        case .log10: return pow(10, t)
        }
    }
}

/// One axis of a plot: a scale and a visible interval [lower, upper] in axis space (log₁₀ units for
/// log axes), plus its ticks. A value `v` sits at the fraction
/// `(transform(v) − lower) / (upper − lower)` of the axis length.
struct Axis: Sendable {
    let scale: AxisScale
    let lower: Double
    let upper: Double
    var ticks: [Tick] = []
    var minorTicks: [Double] = []

    /// The interval that shows `values`.
    ///
    /// Explicit `limits` win when both ends can be placed on the scale. Otherwise the finite transformed
    /// values are padded by `margin` of their span on each side (matplotlib's 5 %); a single distinct
    /// value gets a span of its own (±10 % or ±1, or ±1 decade on a log axis); no values gives [0, 1]
    /// (i.e. 1…10 on a log axis).
    init(scale: AxisScale, fitting values: [Double], margin: Double = 0.05, limits: ClosedRange<Double>? = nil) {
        self.scale = scale
        if let limits, let lo = scale.transform(limits.lowerBound), let hi = scale.transform(limits.upperBound),
           hi > lo, (hi - lo).isFinite {
            (lower, upper) = (lo, hi)
            return
        }
        // Capping magnitudes at 1e300 keeps `hi − lo` and the padding finite for extreme data.
        let ts = values.compactMap(scale.transform).map { min(max($0, -1e300), 1e300) }
        guard let lo = ts.min(), let hi = ts.max() else {
            (lower, upper) = (0, 1)
            return
        }
        if hi > lo {
            let pad = (hi - lo) * margin
            (lower, upper) = (lo - pad, hi + pad)
        } else {
            let pad = scale == .log10 ? 1 : (lo == 0 ? 1 : abs(lo) * 0.1)
            (lower, upper) = (lo - pad, hi + pad)
        }
    }

    /// Where `value` falls along the axis as a fraction (0 at `lower`, 1 at `upper`); nil when it
    /// cannot be placed. Clamped to ±10⁶ so that far-off points stay finite in pixel space.
    func fraction(_ value: Double) -> Double? {
        guard let t = scale.transform(value) else { return nil }
        let f = (t - lower) / (upper - lower)
        return f.isNaN ? nil : min(max(f, -1e6), 1e6)
    }

    /// Lower and upper limits in data units.
    var dataRange: (lower: Double, upper: Double) { (scale.inverse(lower), scale.inverse(upper)) }

    /// Major ticks (at most `count`, see `Ticks`) and, on log axes, minor ticks, all inside the interval.
    func withTicks(count: Int) -> Axis {
        var axis = self
        let (lo, hi) = dataRange
        switch scale {
        case .linear:
            axis.ticks = Ticks.linear(from: lo, to: hi, count: count)
        case .log10:
            axis.ticks = Ticks.log(from: lo, to: hi, count: count)
            let majors = Set(axis.ticks.map(\.value))
            axis.minorTicks = Ticks.logMinor(from: lo, to: hi).filter { !majors.contains($0) }
        }
        return axis
    }
}
