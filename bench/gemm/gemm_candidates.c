// GFLOP/s of the candidate GEMM libraries at the engine's exact shapes (issue 12, item 1), in one process:
// OpenBLAS (cblas), BLIS (typed API, its small/unpacked "sup" path), libxsmm (JIT kernels) and a plain C
// loop (the reference the results are checked against). Every product is C += op(A)·op(B), row-major, α = β = 1,
// as NetworkPass issues them. Built and run by scripts/gemm-candidates.sh.
//
//   gemm_candidates [--threads 1|2] [--widths 20,50,100] [--rows 256] [--streams 4] [--seconds 0.3]
//
// With 2 threads each thread runs the same product on its own buffers at the same time (the engine's shards);
// the figure is the sum over both threads.
#include <cblas.h>
#include <blis.h>
#include <libxsmm.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>

enum { OPENBLAS, BLIS, XSMM, CANDIDATES };
static const char *names[CANDIDATES] = {"openblas", "blis", "libxsmm"};

typedef struct { const char *what; int ta, tb, m, n, k; } Shape;

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }

// Row-major C(m×n) += op(A)·op(B) as libxsmm's column-major C'(n×m) += op(B)ᵀ·op(A)ᵀ. libxsmm 1.17 transposes
// only its second operand, so a row-major NT product (op(B) = Bᵀ: it would need a transposed first operand) gets
// B transposed into `scratch` first; B is a weight matrix (fan-out × fan-in), so that copy is small.
#define XSMM_CALL(T, P)                                                                                             \
static int xsmm_##P(int ta, int tb, int m, int n, int k, const T *a, int lda, const T *b, int ldb, T *c, int ldc,   \
                    T *scratch) {                                                                                   \
    const T one = 1;                                                                                                \
    if (tb) {                                                                                                       \
        for (int j = 0; j < n; j++) for (int i = 0; i < k; i++) scratch[i * n + j] = b[j * ldb + i];               \
        b = scratch; ldb = n; tb = 0;                                                                               \
    }                                                                                                               \
    if (ta) { /* col-major C' += B'·(Aᵀ)ᵀ: second operand transposed */                                            \
        int flags = LIBXSMM_GEMM_FLAG_TRANS_B;                                                                      \
        libxsmm_##P##mmfunction f = libxsmm_##P##mmdispatch(n, m, k, &ldb, &lda, &ldc, &one, &one, &flags, NULL);   \
        if (!f) return -1;                                                                                          \
        f(b, a, c);                                                                                                 \
    } else {                                                                                                        \
        int flags = LIBXSMM_GEMM_FLAG_NONE;                                                                         \
        libxsmm_##P##mmfunction f = libxsmm_##P##mmdispatch(n, m, k, &ldb, &lda, &ldc, &one, &one, &flags, NULL);   \
        if (!f) return -1;                                                                                          \
        f(b, a, c);                                                                                                 \
    }                                                                                                               \
    return 0;                                                                                                       \
}
XSMM_CALL(double, d)
XSMM_CALL(float, s)

#define RUN(T, P, CB)                                                                                               \
static int run_##P(int who, const Shape *s, const T *a, const T *b, T *c, T *scratch) {                            \
    int lda = s->ta ? s->m : s->k, ldb = s->tb ? s->k : s->n, ldc = s->n;                                           \
    T one = 1;                                                                                                      \
    switch (who) {                                                                                                  \
    case OPENBLAS:                                                                                                  \
        cblas_##P##gemm(CblasRowMajor, s->ta ? CblasTrans : CblasNoTrans, s->tb ? CblasTrans : CblasNoTrans,        \
                        s->m, s->n, s->k, 1, a, lda, b, ldb, 1, c, ldc);                                            \
        return 0;                                                                                                   \
    case BLIS:                                                                                                      \
        bli_##P##gemm(s->ta ? BLIS_TRANSPOSE : BLIS_NO_TRANSPOSE, s->tb ? BLIS_TRANSPOSE : BLIS_NO_TRANSPOSE,       \
                      s->m, s->n, s->k, &one, (T *)a, lda, 1, (T *)b, ldb, 1, &one, c, ldc, 1);                      \
        return 0;                                                                                                   \
    default:                                                                                                        \
        return xsmm_##P(s->ta, s->tb, s->m, s->n, s->k, a, lda, b, ldb, c, ldc, scratch);                            \
    }                                                                                                               \
}                                                                                                                   \
static void reference_##P(const Shape *s, const T *a, const T *b, T *c) {                                           \
    int lda = s->ta ? s->m : s->k, ldb = s->tb ? s->k : s->n;                                                       \
    for (int i = 0; i < s->m; i++) for (int j = 0; j < s->n; j++) {                                                 \
        long double sum = 0;                                                                                        \
        for (int l = 0; l < s->k; l++)                                                                              \
            sum += (long double)(s->ta ? a[l * lda + i] : a[i * lda + l]) * (s->tb ? b[j * ldb + l] : b[l * ldb + j]); \
        c[i * s->n + j] += (T)sum;                                                                                  \
    }                                                                                                               \
}
RUN(double, d, 0)
RUN(float, s, 0)

typedef struct {
    const Shape *shape; int who, dbl; double seconds; long reps; double elapsed;
    pthread_barrier_t *barrier;
} Work;

static void *worker(void *arg) {
    Work *w = arg;
    const Shape *s = w->shape;
    size_t na = (size_t)s->m * s->k, nb = (size_t)s->k * s->n, nc = (size_t)s->m * s->n;
    size_t size = w->dbl ? sizeof(double) : sizeof(float);
    void *a = aligned_alloc(64, (na + 16) * size), *b = aligned_alloc(64, (nb + 16) * size);
    void *c = aligned_alloc(64, (nc + 16) * size), *scratch = aligned_alloc(64, (nb + 16) * size);
    for (size_t i = 0; i < na; i++) { double v = sin(0.37 * i); if (w->dbl) ((double *)a)[i] = v; else ((float *)a)[i] = v; }
    for (size_t i = 0; i < nb; i++) { double v = cos(0.11 * i); if (w->dbl) ((double *)b)[i] = v; else ((float *)b)[i] = v; }
    memset(c, 0, nc * size);
    for (int i = 0; i < 20; i++) w->dbl ? run_d(w->who, s, a, b, c, scratch) : run_s(w->who, s, a, b, c, scratch);
    pthread_barrier_wait(w->barrier);
    long reps = 0; double start = now(), t;
    do {
        for (int i = 0; i < 50; i++) w->dbl ? run_d(w->who, s, a, b, c, scratch) : run_s(w->who, s, a, b, c, scratch);
        reps += 50;
    } while ((t = now()) - start < w->seconds);
    w->reps = reps; w->elapsed = t - start;
    free(a); free(b); free(c); free(scratch);
    return NULL;
}

// Largest relative difference from the long-double reference on one product (C starts non-zero, as β = 1).
static double check(int who, const Shape *s, int dbl) {
    size_t na = (size_t)s->m * s->k, nb = (size_t)s->k * s->n, nc = (size_t)s->m * s->n;
    double worst = 0;
    if (dbl) {
        double *a = malloc(na * 8), *b = malloc(nb * 8), *c = malloc(nc * 8), *r = malloc(nc * 8), *x = malloc(nb * 8);
        for (size_t i = 0; i < na; i++) a[i] = sin(0.37 * i + 1);
        for (size_t i = 0; i < nb; i++) b[i] = cos(0.11 * i + 2);
        for (size_t i = 0; i < nc; i++) c[i] = r[i] = 0.5 + 0.01 * i;
        if (run_d(who, s, a, b, c, x)) return NAN;
        reference_d(s, a, b, r);
        for (size_t i = 0; i < nc; i++) worst = fmax(worst, fabs(c[i] - r[i]) / fmax(1, fabs(r[i])));
        free(a); free(b); free(c); free(r); free(x);
    } else {
        float *a = malloc(na * 4), *b = malloc(nb * 4), *c = malloc(nc * 4), *r = malloc(nc * 4), *x = malloc(nb * 4);
        for (size_t i = 0; i < na; i++) a[i] = sin(0.37 * i + 1);
        for (size_t i = 0; i < nb; i++) b[i] = cos(0.11 * i + 2);
        for (size_t i = 0; i < nc; i++) c[i] = r[i] = 0.5 + 0.01 * i;
        if (run_s(who, s, a, b, c, x)) return NAN;
        reference_s(s, a, b, r);
        for (size_t i = 0; i < nc; i++) worst = fmax(worst, fabs(c[i] - r[i]) / fmax(1, fabs(r[i])));
        free(a); free(b); free(c); free(r); free(x);
    }
    return worst;
}

int main(int argc, char **argv) {
    int threads = 1, rows = 256, streams = 4, inputs = 2;
    double seconds = 0.3;
    char widths[64] = "20,50,100";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--widths") && i + 1 < argc) snprintf(widths, sizeof widths, "%s", argv[++i]);
        else if (!strcmp(argv[i], "--rows") && i + 1 < argc) rows = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--streams") && i + 1 < argc) streams = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = atof(argv[++i]);
        else { fprintf(stderr, "usage: %s [--threads 1|2] [--widths 20,50,100] [--rows 256] [--streams 4] [--seconds 0.3]\n", argv[0]); return 2; }
    }
    if (threads < 1 || threads > 2) { fprintf(stderr, "--threads: 1 or 2\n"); return 2; }
    openblas_set_num_threads(1);
    bli_thread_set_num_threads(1);
    libxsmm_init();
    int failures = 0;
    printf("| precision | threads | product | shape m×n×k | openblas | blis | libxsmm | best | max rel. diff (blis, libxsmm) |\n");
    printf("|---|---|---|---|---|---|---|---|---|\n");
    int stacked = streams * rows;
    for (char *tok = strtok(widths, ","); tok; tok = strtok(NULL, ",")) {
        int w = atoi(tok);
        Shape shapes[] = {
            {"hidden forward Z = H·Wᵀ (NT)", 0, 1, stacked, w, w},
            {"hidden backward H̄ = Z̄·W (NN)", 0, 0, stacked, w, w},
            {"hidden gradient W̄ += Z̄ᵀ·H (TN)", 1, 0, w, w, stacked},
            {"first forward Z = X·Wᵀ (NT)", 0, 1, rows, w, inputs},
            {"first gradient W̄ += Z̄ᵀ·X (TN)", 1, 0, w, inputs, rows},
            {"output forward (NT)", 0, 1, stacked, 1, w},
            {"output gradient (TN)", 1, 0, 1, w, stacked},
        };
        for (int dbl = 1; dbl >= 0; dbl--) {
            for (size_t si = 0; si < sizeof shapes / sizeof *shapes; si++) {
                const Shape *s = &shapes[si];
                double rate[CANDIDATES];
                for (int who = 0; who < CANDIDATES; who++) {
                    pthread_barrier_t barrier; pthread_barrier_init(&barrier, NULL, threads);
                    Work work[2]; pthread_t tid[2];
                    for (int t = 0; t < threads; t++) {
                        work[t] = (Work){s, who, dbl, seconds, 0, 0, &barrier};
                        pthread_create(&tid[t], NULL, worker, &work[t]);
                    }
                    rate[who] = 0;
                    for (int t = 0; t < threads; t++) {
                        pthread_join(tid[t], NULL);
                        rate[who] += 2.0 * s->m * s->n * s->k * work[t].reps / work[t].elapsed / 1e9;
                    }
                    pthread_barrier_destroy(&barrier);
                }
                // Wrong results differ by O(1); rounding by at most ~k·ε (the sums have k terms of size ≤ 1).
                double tolerance = 8.0 * s->k * (dbl ? 1.1e-16 : 6.0e-8);
                double blis_diff = check(BLIS, s, dbl), xsmm_diff = check(XSMM, s, dbl);
                if (!(blis_diff <= tolerance && xsmm_diff <= tolerance)) {
                    fprintf(stderr, "%s %s: results differ from the reference beyond %.1e (blis %.1e, libxsmm %.1e)\n",
                            dbl ? "double" : "float", s->what, tolerance, blis_diff, xsmm_diff);
                    failures++;
                }
                int best = 0;
                for (int who = 1; who < CANDIDATES; who++) if (rate[who] > rate[best]) best = who;
                printf("| %s | %d | %s | %d×%d×%d | %.1f | %.1f | %.1f | %s %.2f× | %.1e, %.1e |\n",
                       dbl ? "Double" : "Float", threads, s->what, s->m, s->n, s->k, rate[0], rate[1], rate[2],
                       names[best], rate[best] / rate[0], blis_diff, xsmm_diff);
                fflush(stdout);
            }
        }
    }
    libxsmm_finalize();
    return failures ? 1 : 0;
}
