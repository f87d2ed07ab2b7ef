// The dense quasi-Newton kernel: a pending rank-2 update of the inverse Hessian fused with the symmetric
// matrix–vector product that follows it (docs/design.md §11). Work on H is memory-bound: a separate dsymv and
// dsyr2k read the upper triangle twice and write it once; fused, each entry is read and written once.
#include <string.h>
#include "PINNKernels.h"
#include "clones.h"

typedef double v4 __attribute__((vector_size(32), aligned(8)));
// Unaligned loads and stores as macros (a function passing v4 by value would fix the ABI of the default clone).
#define load4(p) ({ v4 v_; memcpy(&v_, (p), sizeof v_); v_; })
#define store4(p, v) do { v4 t_ = (v); memcpy((p), &t_, sizeof t_); } while (0)

PINN_CLONES
void pinn_symv_rank2_d(int n, int j0, int j1, double *h, int update, double inv_tau, const double *u1,
                       const double *u2, const double *w1, const double *w2, const double *x, double *y) {
    for (int j = j0; j < j1; j++) {
        double *restrict col = h + (long)j * n;
        const double xj = x[j];
        const double a1 = update ? w1[j] : 0, a2 = update ? w2[j] : 0, b1 = update ? u1[j] : 0, b2 = update ? u2[j] : 0;
        // The partial sums of Σ_{i<j} h_ij·x_i run four wide and are added in a fixed order: the result does not
        // depend on the machine's vector width.
        v4 acc = {0, 0, 0, 0};
        const v4 xv = {xj, xj, xj, xj};
        int i = 0;
        if (update) {
            // h_ij ← h_ij/τ + u1_i·w1_j + u2_i·w2_j + w1_i·u1_j + w2_i·u2_j for i ≤ j.
            const v4 t = {inv_tau, inv_tau, inv_tau, inv_tau};
            const v4 a1v = {a1, a1, a1, a1}, a2v = {a2, a2, a2, a2}, b1v = {b1, b1, b1, b1}, b2v = {b2, b2, b2, b2};
            for (; i + 4 <= j; i += 4) {
                const v4 v = load4(col + i) * t + load4(u1 + i) * a1v + load4(u2 + i) * a2v + load4(w1 + i) * b1v
                             + load4(w2 + i) * b2v;
                store4(col + i, v);
                store4(y + i, load4(y + i) + v * xv);
                acc += v * load4(x + i);
            }
        } else {
            for (; i + 4 <= j; i += 4) {
                const v4 v = load4(col + i);
                store4(y + i, load4(y + i) + v * xv);
                acc += v * load4(x + i);
            }
        }
        double tail = 0;
        for (; i <= j; i++) {
            const double v = update ? col[i] * inv_tau + u1[i] * a1 + u2[i] * a2 + w1[i] * b1 + w2[i] * b2 : col[i];
            col[i] = v;
            if (i < j) {
                y[i] += v * xj;
                tail += v * x[i];
            } else {
                y[j] += ((acc[0] + acc[1]) + (acc[2] + acc[3])) + tail + v * xj;
            }
        }
    }
}
