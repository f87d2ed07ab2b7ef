// GFLOP/s of OpenBLAS at the three products of one hidden layer, in the two layer layouts NetworkPass has used
// (issue 12, docs/performance.md §6): the stacked streams row-major, (S·R) × w, and neuron-major, i.e. their
// transpose w × (S·R). Row-major cblas calls, as NetworkPass issues them; one thread; C = op(A)·op(B) + β·C with
// β = 0 for the forward and backward products and β = 1 for the weight gradient.
//
//   gemm_layouts [WIDTH [STACKED_ROWS]]     (defaults 20 and 384 = 4 streams × 96 points)
//
// Built and run by scripts/gemm-candidates.sh --layouts.
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }

/// `banded`: the product issued in bands of output rows of at most 1,024 entries, as NetworkPass issues the gradient.
typedef struct { const char *what; int ta, tb, m, n, k; double beta; int banded; } Shape;

#define BENCH(T, P)                                                                                              \
static double bench_##P(Shape s) {                                                                              \
    int lda = s.ta ? s.m : s.k, ldb = s.tb ? s.k : s.n, ldc = s.n;                                               \
    T *a = malloc(sizeof(T) * s.m * s.k), *b = malloc(sizeof(T) * s.k * s.n), *c = calloc(s.m * s.n, sizeof(T)); \
    for (int i = 0; i < s.m * s.k; i++) a[i] = (T)((i % 7) - 3) * (T)0.1;                                        \
    for (int i = 0; i < s.k * s.n; i++) b[i] = (T)((i % 5) - 2) * (T)0.1;                                        \
    long reps = 0;                                                                                               \
    double t0 = now(), t;                                                                                        \
    do {                                                                                                         \
        for (int r = 0; r < 200; r++) {                                                                          \
            int band = s.banded ? (1024 / s.n > 0 ? 1024 / s.n : 1) : s.m;                                       \
            for (int o = 0; o < s.m; o += band)                                                                  \
                cblas_##P##gemm(CblasRowMajor, s.ta ? CblasTrans : CblasNoTrans,                                 \
                                s.tb ? CblasTrans : CblasNoTrans, s.m - o < band ? s.m - o : band, s.n, s.k, 1,  \
                                a + (long)o * lda, lda, b, ldb, (T)s.beta, c + (long)o * ldc, ldc);              \
        }                                                                                                        \
        reps += 200;                                                                                             \
        t = now() - t0;                                                                                          \
    } while (t < 0.4);                                                                                           \
    free(a); free(b); free(c);                                                                                   \
    return 2.0 * s.m * s.n * s.k * reps / t * 1e-9;                                                              \
}
BENCH(float, s)
BENCH(double, d)

int main(int argc, char **argv) {
    int w = argc > 1 ? atoi(argv[1]) : 20, r = argc > 2 ? atoi(argv[2]) : 384;
    openblas_set_num_threads(1);
    Shape shapes[] = {
        {"row-major forward  Z = H·Wᵀ (NN, Wᵀ stored)", 0, 0, r, w, w, 0},
        {"neuron-major forward  Zᵀ = W·Hᵀ (NN)", 0, 0, w, r, w, 0},
        {"row-major backward  H̄ = Z̄·W (NN)", 0, 0, r, w, w, 0},
        {"neuron-major backward  H̄ᵀ = Wᵀ·Z̄ᵀ (TN)", 1, 0, w, r, w, 0},
        {"row-major gradient  W̄ += Z̄ᵀ·H (TN)", 1, 0, w, w, r, 1},
        {"neuron-major gradient  W̄ += Z̄ᵀ·(Hᵀ)ᵀ (NT)", 0, 1, w, w, r, 1},
        {"neuron-major gradient in bands of ≤ 1,024 entries", 0, 1, w, w, r, 1, 1},
    };
    printf("| product | m×n×k | Float GFLOP/s | Double GFLOP/s |\n|---|---|---|---|\n");
    for (int i = 0; i < 7; i++)
        printf("| %s | %d×%d×%d | %.1f | %.1f |\n", shapes[i].what, shapes[i].m, shapes[i].n, shapes[i].k,
               bench_s(shapes[i]), bench_d(shapes[i]));
    return 0;
}
