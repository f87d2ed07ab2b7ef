import Foundation

/// A labelled position on an axis, in data units.
public struct Tick: Hashable, Sendable {
    public var value: Double
    public var label: String

    public init(_ value: Double, _ label: String) {
        self.value = value
        self.label = label
    }
}

/// Tick placement and labelling.
public enum Ticks {
    /// "Nice" ticks inside [lo, hi]: at most `count` multiples of the smallest step in
    /// `{1, 2, 5}·10^p` that keeps their number within `count` (matplotlib's MaxNLocator idea).
    ///
    /// With step `d`, the ticks are `i·d` for `⌈lo/d⌉ ≤ i ≤ ⌊hi/d⌋`, so 0…1 with `count: 6` gives
    /// 0, 0.2, …, 1 (a step of 0.1 would need 11). Labels share the decimals `max(0, −⌊log₁₀ d⌋)`; values
    /// from 10⁶ or steps below 10⁻⁴ are written in `1.5e-5` style. Returns no ticks for an empty or
    /// non-finite range.
    public static func linear(from lo: Double, to hi: Double, count: Int = 6) -> [Tick] {
        guard lo.isFinite, hi.isFinite, hi > lo else { return [] }
        let step = niceStep(from: lo, to: hi, count: count)
        guard step > 0, step.isFinite else { return [] }
        // The small slack keeps an endpoint that is a multiple of `step` up to rounding.
        let first = (lo / step - 1e-9).rounded(.up), last = (hi / step + 1e-9).rounded(.down)
        guard first <= last, last - first < 1000 else { return [] }
        let values = stride(from: first, through: last, by: 1).map { $0 * step }
        let useScientific = values.map(abs).max()! >= 1e6 || decimals(for: step) > 4
        return values.map { value in
            Tick(value, useScientific ? scientific(value, step: step) : decimal(value, places: decimals(for: step)))
        }
    }

    /// The smallest step `{1, 2, 5}·10^p` that puts at most `count` (≥ 2) of its multiples in [lo, hi].
    public static func niceStep(from lo: Double, to hi: Double, count: Int) -> Double {
        guard lo.isFinite, hi.isFinite, hi > lo else { return 0 }
        let count = max(2, count)
        // Steps below span / count always give too many ticks, so start one decade under that.
        var exponent = floor(log10((hi - lo) / Double(count))) - 1
        while exponent < 400 {
            for mantissa in [1.0, 2, 5] {
                let step = mantissa * pow(10, exponent)
                let n = (hi / step + 1e-9).rounded(.down) - (lo / step - 1e-9).rounded(.up) + 1
                if n <= Double(count) { return step }
            }
            exponent += 1
        }
        return 0
    }

    /// Ticks for a log₁₀ axis over [lo, hi] (both > 0).
    ///
    /// Normally the decades `10^k` inside the range, labelled `1e-3`, `1e-2`, …, `1`, `1e1`; when there
    /// are more than `count` of them only every `⌈decades / count⌉`-th decade is kept, at multiples of that
    /// stride. A range spanning less than two decades falls back to `{1, 2, 5}·10^k`, then to every
    /// `m·10^k` (m = 1…9), then to linear ticks, so there are always at least two labels when possible.
    public static func log(from lo: Double, to hi: Double, count: Int = 8) -> [Tick] {
        guard lo > 0, hi > lo, lo.isFinite, hi.isFinite else { return [] }
        let kLo = Int((log10(lo) - 1e-9).rounded(.up)), kHi = Int((log10(hi) + 1e-9).rounded(.down))
        let decades = kHi - kLo + 1
        if decades >= 2 {
            let stride = max(1, Int((Double(decades) / Double(max(1, count))).rounded(.up)))
            let first = Int((Double(kLo) / Double(stride)).rounded(.up)) * stride
            return Swift.stride(from: first, through: kHi, by: stride).map { Tick(pow(10, Double($0)), decadeLabel($0)) }
        }
        for mantissas in [[1.0, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]] {
            let ticks = mantissaTicks(from: lo, to: hi, mantissas: mantissas)
            if ticks.count >= 2 { return ticks }
        }
        return linear(from: lo, to: hi, count: 4)
    }

    /// Unlabelled minor ticks `m·10^k` (m = 2…9) inside [lo, hi], as matplotlib draws on log axes;
    /// none when the range spans more than ten decades, where they would merge into a smear.
    public static func logMinor(from lo: Double, to hi: Double) -> [Double] {
        guard lo > 0, hi > lo, lo.isFinite, hi.isFinite, log10(hi) - log10(lo) <= 10 else { return [] }
        return mantissaTicks(from: lo, to: hi, mantissas: [2, 3, 4, 5, 6, 7, 8, 9]).map(\.value)
    }

    /// Label of the decade `10^k`: "1" for k = 0, otherwise `1e<k>` (e.g. `1e-3`, `1e2`).
    public static func decadeLabel(_ k: Int) -> String {
        k == 0 ? "1" : "1e\(k)"
    }

    /// `value` rounded to `places` decimals without exponent, e.g. `decimal(0.6000000001, places: 1) == "0.6"`.
    /// Zero is never printed as "-0".
    public static func decimal(_ value: Double, places: Int) -> String {
        let places = min(max(places, 0), 15)
        let scaled = (abs(value) * pow(10, Double(places))).rounded()
        guard scaled.isFinite, scaled < 9e18 else { return scientific(value, step: abs(value) / 100) }
        var digits = String(Int64(scaled))
        if places > 0 {
            if digits.count <= places { digits = String(repeating: "0", count: places + 1 - digits.count) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -places))
        }
        return (value < 0 && scaled > 0 ? "-" : "") + digits
    }

    /// `value` as `m e k` with just enough mantissa digits to resolve `step`, trailing zeros dropped:
    /// `1.5e-4`, `2e6`, `0` for zero.
    public static func scientific(_ value: Double, step: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        if abs(value) < abs(step) * 1e-9 || value == 0 { return "0" }
        var exponent = Int(floor(log10(abs(value))))
        let places = max(0, exponent - Int(floor(log10(abs(step)) + 1e-9)))
        var mantissa = decimal(value / pow(10, Double(exponent)), places: places)
        // Rounding can carry the mantissa to 10 (9.99 → "10.0"): renormalise.
        if mantissa.hasPrefix("10") || mantissa.hasPrefix("-10") {
            exponent += 1
            mantissa = decimal(value / pow(10, Double(exponent)), places: max(0, places - 1))
        }
        if mantissa.contains(".") {
            while mantissa.hasSuffix("0") { mantissa.removeLast() }
            if mantissa.hasSuffix(".") { mantissa.removeLast() }
        }
        return mantissa + "e\(exponent)"
    }

    /// Decimals needed to print multiples of `step` exactly: `max(0, −⌊log₁₀ step⌋)`.
    static func decimals(for step: Double) -> Int {
        max(0, -Int(floor(log10(step) + 1e-9)))
    }

    private static func mantissaTicks(from lo: Double, to hi: Double, mantissas: [Double]) -> [Tick] {
        let kLo = Int(floor(log10(lo))), kHi = Int(floor(log10(hi)))
        guard kHi - kLo < 40 else { return [] }
        var ticks: [Tick] = []
        for k in kLo...kHi {
            let unit = pow(10, Double(k))
            for m in mantissas {
                let v = m * unit
                if v >= lo * (1 - 1e-9), v <= hi * (1 + 1e-9) {
                    let useScientific = k < -4 || k >= 6
                    ticks.append(Tick(v, useScientific ? scientific(v, step: unit) : decimal(v, places: -k)))
                }
            }
        }
        return ticks
    }
}
