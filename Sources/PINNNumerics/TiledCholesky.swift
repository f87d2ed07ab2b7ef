import CBLAS
import Dispatch

/// The Cholesky factorisation A = UᵀU of a symmetric positive definite n × n matrix (column-major, upper
/// triangle read and overwritten, as LAPACK's `dpotrf` with uplo = U), by tiles of `tile` columns, with the tile
/// updates spread over threads. The engine calls BLAS single-threaded (`BLASThreading`), so LAPACK's own
/// factorisation runs on one core; this one uses the job's threads.
///
/// Right-looking, for tile step k = 0, 1, … (K = the tiles k·b ..< (k+1)·b, J and I later tiles, I ≤ J):
///
///     U_KK = chol(A_KK)                       (dpotrf on the diagonal tile)
///     U_KJ = U_KK⁻ᵀ A_KJ                     (dtrsm, one task per tile column J)
///     A_IJ ← A_IJ − U_KIᵀ U_KJ                (dgemm; dsyrk on the diagonal tile I = J; one task per column J)
///
/// Every tile is computed by the same BLAS calls in the same order whatever the thread count and whichever thread
/// takes it, so the factor is the same bit for bit on one thread or many (`TiledCholeskyTests`).
public enum TiledCholesky {
    /// Columns per tile: large enough for BLAS to run near its peak on a tile, small enough to give two threads
    /// work to share at the sizes of a Levenberg–Marquardt system (n ≈ 1,000–5,000).
    public static let defaultTile = 128

    /// Factorises `a` (n × n, leading dimension n) in place; false when a diagonal tile is not numerically
    /// positive definite (then `a` holds a partial factor).
    public static func factor(_ a: UnsafeMutablePointer<Double>, n: Int, threads: Int, tile: Int = defaultTile) -> Bool {
        precondition(n >= 0 && tile > 0)
        let tiles = (n + tile - 1) / tile
        nonisolated(unsafe) let base = a
        let width = { @Sendable (k: Int) in min(tile, n - k * tile) }
        let at = { @Sendable (row: Int, col: Int) in base + col * n + row }
        for k in 0..<tiles {
            let (kk, kb) = (k * tile, width(k))
            var info: Int32 = 0
            var (order, lda) = (Int32(kb), Int32(n))
            "U".withCString { uplo in dpotrf_(uplo, &order, at(kk, kk), &lda, &info) }
            guard info == 0 else { return false }
            let later = tiles - k - 1
            guard later > 0 else { break }
            // U_KJ = U_KK⁻ᵀ A_KJ for every later tile column J.
            each(later, threads: threads) { j in
                let (jj, jb) = ((k + 1 + j) * tile, width(k + 1 + j))
                cblas_dtrsm(CblasColMajor, CblasLeft, CblasUpper, CblasTrans, CblasNonUnit, Int32(kb), Int32(jb), 1,
                            at(kk, kk), Int32(n), at(kk, jj), Int32(n))
            }
            // A_IJ −= U_KIᵀ U_KJ for I ≤ J: column J's tiles above the diagonal in one dgemm, the diagonal by dsyrk.
            each(later, threads: threads) { j in
                let (jj, jb) = ((k + 1 + j) * tile, width(k + 1 + j))
                let above = jj - (kk + kb)
                if above > 0 {
                    cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, Int32(above), Int32(jb), Int32(kb), -1,
                                at(kk, kk + kb), Int32(n), at(kk, jj), Int32(n), 1, at(kk + kb, jj), Int32(n))
                }
                cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(jb), Int32(kb), -1,
                            at(kk, jj), Int32(n), 1, at(jj, jj), Int32(n))
            }
        }
        return true
    }

    /// `body(0 ..< count)` over `threads` threads (inline on one), later indices first: they carry the most work.
    private static func each(_ count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
        if threads <= 1 || count == 1 {
            for j in 0..<count { body(j) }
        } else {
            DispatchQueue.concurrentPerform(iterations: count) { body(count - 1 - $0) }
        }
    }
}
