/// The entries of a flat parameter vector an optimiser must leave untouched, as index ranges.
///
/// Both `Adam` and `LBFGS` take one. A frozen entry never changes: Adam skips it (its moment estimates stay as they
/// were), and L-BFGS treats its gradient entry as zero, so no search direction, curvature pair or step ever has a
/// component there. Ranges suit the usual case of freezing whole layers or blocks; `init(mask:)` accepts a per-entry
/// mask and turns it into ranges.
public struct FrozenParameters: Sendable, Equatable {
    /// Sorted, non-empty, non-overlapping and non-adjacent ranges.
    public let ranges: [Range<Int>]

    /// Nothing frozen.
    public static var none: FrozenParameters { FrozenParameters([]) }

    /// Freezes the union of `ranges` (in any order, overlaps allowed).
    public init(_ ranges: [Range<Int>]) {
        var merged: [Range<Int>] = []
        for range in ranges.filter({ !$0.isEmpty }).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        self.ranges = merged
    }

    /// Freezes the entries where `mask` is true.
    public init(mask: [Bool]) {
        var ranges: [Range<Int>] = []
        var start: Int?
        for (index, frozen) in mask.enumerated() {
            if frozen, start == nil { start = index }
            if !frozen, let first = start { ranges.append(first..<index); start = nil }
        }
        if let first = start { ranges.append(first..<mask.count) }
        self.init(ranges)
    }

    public var isEmpty: Bool { ranges.isEmpty }

    public func contains(_ index: Int) -> Bool { ranges.contains { $0.contains(index) } }

    /// Calls `body` with the maximal runs of `0..<count` that are not frozen, in order.
    @inlinable
    func forEachActiveRange(count: Int, _ body: (Range<Int>) throws -> Void) rethrows {
        var start = 0
        for range in ranges where range.lowerBound < count {
            if start < range.lowerBound { try body(start..<range.lowerBound) }
            start = max(start, range.upperBound)
        }
        if start < count { try body(start..<count) }
    }

    /// Sets the frozen entries of `vector` to zero.
    @inlinable
    func zeroFrozenEntries<T: BinaryFloatingPoint>(of vector: inout [T]) {
        for range in ranges where range.lowerBound < vector.count {
            for index in range.clamped(to: 0..<vector.count) { vector[index] = 0 }
        }
    }
}

extension FrozenParameters: Codable {
    public init(from decoder: Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([Range<Int>].self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(ranges)
    }
}
