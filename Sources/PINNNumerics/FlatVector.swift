/// The few dense vector kernels the optimisers need, on flat arrays or contiguous slices of them (the L-BFGS history
/// stores its pairs back to back in one array, so a vector there is `count` entries from an offset).
///
/// Loops run on unsafe buffers: these execute several times per iteration over tens of thousands of entries, and
/// bounds checks in the inner loop would cost as much as the arithmetic.
@usableFromInline
enum FlatVector {
    /// Σ aᵢbᵢ over `count` entries starting at the given offsets.
    ///
    /// Four partial sums instead of one: a single running sum is a chain of dependent additions the compiler may not
    /// reorder, and runs several times slower than the multiplications feeding it.
    @inlinable
    static func dot<T: BinaryFloatingPoint>(_ a: [T], _ b: [T], aOffset: Int = 0, bOffset: Int = 0, count: Int) -> T {
        guard count > 0 else { return 0 }
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                let (a, b) = (a.baseAddress! + aOffset, b.baseAddress! + bOffset)
                var (s0, s1, s2, s3): (T, T, T, T) = (0, 0, 0, 0)
                var i = 0
                while i + 4 <= count {
                    s0 += a[i] * b[i]
                    s1 += a[i + 1] * b[i + 1]
                    s2 += a[i + 2] * b[i + 2]
                    s3 += a[i + 3] * b[i + 3]
                    i += 4
                }
                while i < count { s0 += a[i] * b[i]; i += 1 }
                return (s0 + s1) + (s2 + s3)
            }
        }
    }

    /// y ← y + α·x over all of y, with x read from `xOffset`.
    @inlinable
    static func addScaled<T: BinaryFloatingPoint>(_ alpha: T, _ x: [T], xOffset: Int = 0, to y: inout [T]) {
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in
                for i in 0..<y.count { y[i] += alpha * x[xOffset + i] }
            }
        }
    }

    /// y ← α·y.
    @inlinable
    static func scale<T: BinaryFloatingPoint>(_ y: inout [T], by alpha: T) {
        y.withUnsafeMutableBufferPointer { y in
            for i in 0..<y.count { y[i] *= alpha }
        }
    }

    /// result ← origin + t·direction.
    @inlinable
    static func point<T: BinaryFloatingPoint>(_ origin: [T], plus t: T, times direction: [T], into result: inout [T]) {
        origin.withUnsafeBufferPointer { origin in
            direction.withUnsafeBufferPointer { direction in
                result.withUnsafeMutableBufferPointer { result in
                    for i in 0..<result.count { result[i] = origin[i] + t * direction[i] }
                }
            }
        }
    }

    /// max |aᵢ| (the ∞-norm); NaN if any entry is NaN.
    @inlinable
    static func maxMagnitude<T: BinaryFloatingPoint>(_ a: [T]) -> T {
        a.withUnsafeBufferPointer { a in
            var largest: T = 0
            for value in a {
                if value.isNaN { return .nan }
                largest = max(largest, abs(value))
            }
            return largest
        }
    }

    /// Σ |aᵢ| (the 1-norm).
    @inlinable
    static func sumOfMagnitudes<T: BinaryFloatingPoint>(_ a: [T]) -> T {
        a.withUnsafeBufferPointer { a in
            var sum: T = 0
            for value in a { sum += abs(value) }
            return sum
        }
    }

    /// Whether every entry is finite.
    @inlinable
    static func isFinite<T: BinaryFloatingPoint>(_ a: [T]) -> Bool {
        a.withUnsafeBufferPointer { a in a.allSatisfy { $0.isFinite } }
    }

    /// Copies `source` into `destination` (same count) without reallocating `destination`.
    @inlinable
    static func copy<T: BinaryFloatingPoint>(_ source: [T], sourceOffset: Int = 0, into destination: inout [T],
                                             destinationOffset: Int = 0, count: Int) {
        source.withUnsafeBufferPointer { source in
            destination.withUnsafeMutableBufferPointer { destination in
                for i in 0..<count { destination[destinationOffset + i] = source[sourceOffset + i] }
            }
        }
    }
}
