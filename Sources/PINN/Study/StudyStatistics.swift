import Foundation

/// The numbers a study reports, computed here and nowhere else: per run, its final error and when its error first
/// fell below each decade (10⁻¹, 10⁻², …); per cell, the median, min and max of those over its runs; and the band
/// of the cell's error curves for its picture. Pure functions of the runs' stored histories.
public enum StudyStatistics {
    /// The median, min and max of some values, and how many there were. The median of an even count is the mean
    /// of the middle two.
    public struct Spread: Sendable, Equatable, Codable {
        public let median: Double
        public let min: Double
        public let max: Double
        public let count: Int

        /// nil when no value is finite; non-finite values (a diverged run's NaN) are left out.
        public init?(_ values: [Double]) {
            let sorted = values.filter(\.isFinite).sorted()
            guard let first = sorted.first, let last = sorted.last else { return nil }
            let n = sorted.count
            median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
            min = first
            max = last
            count = n
        }
    }

    /// The first evaluation of a run at or below 10⁻ᵈᵉᶜᵃᵈᵉ: its iteration, and the training seconds by then.
    public struct Crossing: Sendable, Equatable, Codable {
        public let decade: Int
        public let iteration: Int
        /// nil when the run has no loss record to time it by.
        public let seconds: Double?
    }

    /// What one run contributes: its final error (nil until it has one) and its decade crossings, shallowest first.
    public struct Run: Sendable, Equatable {
        public let finalError: Double?
        public let crossings: [Crossing]

        /// `errors` and `losses` are the run's stored histories in iteration order; `finalError` is the job's
        /// final relative L2 error (nil while it has none).
        public init(finalError: Double?, errors: [ErrorRecord], losses: [LossRecord]) {
            self.finalError = finalError
            var crossings: [Crossing] = []
            for record in errors where record.relativeL2.isFinite {
                while record.relativeL2 <= StudyStatistics.threshold(crossings.count + 1), crossings.count < StudyStatistics.deepestDecade {
                    crossings.append(Crossing(decade: crossings.count + 1, iteration: record.iteration,
                                              seconds: StudyStatistics.seconds(at: record.iteration, losses: losses)))
                }
            }
            self.crossings = crossings
        }
    }

    /// A cell's numbers at one decade: how many of its runs reached it, and the spread of when (over those only).
    public struct Decade: Sendable, Equatable, Codable {
        public let decade: Int
        public let threshold: Double
        public let reached: Int
        public let runs: Int
        public let seconds: Spread?
        public let iterations: Spread?
    }

    /// Decades below 10⁻¹⁵ are not told apart (Double's relative precision).
    public static let deepestDecade = 15

    /// 10⁻ᵈ, exactly as its decimal literal.
    public static func threshold(_ decade: Int) -> Double { Double("1e-\(decade)") ?? pow(10, -Double(decade)) }

    /// The spread of the runs' final errors.
    public static func finalError(_ runs: [Run]) -> Spread? { Spread(runs.compactMap(\.finalError)) }

    /// Every decade from 10⁻¹ down to the deepest any run reached (10⁻¹ alone when none did).
    public static func decades(_ runs: [Run]) -> [Decade] {
        let deepest = Swift.max(1, runs.map(\.crossings.count).max() ?? 0)
        return (1...deepest).map { d in
            let crossed = runs.compactMap { $0.crossings.count >= d ? $0.crossings[d - 1] : nil }
            return Decade(decade: d, threshold: threshold(d), reached: crossed.count, runs: runs.count,
                          seconds: Spread(crossed.compactMap(\.seconds)),
                          iterations: Spread(crossed.map { Double($0.iteration) }))
        }
    }

    /// Training seconds at `iteration`, linear between the loss records around it (clamped to the first and last).
    public static func seconds(at iteration: Int, losses: [LossRecord]) -> Double? {
        guard let first = losses.first, let last = losses.last else { return nil }
        if iteration <= first.iteration { return first.seconds }
        if iteration >= last.iteration { return last.seconds }
        let after = losses.firstIndex { $0.iteration >= iteration } ?? losses.count - 1
        let a = losses[after - 1], b = losses[after]
        guard b.iteration > a.iteration else { return b.seconds }
        let t = Double(iteration - a.iteration) / Double(b.iteration - a.iteration)
        return a.seconds + t * (b.seconds - a.seconds)
    }

    /// A run's error curve: (x, relative L2) per evaluation, x the iteration or the seconds at it.
    public static func curve(errors: [ErrorRecord], losses: [LossRecord], overSeconds: Bool) -> [(x: Double, y: Double)] {
        errors.compactMap { record in
            let x = overSeconds ? seconds(at: record.iteration, losses: losses) : Double(record.iteration)
            return x.map { ($0, record.relativeL2) }
        }
    }

    /// The median line and min–max band of several curves at `points` x values evenly over their whole range. At
    /// each x a curve counts from its first point on, with its latest value at or before x (a finished run keeps
    /// its final error); x values where no curve has started are left out.
    public struct Envelope: Sendable, Equatable {
        public let x: [Double]
        public let median: [Double]
        public let lower: [Double]
        public let upper: [Double]
    }

    public static func envelope(_ curves: [[(x: Double, y: Double)]], points: Int = 200) -> Envelope {
        let curves = curves.filter { !$0.isEmpty }
        let xs = curves.flatMap { $0.map(\.x) }
        guard let lo = xs.min(), let hi = xs.max() else { return Envelope(x: [], median: [], lower: [], upper: []) }
        var x: [Double] = [], median: [Double] = [], lower: [Double] = [], upper: [Double] = []
        let n = hi > lo ? Swift.max(points, 2) : 1
        for i in 0..<n {
            let at = n == 1 ? lo : lo + (hi - lo) * Double(i) / Double(n - 1)
            let values = curves.compactMap { curve in curve.last { $0.x <= at }?.y }
            guard let spread = Spread(values) else { continue }
            x.append(at)
            median.append(spread.median)
            lower.append(spread.min)
            upper.append(spread.max)
        }
        return Envelope(x: x, median: median, lower: lower, upper: upper)
    }
}
