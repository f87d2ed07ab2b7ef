// A hand-written AVX-512 register-blocked float kernel for the engine's no-transpose product at width 20
// (C(1024×20) (+)= A(1024×20)·B(20×20)), timed against OpenBLAS in one process: the issue-12 test of whether a
// hand-written micro-kernel beats the libraries by the 1.2× it would need to be adopted (docs/performance.md has
// the figures and the decision); kept here as the measurement, not in the engine.
//   gcc -O3 -funroll-loops -DROWS=8 -I/usr/include/x86_64-linux-gnu/openblas-pthread \
//       bench/gemm/register_blocked_nn.c -o /tmp/register_blocked_nn -lopenblas -lm && /tmp/register_blocked_nn
#include <immintrin.h>
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+1e-9*t.tv_nsec;}

// C(m×n) (+)= A(m×k)·B(k×n), row-major, n ≤ 24 in one pass: columns 0..15 in a zmm, 16..23 in a ymm (masked).
#define BLOCK(R) \
static inline __attribute__((always_inline, target("avx512f,avx512vl,fma"))) \
void block##R(int n, int k, const float *a, int lda, const float *b, int ldb, int beta, float *c, int ldc, __mmask16 m0, __mmask8 m1) { \
    __m512 x[R]; __m256 y[R]; \
    for (int r = 0; r < R; r++) { \
        x[r] = beta ? _mm512_maskz_loadu_ps(m0, c + r * ldc) : _mm512_setzero_ps(); \
        y[r] = beta ? _mm256_maskz_loadu_ps(m1, c + r * ldc + 16) : _mm256_setzero_ps(); \
    } \
    for (int l = 0; l < k; l++) { \
        __m512 b0 = _mm512_maskz_loadu_ps(m0, b + l * ldb); \
        __m256 b1 = _mm256_maskz_loadu_ps(m1, b + l * ldb + 16); \
        for (int r = 0; r < R; r++) { \
            float av = a[r * lda + l]; \
            x[r] = _mm512_fmadd_ps(_mm512_set1_ps(av), b0, x[r]); \
            y[r] = _mm256_fmadd_ps(_mm256_set1_ps(av), b1, y[r]); \
        } \
    } \
    for (int r = 0; r < R; r++) { \
        _mm512_mask_storeu_ps(c + r * ldc, m0, x[r]); \
        _mm256_mask_storeu_ps(c + r * ldc + 16, m1, y[r]); \
    } \
}
#ifndef ROWS
#define ROWS 8
#endif
#define CAT(a, b) a##b
#define BLOCKED(R) CAT(block, R)
#define BLOCK_EXPANDED(R) BLOCK(R)
BLOCK_EXPANDED(ROWS)
BLOCK(1)
__attribute__((target("avx512f,avx512vl,fma")))
void sgemm_nn(int m, int n, int k, const float *a, int lda, const float *b, int ldb, int beta, float *c, int ldc) {
    for (int j0 = 0; j0 < n; j0 += 24) {
        int w = n - j0 < 24 ? n - j0 : 24;
        __mmask16 m0 = w >= 16 ? 0xffff : (__mmask16)((1u << w) - 1);
        __mmask8 m1 = w > 16 ? (__mmask8)((1u << (w - 16)) - 1) : 0;
        int i = 0;
        for (; i + ROWS <= m; i += ROWS) BLOCKED(ROWS)(w, k, a + (long)i * lda, lda, b + j0, ldb, beta, c + (long)i * ldc + j0, ldc, m0, m1);
        for (; i < m; i++) block1(w, k, a + (long)i * lda, lda, b + j0, ldb, beta, c + (long)i * ldc + j0, ldc, m0, m1);
    }
}
int main(int argc,char**argv){
  int widths[]={20};
  openblas_set_num_threads(1);
  for(int wi=0;wi<1;wi++){int m=1024,n=widths[wi],k=widths[wi];
  float*a=aligned_alloc(64,4*m*k+64),*b=aligned_alloc(64,4*k*n+64),*c=aligned_alloc(64,4*m*n+64),*r=aligned_alloc(64,4*m*n+64);
  for(int i=0;i<m*k;i++)a[i]=sinf(.37f*i);for(int i=0;i<k*n;i++)b[i]=cosf(.11f*i);
  for(int beta=0;beta<2;beta++){
  for(int i=0;i<m*n;i++)c[i]=r[i]=.5f;
  sgemm_nn(m,n,k,a,k,b,n,beta,c,n);cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasNoTrans,m,n,k,1,a,k,b,n,beta,r,n);
  double d=0;for(int i=0;i<m*n;i++)d=fmax(d,fabs(c[i]-r[i]));
  int reps=3000*20*20/(n*k);double t=now();for(int i=0;i<reps;i++)sgemm_nn(m,n,k,a,k,b,n,beta,c,n);double th=now()-t;
  t=now();for(int i=0;i<reps;i++)cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasNoTrans,m,n,k,1,a,k,b,n,beta,r,n);double to=now()-t;
  double f=2.0*m*n*k*reps/1e9;printf("n=k=%d beta=%d: hand %.1f openblas %.1f GFLOP/s (%.2fx) maxdiff %.1e\n",n,beta,f/th,f/to,to/th,d);}}
}
