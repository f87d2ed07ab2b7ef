// The fused per-layer passes, written once and instantiated for double and float by fused_layer.c.
// Expects: T (the scalar), SFX(name) (appends _d or _f), TANH (pinn_tanh_d/f), SINCOS (a sin/cos for T).
// Forward and backward sit side by side so they can be checked against each other by eye (docs/design.md §5, §6).
// A layer is neuron-major (PINNKernels.h): every loop runs over one neuron's stream block, `rows` contiguous
// elements, so it vectorises; the neuron's slope and bias are scalars there. Its sums over the points are vector
// reductions in the single-pass kernels and pinn_sum in the multi-pass reference.

/// σ''(y) from h = σ(y) and p = σ'(y): tanh: −2·h·p;  sin: −h.
static inline T SFX(second_derivative)(pinn_activation act, T h, T p) {
    return act == PINN_TANH ? (T)-2 * h * p : -h;
}

/// σ'''(y) from h, p, q = σ''(y): tanh: −2p² − 2hq;  sin: −p.
static inline T SFX(third_derivative)(pinn_activation act, T h, T p, T q) {
    return act == PINN_TANH ? (T)-2 * p * p - (T)2 * h * q : -p;
}

PINN_CLONES
void SFX(pinn_activate)(pinn_activation act, int n, const T *restrict y, T *restrict h, T *restrict p) {
    if (act == PINN_TANH) {
        for (int e = 0; e < n; e++) { T pe; TANH(y[e], &h[e], &pe); if (p) p[e] = pe; }
    } else {
        for (int e = 0; e < n; e++) { T pe; SINCOS(y[e], &h[e], &pe); if (p) p[e] = pe; }
    }
}

PINN_CLONES
void SFX(pinn_layer_forward)(const pinn_layer_shape *shape, const T *restrict s, const T *restrict bias,
                             T *restrict z, T *restrict h, T *restrict p) {
    if (shape->terms) { SFX(taylor_forward)(shape, s, bias, z, h, p); return; }
    const long n = shape->rows, stride = (1L + shape->first + shape->second) * n;
    const pinn_activation act = shape->activation;
    for (int o = 0; o < shape->width; o++) {
        T *restrict zo = z + o * stride;
        T *restrict ho = h + o * stride;
        T *restrict po = p + o * n;
        const T so = s[o], bo = bias ? bias[o] : 0;
        // z ← z + b;  h = σ(s z), p = σ'(s z)
        for (long e = 0; e < n; e++) zo[e] += bo;
        if (act == PINN_TANH) {
            for (long e = 0; e < n; e++) TANH(so * zo[e], &ho[e], &po[e]);
        } else {
            for (long e = 0; e < n; e++) SINCOS(so * zo[e], &ho[e], &po[e]);
        }
        // h_j = p s z_j
        for (int j = 1; j <= shape->first; j++) {
            const T *restrict zj = zo + j * n;
            T *restrict hj = ho + j * n;
            for (long e = 0; e < n; e++) hj[e] = po[e] * so * zj[e];
        }
        // h_jl = q s² z_j z_l + p s z_jl
        for (int k = 0; k < shape->second; k++) {
            const long b = 1 + shape->first + k;
            const T *restrict zj = zo + shape->pair_j[k] * n;
            const T *restrict zl = zo + shape->pair_l[k] * n;
            const T *restrict zjl = zo + b * n;
            T *restrict hjl = ho + b * n;
            for (long e = 0; e < n; e++) {
                const T q = SFX(second_derivative)(act, ho[e], po[e]);
                hjl[e] = q * so * so * zj[e] * zl[e] + po[e] * so * zjl[e];
            }
        }
    }
}

PINN_CLONES
void SFX(pinn_layer_backward)(const pinn_layer_shape *shape, const T *restrict s, const T *restrict z,
                              const T *restrict h, const T *restrict p, const T *restrict hbar,
                              T *restrict zbar, T *restrict sbar, T *restrict bbar, T *restrict work) {
    if (shape->terms) { SFX(taylor_backward)(shape, s, z, h, p, hbar, zbar, sbar, bbar, work); return; }
    const long n = shape->rows, stride = (1L + shape->first + shape->second) * n;
    const pinn_activation act = shape->activation;
    T *restrict q = work, *restrict r = work + n, *restrict ybar = work + 2 * n, *restrict sb = work + 3 * n;

    for (int o = 0; o < shape->width; o++) {
        const T *restrict zo = z + o * stride, *restrict ho = h + o * stride, *restrict po = p + o * n;
        const T *restrict hbo = hbar + o * stride;
        T *restrict zbo = zbar + o * stride;
        const T so = s[o];
        // value: ȳ = h̄ p, and σ'', σ''' once
        for (long e = 0; e < n; e++) {
            q[e] = SFX(second_derivative)(act, ho[e], po[e]);
            r[e] = SFX(third_derivative)(act, ho[e], po[e], q[e]);
            ybar[e] = hbo[e] * po[e];
            sb[e] = 0;
        }
        // h_j = p s z_j:  z̄_j = h̄_j p s,  ȳ += h̄_j q s z_j,  s̄ += h̄_j p z_j
        for (int j = 1; j <= shape->first; j++) {
            const T *restrict zj = zo + j * n, *restrict hbj = hbo + j * n;
            T *restrict zbj = zbo + j * n;
            for (long e = 0; e < n; e++) {
                zbj[e] = hbj[e] * po[e] * so;
                ybar[e] += hbj[e] * q[e] * so * zj[e];
                sb[e] += hbj[e] * po[e] * zj[e];
            }
        }
        // h_jl = q s² z_j z_l + p s z_jl:
        //   z̄_jl = h̄_jl p s,  z̄_j += h̄_jl q s² z_l,  z̄_l += h̄_jl q s² z_j  (j = l: z̄_j += 2 h̄_jj q s² z_j),
        //   ȳ += h̄_jl (r s² z_j z_l + q s z_jl),  s̄ += h̄_jl (2 q s z_j z_l + p z_jl)
        for (int k = 0; k < shape->second; k++) {
            const long b = 1 + shape->first + k;
            const int pj = shape->pair_j[k], pl = shape->pair_l[k];
            const T *restrict zj = zo + pj * n, *restrict zl = zo + pl * n, *restrict zjl = zo + b * n;
            const T *restrict hb = hbo + b * n;
            T *restrict zbjl = zbo + b * n;
            for (long e = 0; e < n; e++) {
                zbjl[e] = hb[e] * po[e] * so;
                ybar[e] += hb[e] * (r[e] * so * so * zj[e] * zl[e] + q[e] * so * zjl[e]);
                sb[e] += hb[e] * ((T)2 * q[e] * so * zj[e] * zl[e] + po[e] * zjl[e]);
            }
            if (pj == pl) {
                T *restrict zbj = zbo + pj * n;
                for (long e = 0; e < n; e++) zbj[e] += (T)2 * hb[e] * q[e] * so * so * zj[e];
            } else {
                T *restrict zbj = zbo + pj * n;
                T *restrict zbl = zbo + pl * n;
                for (long e = 0; e < n; e++) {
                    const T c = hb[e] * q[e] * so * so;
                    zbj[e] += c * zl[e];
                    zbl[e] += c * zj[e];
                }
            }
        }
        // y = s z:  s̄ += ȳ z,  z̄ = ȳ s;  then the neuron's sums over its points
        for (long e = 0; e < n; e++) {
            sb[e] += ybar[e] * zo[e];
            zbo[e] = ybar[e] * so;
        }
        sbar[o] = SFX(pinn_sum)((int)n, sb);
        bbar[o] = SFX(pinn_sum)((int)n, zbo);
    }
}

// Single-pass variants for the small stream sets PDE residuals use (≤ 3 first and ≤ 3 second derivatives):
// every stream of an element is updated in one loop, so σ', σ'', σ''' and the accumulators stay in registers
// instead of making one pass over memory per stream. F (first), S2 (second) and the activation are constants at
// each call site (always_inline + a switch), so the stream loops unroll and the element loop vectorises.
// The multi-pass functions above are the reference and handle every other layout.
// The element loops carry `omp simd` (the target is built with -fopenmp-simd, which needs no OpenMP runtime): a
// neuron's loop is only `rows` long, and run-time alias checks once per neuron cost ~25% of the kernels; the
// per-neuron sums are vector reductions there, so they are added in a fixed order for a given build and CPU.

static inline __attribute__((always_inline))
void SFX(forward_one_pass)(const int F, const int S2, const pinn_activation act, const pinn_layer_shape *shape,
                           const T *restrict s, const T *restrict bias, T *restrict z, T *restrict h,
                           T *restrict p) {
    const long n = shape->rows, stride = (1L + F + S2) * n;
    for (int o = 0; o < shape->width; o++) {
        T *restrict zo = z + o * stride;
        T *restrict ho = h + o * stride;
        T *restrict po = p + o * n;
        const T *zf[3], *zj[3], *zl[3], *z2[3];
        T *hf[3], *h2[3];
        for (int j = 0; j < F; j++) { zf[j] = zo + (j + 1) * n; hf[j] = ho + (j + 1) * n; }
        for (int k = 0; k < S2; k++) {
            zj[k] = zo + shape->pair_j[k] * n;
            zl[k] = zo + shape->pair_l[k] * n;
            z2[k] = zo + (1 + F + k) * n;
            h2[k] = ho + (1 + F + k) * n;
        }
        const T se = s[o], bo = bias ? bias[o] : 0;
        PINN_SIMD
        for (long e = 0; e < n; e++) {
            const T ze = zo[e] + bo;
            T he, pe;
            if (act == PINN_TANH) TANH(se * ze, &he, &pe); else SINCOS(se * ze, &he, &pe);
            zo[e] = ze;
            ho[e] = he;
            po[e] = pe;
            const T q = SFX(second_derivative)(act, he, pe);
            for (int j = 0; j < F; j++) hf[j][e] = pe * se * zf[j][e];
            for (int k = 0; k < S2; k++) h2[k][e] = q * se * se * zj[k][e] * zl[k][e] + pe * se * z2[k][e];
        }
    }
}

static inline __attribute__((always_inline))
void SFX(backward_one_pass)(const int F, const int S2, const pinn_activation act, const pinn_layer_shape *shape,
                            const T *restrict s, const T *restrict z, const T *restrict h, const T *restrict p,
                            const T *restrict hbar, T *restrict zbar, T *restrict sbar, T *restrict bbar,
                            T *restrict work) {
    const long n = shape->rows, stride = (1L + F + S2) * n;
    // z̄_j += h̄_jl q s² (a_kj z_l + b_kj z_j) with a_kj = [j = pair_j], b_kj = [j = pair_l] (both for h_jj).
    T a[3][3], b[3][3];
    for (int k = 0; k < S2; k++)
        for (int j = 0; j < F; j++) {
            a[k][j] = shape->pair_j[k] == j + 1;
            b[k][j] = shape->pair_l[k] == j + 1;
        }
    (void)work;
    for (int o = 0; o < shape->width; o++) {
        const T *restrict zo = z + o * stride, *restrict ho = h + o * stride, *restrict po = p + o * n;
        const T *restrict hbo = hbar + o * stride;
        T *restrict zbo = zbar + o * stride;
        const T *zf[3], *hbf[3], *zj[3], *zl[3], *z2[3], *hb2[3];
        T *zbf[3], *zb2[3];
        for (int j = 0; j < F; j++) { zf[j] = zo + (j + 1) * n; hbf[j] = hbo + (j + 1) * n; zbf[j] = zbo + (j + 1) * n; }
        for (int k = 0; k < S2; k++) {
            zj[k] = zo + shape->pair_j[k] * n;
            zl[k] = zo + shape->pair_l[k] * n;
            z2[k] = zo + (1 + F + k) * n;
            hb2[k] = hbo + (1 + F + k) * n;
            zb2[k] = zbo + (1 + F + k) * n;
        }
        const T se = s[o];
        T slopeSum = 0, biasSum = 0;
        PINN_SIMD_SUMS(slopeSum, biasSum)
        for (long e = 0; e < n; e++) {
            const T pe = po[e], he = ho[e];
            const T q = SFX(second_derivative)(act, he, pe);
            const T r = SFX(third_derivative)(act, he, pe, q);
            T ybar = hbo[e] * pe, sb = 0, zb[3];
            for (int j = 0; j < F; j++) {
                const T hb = hbf[j][e], zje = zf[j][e];
                zb[j] = hb * pe * se;
                ybar += hb * q * se * zje;
                sb += hb * pe * zje;
            }
            for (int k = 0; k < S2; k++) {
                const T hb = hb2[k][e], zje = zj[k][e], zle = zl[k][e], zjl = z2[k][e];
                zb2[k][e] = hb * pe * se;
                ybar += hb * (r * se * se * zje * zle + q * se * zjl);
                sb += hb * ((T)2 * q * se * zje * zle + pe * zjl);
                const T c = hb * q * se * se;
                for (int j = 0; j < F; j++) zb[j] += c * (a[k][j] * zle + b[k][j] * zje);
            }
            for (int j = 0; j < F; j++) zbf[j][e] = zb[j];
            slopeSum += sb + ybar * zo[e];
            zbo[e] = ybar * se;
            biasSum += zbo[e];
        }
        sbar[o] = slopeSum;
        bbar[o] = biasSum;
    }
}

#define PINN_ONE_PASS_CASES(CALL, ACT)                                                                  \
    switch (shape->first * 4 + shape->second) {                                                         \
    case 0: CALL(0, 0, ACT); return;  case 1 * 4: CALL(1, 0, ACT); return;                              \
    case 1 * 4 + 1: CALL(1, 1, ACT); return;  case 2 * 4: CALL(2, 0, ACT); return;                      \
    case 2 * 4 + 1: CALL(2, 1, ACT); return;  case 2 * 4 + 2: CALL(2, 2, ACT); return;                  \
    case 2 * 4 + 3: CALL(2, 3, ACT); return;  case 3 * 4: CALL(3, 0, ACT); return;                      \
    case 3 * 4 + 1: CALL(3, 1, ACT); return;  case 3 * 4 + 2: CALL(3, 2, ACT); return;                  \
    case 3 * 4 + 3: CALL(3, 3, ACT); return;  default: break;                                           \
    }

PINN_CLONES
void SFX(pinn_layer_forward_fast)(const pinn_layer_shape *shape, const T *restrict s, const T *restrict bias,
                                  T *restrict z, T *restrict h, T *restrict p) {
#define PINN_FORWARD_CALL(F, S2, ACT) SFX(forward_one_pass)(F, S2, ACT, shape, s, bias, z, h, p)
    if (shape->terms) { /* orders 3–4: the multi-pass function below takes the term kernels */ }
    else if (shape->activation == PINN_TANH) { PINN_ONE_PASS_CASES(PINN_FORWARD_CALL, PINN_TANH) }
    else { PINN_ONE_PASS_CASES(PINN_FORWARD_CALL, PINN_SIN) }
#undef PINN_FORWARD_CALL
    SFX(pinn_layer_forward)(shape, s, bias, z, h, p);
}

PINN_CLONES
void SFX(pinn_layer_backward_fast)(const pinn_layer_shape *shape, const T *restrict s, const T *restrict z,
                                   const T *restrict h, const T *restrict p, const T *restrict hbar,
                                   T *restrict zbar, T *restrict sbar, T *restrict bbar, T *restrict work) {
#define PINN_BACKWARD_CALL(F, S2, ACT) \
    SFX(backward_one_pass)(F, S2, ACT, shape, s, z, h, p, hbar, zbar, sbar, bbar, work)
    if (shape->terms) { /* orders 3–4: the multi-pass function below takes the term kernels */ }
    else if (shape->activation == PINN_TANH) { PINN_ONE_PASS_CASES(PINN_BACKWARD_CALL, PINN_TANH) }
    else { PINN_ONE_PASS_CASES(PINN_BACKWARD_CALL, PINN_SIN) }
#undef PINN_BACKWARD_CALL
    SFX(pinn_layer_backward)(shape, s, z, h, p, hbar, zbar, sbar, bbar, work);
}
