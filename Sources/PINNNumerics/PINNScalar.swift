import CBLAS
import CPINNKernels
import Foundation
import Synchronization

/// The floating-point types the engine trains in (Float, Double): BLAS GEMM, the fused C layer kernels and the
/// elementary functions, selected statically so generic engine code specialises to straight calls.
public protocol PINNScalar: BinaryFloatingPoint, Codable, Sendable, LosslessStringConvertible
where RawSignificand: FixedWidthInteger {
    /// C ← α·op(A)·op(B) + β·C, row-major; op(X) = Xᵀ when the flag is set. op(A) is m×k, op(B) k×n.
    static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                     a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// h = σ(y) and, when `p` is non-nil, p = σ'(y), over `count` values (vectorised).
    static func activate(_ activation: Activation, count: Int, y: UnsafePointer<Self>,
                         h: UnsafeMutablePointer<Self>, p: UnsafeMutablePointer<Self>?)
    /// The fused forward pass of a hidden layer over its streams, adding the bias (if any) to z's value block first;
    /// see `pinn_layer_forward_d`.
    static func fusedForward(_ shape: FusedLayerShape, s: UnsafePointer<Self>, bias: UnsafePointer<Self>?,
                             z: UnsafeMutablePointer<Self>, h: UnsafeMutablePointer<Self>, p: UnsafeMutablePointer<Self>)
    /// The fused backward pass of a hidden layer, with the slopes' and biases' adjoints summed per neuron into
    /// `sbar` and `bbar` (written); see `pinn_layer_backward_d`. `work` holds 4 × rows.
    static func fusedBackward(_ shape: FusedLayerShape, s: UnsafePointer<Self>, z: UnsafePointer<Self>,
                              h: UnsafePointer<Self>, p: UnsafePointer<Self>, hbar: UnsafePointer<Self>,
                              zbar: UnsafeMutablePointer<Self>, sbar: UnsafeMutablePointer<Self>,
                              bbar: UnsafeMutablePointer<Self>, work: UnsafeMutablePointer<Self>)
    /// sums[o] += Σᵢ m[i·width + o] over `rows` rows of a row-major block, in row order; see `pinn_add_column_sums_d`.
    static func addColumnSums(rows: Int, width: Int, _ m: UnsafePointer<Self>, into sums: UnsafeMutablePointer<Self>)
    /// sums[o] += Σᵢ m[o·stride + i] over i < `length`, for o < `count`; see `pinn_add_row_sums_d`.
    static func addRowSums(count: Int, length: Int, stride: Int, _ m: UnsafePointer<Self>,
                           into sums: UnsafeMutablePointer<Self>)
    static var precisionName: String { get }
}

@inline(__always)
private func transpose(_ flag: Bool) -> CBLAS_TRANSPOSE { flag ? CblasTrans : CblasNoTrans }

extension Double: PINNScalar {
    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                            a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                            beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transpose(transposeA), transpose(transposeB), blasint(m), blasint(n), blasint(k),
                    alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    public static func activate(_ activation: Activation, count: Int, y: UnsafePointer<Double>,
                                h: UnsafeMutablePointer<Double>, p: UnsafeMutablePointer<Double>?) {
        pinn_activate_d(activation.kernelValue, Int32(count), y, h, p)
    }
    public static func fusedForward(_ shape: FusedLayerShape, s: UnsafePointer<Double>, bias: UnsafePointer<Double>?,
                                    z: UnsafeMutablePointer<Double>, h: UnsafeMutablePointer<Double>,
                                    p: UnsafeMutablePointer<Double>) {
        shape.withKernelShape { pinn_layer_forward_fast_d($0, s, bias, z, h, p) }
    }
    public static func fusedBackward(_ shape: FusedLayerShape, s: UnsafePointer<Double>, z: UnsafePointer<Double>,
                                     h: UnsafePointer<Double>, p: UnsafePointer<Double>,
                                     hbar: UnsafePointer<Double>, zbar: UnsafeMutablePointer<Double>,
                                     sbar: UnsafeMutablePointer<Double>, bbar: UnsafeMutablePointer<Double>,
                                     work: UnsafeMutablePointer<Double>) {
        shape.withKernelShape { pinn_layer_backward_fast_d($0, s, z, h, p, hbar, zbar, sbar, bbar, work) }
    }
    public static func addColumnSums(rows: Int, width: Int, _ m: UnsafePointer<Double>,
                                     into sums: UnsafeMutablePointer<Double>) {
        pinn_add_column_sums_d(Int32(rows), Int32(width), m, sums)
    }
    public static func addRowSums(count: Int, length: Int, stride: Int, _ m: UnsafePointer<Double>,
                                  into sums: UnsafeMutablePointer<Double>) {
        pinn_add_row_sums_d(Int32(count), Int32(length), stride, m, sums)
    }
    public static var precisionName: String { "double" }
}

extension Float: PINNScalar {
    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transpose(transposeA), transpose(transposeB), blasint(m), blasint(n), blasint(k),
                    alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    public static func activate(_ activation: Activation, count: Int, y: UnsafePointer<Float>,
                                h: UnsafeMutablePointer<Float>, p: UnsafeMutablePointer<Float>?) {
        pinn_activate_f(activation.kernelValue, Int32(count), y, h, p)
    }
    public static func fusedForward(_ shape: FusedLayerShape, s: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                                    z: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>,
                                    p: UnsafeMutablePointer<Float>) {
        shape.withKernelShape { pinn_layer_forward_fast_f($0, s, bias, z, h, p) }
    }
    public static func fusedBackward(_ shape: FusedLayerShape, s: UnsafePointer<Float>, z: UnsafePointer<Float>,
                                     h: UnsafePointer<Float>, p: UnsafePointer<Float>,
                                     hbar: UnsafePointer<Float>, zbar: UnsafeMutablePointer<Float>,
                                     sbar: UnsafeMutablePointer<Float>, bbar: UnsafeMutablePointer<Float>,
                                     work: UnsafeMutablePointer<Float>) {
        shape.withKernelShape { pinn_layer_backward_fast_f($0, s, z, h, p, hbar, zbar, sbar, bbar, work) }
    }
    public static func addColumnSums(rows: Int, width: Int, _ m: UnsafePointer<Float>,
                                     into sums: UnsafeMutablePointer<Float>) {
        pinn_add_column_sums_f(Int32(rows), Int32(width), m, sums)
    }
    public static func addRowSums(count: Int, length: Int, stride: Int, _ m: UnsafePointer<Float>,
                                  into sums: UnsafeMutablePointer<Float>) {
        pinn_add_row_sums_f(Int32(count), Int32(length), stride, m, sums)
    }
    public static var precisionName: String { "float" }
}

/// OpenBLAS' own threads lose at PINN widths (docs/design.md §7): the engine shards points over its own threads and
/// calls BLAS single-threaded. The setting is process-wide. OpenBLAS' idle worker threads spin on sched_yield
/// and take a core from the shards on a 2-core machine (measured: ~10% of samples), so they are stopped too.
public enum BLASThreading {
    public static func useSingleThread() {
        // The first caller configures; an atomic (inlined, so ThreadSanitizer sees it) rather than a lock, as
        // nothing else is guarded.
        guard !configured.exchange(true, ordering: .acquiringAndReleasing) else { return }
        openblas_set_num_threads(1)
        _ = blas_thread_shutdown_()
    }
    private static let configured = Atomic<Bool>(false)
    public static var threads: Int { Int(openblas_get_num_threads()) }
}
