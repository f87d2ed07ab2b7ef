// PINN_CLONES: a kernel is compiled for AVX-512, AVX2 and baseline x86-64, and the loader's ifunc resolver picks
// one at start-up. Not under ThreadSanitizer or AddressSanitizer: resolvers run before the sanitizer's runtime is
// initialised, and instrumented ones crash there; the baseline clone alone is what a sanitized build tests.
#ifndef PINN_CLONES_H
#define PINN_CLONES_H

#if defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define PINN_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define PINN_SANITIZED 1
#endif

#if defined(__x86_64__) && !defined(PINN_SANITIZED)
#define PINN_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define PINN_CLONES
#endif

// The element loop that follows has independent iterations (PINN_SIMD), or independent iterations but for the sums
// named (PINN_SIMD_SUMS): vectorised without run-time alias checks, the sums as vector reductions. Needs
// -fopenmp-simd (Package.swift); without it the pragmas are ignored and the loops stay correct.
#define PINN_PRAGMA(x) _Pragma(#x)
#define PINN_SIMD PINN_PRAGMA(omp simd)
#define PINN_SIMD_SUMS(...) PINN_PRAGMA(omp simd reduction(+ : __VA_ARGS__))

#endif
