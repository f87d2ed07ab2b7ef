// Vectorised elementwise kernels of the PINN engine: activations and the fused per-layer Taylor-stream passes.
// Each function exists for double (_d) and float (_f); both are compiled from one template (fused_layer_template.h).
#ifndef PINN_KERNELS_H
#define PINN_KERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

/// Activation functions σ; each provides σ, σ', σ'', σ''' cheaply.
typedef enum { PINN_TANH = 0, PINN_SIN = 1 } pinn_activation;

/// The derivative streams carried through one layer for a block of `rows` points and `width` neurons, neuron-major:
/// neuron o holds `blocks` = 1 + first + second stream blocks of `rows` values each, the value first, then ∂/∂x_j for
/// the `first` first-order streams, then the `second` blocks ∂²/∂x_j∂x_l; element (o, b, i) is at
/// (o·blocks + b)·rows + i. So the layer is the column-major (blocks·rows) × width matrix its GEMMs take, and every
/// stream of a neuron is a contiguous run of rows. `pair_j[k]`, `pair_l[k]` give the first-order block indices
/// (1-based, i.e. the block numbers) that second-order block (1 + first + k) differentiates.
/// Stream sets with derivatives of order 3 or 4 (docs/design.md §4.3): `blocks` stream blocks per neuron, block 0
/// the value, and every block b ≥ 1 given by Faà di Bruno's formula with y = s z as
///     h_b = Σ_t coefficient[t] · σ^(order[t])(y) · s^order[t] · Π_{i < order[t]} z_{factor[4t + i]}
/// over the terms t in [start[b], start[b + 1]) (the set partitions of the derivative's inputs, equal ones merged;
/// a factor names the block of the partition's part). order[t] is 1…4; unused factor slots hold 0.
typedef struct {
    int blocks;
    const int *start;        ///< blocks + 1 entries
    const int *order;
    const int *coefficient;
    const int *factor;       ///< 4 per term
} pinn_taylor_terms;

typedef struct {
    pinn_activation activation;
    int rows;         ///< points in the block: the length of one neuron's stream block
    int width;        ///< neurons
    int first;        ///< number of first-order streams
    int second;       ///< number of second-order streams
    const int *pair_j;
    const int *pair_l;
    /// Non-NULL when the streams reach order 3 or 4: then the layer is laid out and computed by these terms alone
    /// (first, second and the pairs are ignored), by the multi-pass kernels of taylor_layer_template.h.
    const pinn_taylor_terms *terms;
} pinn_layer_shape;

/// h = σ(y), and optionally p = σ'(y), elementwise over n values.
void pinn_activate_d(pinn_activation act, int n, const double *y, double *h, double *p);
void pinn_activate_f(pinn_activation act, int n, const float *y, float *h, float *p);

/// Fused forward pass of one hidden layer over its streams (see docs/design.md §5): first the bias is added to the
/// value block in place (z ← z + b; `bias` may be NULL), then with y = s_o z,
///   h = σ(y),  h_j = σ'(y) s_o z_j,  h_jl = σ''(y) s_o² z_j z_l + σ'(y) s_o z_jl,
/// where `s` holds the slope n·a of each of the `width` neurons. Writes all blocks of h, and p = σ'(y) as a
/// width × rows block.
void pinn_layer_forward_d(const pinn_layer_shape *shape, const double *s, const double *bias, double *z, double *h,
                          double *p);
void pinn_layer_forward_f(const pinn_layer_shape *shape, const float *s, const float *bias, float *z, float *h,
                          float *p);

/// Fused backward pass of one hidden layer (docs/design.md §6). Inputs: the forward's z (all blocks, bias added),
/// h (the value block suffices), p, and the adjoints hbar of all blocks of h. Outputs: zbar of all blocks, and per
/// neuron sbar[o] = Σᵢ ∂L/∂s_o (the slope's adjoint) and bbar[o] = Σᵢ z̄[o, 0, i] (the bias's), both written, not
/// added. `work` needs 4 × rows values.
void pinn_layer_backward_d(const pinn_layer_shape *shape, const double *s, const double *z, const double *h,
                           const double *p, const double *hbar, double *zbar, double *sbar, double *bbar,
                           double *work);
void pinn_layer_backward_f(const pinn_layer_shape *shape, const float *s, const float *z, const float *h,
                           const float *p, const float *hbar, float *zbar, float *sbar, float *bbar, float *work);

/// The same passes in one loop over each neuron's points for the common small stream sets (first ≤ 3, second ≤ 3),
/// falling back to the multi-pass functions above otherwise. Same results up to rounding order.
void pinn_layer_forward_fast_d(const pinn_layer_shape *shape, const double *s, const double *bias, double *z,
                               double *h, double *p);
void pinn_layer_forward_fast_f(const pinn_layer_shape *shape, const float *s, const float *bias, float *z, float *h,
                               float *p);
void pinn_layer_backward_fast_d(const pinn_layer_shape *shape, const double *s, const double *z, const double *h,
                                const double *p, const double *hbar, double *zbar, double *sbar, double *bbar,
                                double *work);
void pinn_layer_backward_fast_f(const pinn_layer_shape *shape, const float *s, const float *z, const float *h,
                                const float *p, const float *hbar, float *zbar, float *sbar, float *bbar,
                                float *work);

/// Σᵢ x[i] over n values, in 16 interleaved partial sums (so it vectorises without reassociating flags) that
/// are then added pairwise: the per-neuron sums of the multi-pass reference kernels and of pinn_add_row_sums.
double pinn_sum_d(int n, const double *x);
float pinn_sum_f(int n, const float *x);

/// sums[o] += Σᵢ m[i·width + o] over the rows i = 0…rows−1 of a row-major block, added in row order (the order of
/// the scalar loop it replaces, so the sums are the same to the bit).
void pinn_add_column_sums_d(int rows, int width, const double *m, double *sums);
void pinn_add_column_sums_f(int rows, int width, const float *m, float *sums);

/// sums[o] += Σᵢ m[o·stride + i] over i < length for each of `count` rows: the row sums of a strided row-major
/// block (one stream block of every neuron of a layer), each by `pinn_sum`.
void pinn_add_row_sums_d(int count, int length, long stride, const double *m, double *sums);
void pinn_add_row_sums_f(int count, int length, long stride, const float *m, float *sums);

/// The dense quasi-Newton kernel (docs/design.md §11): on columns [j0, j1) of the upper triangle of the column-major
/// n × n matrix H, first applies a pending update H ← H·inv_tau + U·Wᵀ + W·Uᵀ (U = [u1 u2], W = [w1 w2]) when
/// `update` is nonzero, then adds those columns' share of H·x into y (y must hold n entries; the shares of
/// disjoint column ranges sum to H·x). Each entry is read once and, with an update, written once.
void pinn_symv_rank2_d(int n, int j0, int j1, double *h, int update, double inv_tau, const double *u1,
                       const double *u2, const double *w1, const double *w2, const double *x, double *y);

#ifdef __cplusplus
}
#endif
#endif
