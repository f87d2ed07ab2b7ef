#include <cblas.h>

/// OpenBLAS (pthread build) starts worker threads at load time that spin-wait with sched_yield; the engine calls
/// BLAS single-threaded from its own threads, so it stops them (they restart on demand if ever needed).
int blas_thread_shutdown_(void);

/// LAPACK's Cholesky factorisation (OpenBLAS ships LAPACK in the same library): A = UᵀU or LLᵀ in place;
/// info > 0 when A is not positive definite.
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);

/// LAPACK's solve with a Cholesky factor from `dpotrf_`: B ← A⁻¹B for `nrhs` right-hand sides.
void dpotrs_(const char *uplo, const int *n, const int *nrhs, const double *a, const int *lda, double *b,
             const int *ldb, int *info);
