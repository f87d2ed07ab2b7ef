// The fused per-layer passes, written once and instantiated for double and float by fused_layer.c.
// Expects: T (the scalar), SFX(name) (appends _d or _f), TANH (pinn_tanh_d/f), SINCOS (a sin/cos for T).
// Forward and backward sit side by side so they can be checked against each other by eye (docs/design.md §5, §6).
// Every loop runs over one stream block (rows × width contiguous elements) so it vectorises; `s` is tiled.

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
void SFX(pinn_layer_forward)(const pinn_layer_shape *shape, const T *restrict s, const T *restrict z,
                             T *restrict h, T *restrict p) {
    const int n = shape->elements;
    const pinn_activation act = shape->activation;

    // h = σ(s z), p = σ'(s z)
    if (act == PINN_TANH) {
        for (int e = 0; e < n; e++) TANH(s[e] * z[e], &h[e], &p[e]);
    } else {
        for (int e = 0; e < n; e++) SINCOS(s[e] * z[e], &h[e], &p[e]);
    }
    // h_j = p s z_j
    for (int j = 1; j <= shape->first; j++) {
        const T *restrict zj = z + (long)j * n;
        T *restrict hj = h + (long)j * n;
        for (int e = 0; e < n; e++) hj[e] = p[e] * s[e] * zj[e];
    }
    // h_jl = q s² z_j z_l + p s z_jl
    for (int k = 0; k < shape->second; k++) {
        const long b = 1 + shape->first + k;
        const T *restrict zj = z + (long)shape->pair_j[k] * n;
        const T *restrict zl = z + (long)shape->pair_l[k] * n;
        const T *restrict zjl = z + b * n;
        T *restrict hjl = h + b * n;
        for (int e = 0; e < n; e++) {
            const T q = SFX(second_derivative)(act, h[e], p[e]);
            hjl[e] = q * s[e] * s[e] * zj[e] * zl[e] + p[e] * s[e] * zjl[e];
        }
    }
}

PINN_CLONES
void SFX(pinn_layer_backward)(const pinn_layer_shape *shape, const T *restrict s, const T *restrict z,
                              const T *restrict h, const T *restrict p, const T *restrict hbar,
                              T *restrict zbar, T *restrict sbar, T *restrict work) {
    const int n = shape->elements;
    const pinn_activation act = shape->activation;
    T *restrict q = work, *restrict r = work + n, *restrict ybar = work + 2L * n;

    // value: ȳ = h̄ p, and σ'', σ''' once
    for (int e = 0; e < n; e++) {
        q[e] = SFX(second_derivative)(act, h[e], p[e]);
        r[e] = SFX(third_derivative)(act, h[e], p[e], q[e]);
        ybar[e] = hbar[e] * p[e];
        sbar[e] = 0;
    }
    // h_j = p s z_j:  z̄_j = h̄_j p s,  ȳ += h̄_j q s z_j,  s̄ += h̄_j p z_j
    for (int j = 1; j <= shape->first; j++) {
        const T *restrict zj = z + (long)j * n, *restrict hbj = hbar + (long)j * n;
        T *restrict zbj = zbar + (long)j * n;
        for (int e = 0; e < n; e++) {
            zbj[e] = hbj[e] * p[e] * s[e];
            ybar[e] += hbj[e] * q[e] * s[e] * zj[e];
            sbar[e] += hbj[e] * p[e] * zj[e];
        }
    }
    // h_jl = q s² z_j z_l + p s z_jl:
    //   z̄_jl = h̄_jl p s,  z̄_j += h̄_jl q s² z_l,  z̄_l += h̄_jl q s² z_j  (j = l: z̄_j += 2 h̄_jj q s² z_j),
    //   ȳ += h̄_jl (r s² z_j z_l + q s z_jl),  s̄ += h̄_jl (2 q s z_j z_l + p z_jl)
    for (int k = 0; k < shape->second; k++) {
        const long b = 1 + shape->first + k;
        const int pj = shape->pair_j[k], pl = shape->pair_l[k];
        const T *restrict zj = z + (long)pj * n, *restrict zl = z + (long)pl * n, *restrict zjl = z + b * n;
        const T *restrict hb = hbar + b * n;
        T *restrict zbjl = zbar + b * n;
        for (int e = 0; e < n; e++) {
            const T se = s[e];
            zbjl[e] = hb[e] * p[e] * se;
            ybar[e] += hb[e] * (r[e] * se * se * zj[e] * zl[e] + q[e] * se * zjl[e]);
            sbar[e] += hb[e] * ((T)2 * q[e] * se * zj[e] * zl[e] + p[e] * zjl[e]);
        }
        if (pj == pl) {
            T *restrict zbj = zbar + (long)pj * n;
            for (int e = 0; e < n; e++) zbj[e] += (T)2 * hb[e] * q[e] * s[e] * s[e] * zj[e];
        } else {
            T *restrict zbj = zbar + (long)pj * n;
            T *restrict zbl = zbar + (long)pl * n;
            for (int e = 0; e < n; e++) {
                const T c = hb[e] * q[e] * s[e] * s[e];
                zbj[e] += c * zl[e];
                zbl[e] += c * zj[e];
            }
        }
    }
    // y = s z:  s̄ += ȳ z,  z̄ = ȳ s
    for (int e = 0; e < n; e++) {
        sbar[e] += ybar[e] * z[e];
        zbar[e] = ybar[e] * s[e];
    }
}

// Single-pass variants for the small stream sets PDE residuals use (≤ 3 first and ≤ 3 second derivatives):
// every stream of an element is updated in one loop, so σ', σ'', σ''' and the accumulators stay in registers
// instead of making one pass over memory per stream. F (first), S2 (second) and the activation are constants at
// each call site (always_inline + a switch), so the stream loops unroll and the element loop vectorises.
// The multi-pass functions above are the reference and handle every other layout.

static inline __attribute__((always_inline))
void SFX(forward_one_pass)(const int F, const int S2, const pinn_activation act, const pinn_layer_shape *shape,
                           const T *restrict s, const T *restrict z, T *restrict h, T *restrict p) {
    const long n = shape->elements;
    const T *zf[3], *zj[3], *zl[3], *z2[3];
    T *hf[3], *h2[3];
    for (int j = 0; j < F; j++) { zf[j] = z + (j + 1) * n; hf[j] = h + (j + 1) * n; }
    for (int k = 0; k < S2; k++) {
        zj[k] = z + (long)shape->pair_j[k] * n;
        zl[k] = z + (long)shape->pair_l[k] * n;
        z2[k] = z + (1 + F + k) * n;
        h2[k] = h + (1 + F + k) * n;
    }
    for (long e = 0; e < n; e++) {
        const T se = s[e];
        T he, pe;
        if (act == PINN_TANH) TANH(se * z[e], &he, &pe); else SINCOS(se * z[e], &he, &pe);
        h[e] = he;
        p[e] = pe;
        const T q = SFX(second_derivative)(act, he, pe);
        for (int j = 0; j < F; j++) hf[j][e] = pe * se * zf[j][e];
        for (int k = 0; k < S2; k++) h2[k][e] = q * se * se * zj[k][e] * zl[k][e] + pe * se * z2[k][e];
    }
}

static inline __attribute__((always_inline))
void SFX(backward_one_pass)(const int F, const int S2, const pinn_activation act, const pinn_layer_shape *shape,
                            const T *restrict s, const T *restrict z, const T *restrict h, const T *restrict p,
                            const T *restrict hbar, T *restrict zbar, T *restrict sbar) {
    const long n = shape->elements;
    const T *zf[3], *hbf[3], *zj[3], *zl[3], *z2[3], *hb2[3];
    T *zbf[3], *zb2[3];
    // z̄_j += h̄_jl q s² (a_kj z_l + b_kj z_j) with a_kj = [j = pair_j], b_kj = [j = pair_l] (both for h_jj).
    T a[3][3], b[3][3];
    for (int j = 0; j < F; j++) { zf[j] = z + (j + 1) * n; hbf[j] = hbar + (j + 1) * n; zbf[j] = zbar + (j + 1) * n; }
    for (int k = 0; k < S2; k++) {
        zj[k] = z + (long)shape->pair_j[k] * n;
        zl[k] = z + (long)shape->pair_l[k] * n;
        z2[k] = z + (1 + F + k) * n;
        hb2[k] = hbar + (1 + F + k) * n;
        zb2[k] = zbar + (1 + F + k) * n;
        for (int j = 0; j < F; j++) {
            a[k][j] = shape->pair_j[k] == j + 1;
            b[k][j] = shape->pair_l[k] == j + 1;
        }
    }
    for (long e = 0; e < n; e++) {
        const T se = s[e], pe = p[e], he = h[e];
        const T q = SFX(second_derivative)(act, he, pe);
        const T r = SFX(third_derivative)(act, he, pe, q);
        T ybar = hbar[e] * pe, sb = 0, zb[3];
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
        sbar[e] = sb + ybar * z[e];
        zbar[e] = ybar * se;
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
void SFX(pinn_layer_forward_fast)(const pinn_layer_shape *shape, const T *restrict s, const T *restrict z,
                                  T *restrict h, T *restrict p) {
#define PINN_FORWARD_CALL(F, S2, ACT) SFX(forward_one_pass)(F, S2, ACT, shape, s, z, h, p)
    if (shape->activation == PINN_TANH) { PINN_ONE_PASS_CASES(PINN_FORWARD_CALL, PINN_TANH) }
    else { PINN_ONE_PASS_CASES(PINN_FORWARD_CALL, PINN_SIN) }
#undef PINN_FORWARD_CALL
    SFX(pinn_layer_forward)(shape, s, z, h, p);
}

PINN_CLONES
void SFX(pinn_layer_backward_fast)(const pinn_layer_shape *shape, const T *restrict s, const T *restrict z,
                                   const T *restrict h, const T *restrict p, const T *restrict hbar,
                                   T *restrict zbar, T *restrict sbar, T *restrict work) {
#define PINN_BACKWARD_CALL(F, S2, ACT) SFX(backward_one_pass)(F, S2, ACT, shape, s, z, h, p, hbar, zbar, sbar)
    if (shape->activation == PINN_TANH) { PINN_ONE_PASS_CASES(PINN_BACKWARD_CALL, PINN_TANH) }
    else { PINN_ONE_PASS_CASES(PINN_BACKWARD_CALL, PINN_SIN) }
#undef PINN_BACKWARD_CALL
    SFX(pinn_layer_backward)(shape, s, z, h, p, hbar, zbar, sbar, work);
}
