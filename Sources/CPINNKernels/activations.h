// Branch-free, vectorisable tanh and sin/cos for the layer kernels (no libm call per element).
// Accuracy (tested in PINNNumericsTests): tanh relative error ≤ 1e-15 (double), ≤ 5e-7 (float).
#ifndef PINN_ACTIVATIONS_H
#define PINN_ACTIVATIONS_H
#include <math.h>
#include <stdint.h>
#include <string.h>

/// expm1(x) for 0 ≤ x ≤ 700: x = k·ln2 + r, |r| ≤ ln2/2, expm1(x) = 2^k·expm1(r) + (2^k − 1).
/// expm1(r) by its Taylor series to r^13 (truncation ≤ 2e-18); both summands have the sign of the result
/// or are small against it, so no cancellation.
static inline double pinn_expm1_pos_d(double x) {
    const double shift = 0x1.8p52;
    double kd = x * 0x1.71547652b82fep0 + shift;   // round(x / ln2) in the low mantissa bits
    uint64_t kb; memcpy(&kb, &kd, 8);
    kd -= shift;
    double r = (x - kd * 0x1.62e42fee00000p-1) - kd * 0x1.a39ef35793c76p-33;   // Cody–Waite ln2 split
    double p = 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r * r + r;
    uint64_t sb = (kb << 52) + (UINT64_C(1023) << 52);
    double scale; memcpy(&scale, &sb, 8);
    return scale * p + (scale - 1.0);
}

/// tanh(y) = sign(y)·e/(e+2) with e = expm1(2|y|), and σ' = 1 − tanh² = 4(e+1)/(e+2)², accurate in relative
/// terms even where tanh rounds to ±1 (|y| is clamped at 300, where σ' underflows to ~0 anyway).
static inline void pinn_tanh_d(double y, double *h, double *p) {
    double x = 2.0 * fmin(fabs(y), 300.0);
    double e = pinn_expm1_pos_d(x);
    double d = 1.0 / (e + 2.0);
    *h = copysign(e * d, y);
    *p = (4.0 * (e + 1.0) * d) * d;
}

/// Float: the same with a degree-7 series (truncation ≤ 2e-8) and |y| clamped at 40.
static inline void pinn_tanh_f(float y, float *h, float *p) {
    float x = 2.0f * fminf(fabsf(y), 40.0f);
    const float shift = 0x1.8p23f;
    float kd = x * 0x1.715476p0f + shift;
    uint32_t kb; memcpy(&kb, &kd, 4);
    kd -= shift;
    float r = (x - kd * 0x1.62e400p-1f) - kd * 0x1.7f7d1cp-20f;
    float q = 1.0f / 40320.0f;
    q = q * r + 1.0f / 5040.0f;
    q = q * r + 1.0f / 720.0f;
    q = q * r + 1.0f / 120.0f;
    q = q * r + 1.0f / 24.0f;
    q = q * r + 1.0f / 6.0f;
    q = q * r + 0.5f;
    q = q * r * r + r;
    uint32_t sb = (kb << 23) + (UINT32_C(127) << 23);
    float scale; memcpy(&scale, &sb, 4);
    float e = scale * q + (scale - 1.0f);
    float d = 1.0f / (e + 2.0f);
    *h = copysignf(e * d, y);
    *p = (4.0f * (e + 1.0f) * d) * d;
}

/// sin(y) and cos(y): y = k·π/2 + r with a three-part Cody–Waite split (exact products for |k| < 2^20),
/// |r| ≤ π/4, Taylor series of sin r (to r^15) and cos r (to r^16), then the quadrant k mod 4 selects
/// (±sin r, ±cos r) without branches.
static inline void pinn_sincos_d(double y, double *sn, double *cs) {
    const double shift = 0x1.8p52;
    double kd = y * 0x1.45f306dc9c883p-1 + shift;   // round(y · 2/π)
    uint64_t kb; memcpy(&kb, &kd, 8);
    kd -= shift;
    double r = y - kd * 1.57079632673412561417e+00;
    r = r - kd * 6.07710050630396597660e-11;
    r = r - kd * 2.02226624879595063154e-21;
    double r2 = r * r;
    double sp = -1.0 / 1307674368000.0;
    sp = sp * r2 + 1.0 / 6227020800.0;
    sp = sp * r2 - 1.0 / 39916800.0;
    sp = sp * r2 + 1.0 / 362880.0;
    sp = sp * r2 - 1.0 / 5040.0;
    sp = sp * r2 + 1.0 / 120.0;
    sp = sp * r2 - 1.0 / 6.0;
    double s = r + r * r2 * sp;
    double cp = 1.0 / 20922789888000.0;
    cp = cp * r2 - 1.0 / 87178291200.0;
    cp = cp * r2 + 1.0 / 479001600.0;
    cp = cp * r2 - 1.0 / 3628800.0;
    cp = cp * r2 + 1.0 / 40320.0;
    cp = cp * r2 - 1.0 / 720.0;
    cp = cp * r2 + 1.0 / 24.0;
    double c = 1.0 - 0.5 * r2 + r2 * r2 * cp;
    uint64_t q = kb & 3;
    double s1 = (q & 1) ? c : s;          // quadrant 1, 3: sin y = ±cos r
    double c1 = (q & 1) ? s : c;
    *sn = (q & 2) ? -s1 : s1;             // quadrants 2, 3 negate sin
    *cs = ((q + 1) & 2) ? -c1 : c1;       // quadrants 1, 2 negate cos
}

#endif
