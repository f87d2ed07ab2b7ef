import CBLAS
import Foundation
@testable import PINNNumerics
import Testing

/// The tiled Cholesky factor against LAPACK's `dpotrf` (the independent oracle) and against A itself (UᵀU = A),
/// at sizes that are and are not multiples of the tile, on one thread and on several.
@Suite struct TiledCholeskyTests {
    /// A = BᵀB + n·I for a seeded random B: symmetric positive definite and well conditioned (column-major, full).
    static func spd(_ n: Int, seed: UInt64 = 7) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        let b = (0..<(n * n)).map { _ in generator.nextUnit() - 0.5 }
        var a = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            for i in 0..<n {
                var s = 0.0
                for k in 0..<n { s += b[i * n + k] * b[j * n + k] }
                a[j * n + i] = s + (i == j ? Double(n) : 0)
            }
        }
        return a
    }

    static func tiled(_ a: [Double], n: Int, threads: Int, tile: Int) -> [Double]? {
        var u = a
        let ok = u.withUnsafeMutableBufferPointer { TiledCholesky.factor($0.baseAddress!, n: n, threads: threads, tile: tile) }
        return ok ? u : nil
    }

    static func lapack(_ a: [Double], n: Int) -> [Double] {
        var u = a
        var (order, lda, info) = (Int32(n), Int32(n), Int32(0))
        u.withUnsafeMutableBufferPointer { p in "U".withCString { dpotrf_($0, &order, p.baseAddress!, &lda, &info) } }
        #expect(info == 0)
        return u
    }

    @Test(arguments: [(1, 4), (7, 4), (64, 16), (100, 32), (130, 32), (257, 64)])
    func matchesLAPACKAndReproducesA(n: Int, tile: Int) throws {
        let a = Self.spd(n)
        let reference = Self.lapack(a, n: n)
        for threads in [1, 2, 3] {
            let u = try #require(Self.tiled(a, n: n, threads: threads, tile: tile))
            var worst = 0.0, worstA = 0.0
            for j in 0..<n {
                for i in 0...j {
                    worst = max(worst, abs(u[j * n + i] - reference[j * n + i]) / abs(reference[j * n + j]))
                    var s = 0.0                                        // (UᵀU)_ij = Σ_k U_ki U_kj, k ≤ i
                    for k in 0...i { s += u[i * n + k] * u[j * n + k] }
                    worstA = max(worstA, abs(s - a[j * n + i]) / a[j * n + j])
                }
            }
            #expect(worst < 1e-12, "n \(n), tile \(tile), threads \(threads): factor differs from dpotrf by \(worst)")
            #expect(worstA < 1e-13, "n \(n), tile \(tile), threads \(threads): UᵀU differs from A by \(worstA)")
        }
    }

    @Test func sameFactorBitForBitOnAnyThreadCount() throws {
        let n = 300
        let a = Self.spd(n, seed: 11)
        let one = try #require(Self.tiled(a, n: n, threads: 1, tile: 48))
        for threads in [2, 4] {
            let many = try #require(Self.tiled(a, n: n, threads: threads, tile: 48))
            #expect(one == many, "threads \(threads)")
        }
    }

    @Test func refusesAMatrixThatIsNotPositiveDefinite() {
        let n = 90
        var a = Self.spd(n)
        a[70 * n + 70] = -1                                            // a negative pivot in the third tile
        #expect(Self.tiled(a, n: n, threads: 2, tile: 32) == nil)
    }
}
