// The layer passes for stream sets with derivatives of order 3 and 4, written once and instantiated for double and
// float by fused_layer.c (same macros as fused_layer_template.h). Every block b ≥ 1 of h is, by Faà di Bruno's
// formula with y = s z and ∂_B y = s z_B,
//     h_b = Σ_t c_t σ^(k_t)(y) s^(k_t) Π_{i<k_t} z_{f_t,i}
// over the set partitions of the derivative's inputs, merged into terms t with multiplicity c_t (pinn_taylor_terms,
// docs/design.md §4.3). The backward pass is the adjoint of each term:
//     ȳ += h̄_b c σ^(k+1) s^k Π z_f,   s̄ += h̄_b c σ^(k) k s^(k−1) Π z_f,   z̄_{f_i} += h̄_b c σ^(k) s^k Π_{j≠i} z_{f_j}.
// The loops run term by term over a neuron's points, so they vectorise; σ^(k) is recomputed from h and σ' in each
// (a few multiplications), so the forward pass needs no scratch.

/// σ^(k)(y), k = 0…5, from h = σ(y) and p = σ'(y). tanh: σ' = 1 − h², so σ^(m+1) = −Σ_i C(m,i) σ^(i) σ^(m−i):
/// σ'' = −2hp, σ''' = −2p² − 2hσ'', σ'''' = −6pσ'' − 2hσ''', σ^(5) = −8pσ''' − 6σ''² − 2hσ''''. sin: σ^(k) = sin(y + kπ/2).
static inline T SFX(sigma_derivative)(pinn_activation act, int k, T h, T p) {
    if (act != PINN_TANH) {
        switch (k & 3) { case 0: return h; case 1: return p; case 2: return -h; default: return -p; }
    }
    if (k == 0) return h;
    if (k == 1) return p;
    const T d2 = (T)-2 * h * p;
    if (k == 2) return d2;
    const T d3 = (T)-2 * p * p - (T)2 * h * d2;
    if (k == 3) return d3;
    const T d4 = (T)-6 * p * d2 - (T)2 * h * d3;
    if (k == 4) return d4;
    return (T)-8 * p * d3 - (T)6 * d2 * d2 - (T)2 * h * d4;
}

static inline T SFX(power)(T s, int k) {
    T r = 1;
    for (int i = 0; i < k; i++) r *= s;
    return r;
}

static void SFX(taylor_forward)(const pinn_layer_shape *shape, const T *restrict s, const T *restrict bias,
                                T *restrict z, T *restrict h, T *restrict p) {
    const pinn_taylor_terms *terms = shape->terms;
    const long n = shape->rows, stride = (long)terms->blocks * n;
    const pinn_activation act = shape->activation;
    for (int o = 0; o < shape->width; o++) {
        T *zo = z + o * stride, *ho = h + o * stride, *po = p + o * n;
        const T so = s[o], bo = bias ? bias[o] : 0;
        for (long e = 0; e < n; e++) zo[e] += bo;
        if (act == PINN_TANH) {
            for (long e = 0; e < n; e++) TANH(so * zo[e], &ho[e], &po[e]);
        } else {
            for (long e = 0; e < n; e++) SINCOS(so * zo[e], &ho[e], &po[e]);
        }
        for (int b = 1; b < terms->blocks; b++) {
            T *hb = ho + b * n;
            for (long e = 0; e < n; e++) hb[e] = 0;
            for (int t = terms->start[b]; t < terms->start[b + 1]; t++) {
                const int k = terms->order[t];
                const int *f = terms->factor + 4 * t;
                const T c = (T)terms->coefficient[t] * SFX(power)(so, k);
                const T *z0 = zo + f[0] * n, *z1 = zo + f[k > 1 ? 1 : 0] * n;
                const T *z2 = zo + f[k > 2 ? 2 : 0] * n, *z3 = zo + f[k > 3 ? 3 : 0] * n;
                switch (k) {
                case 1: for (long e = 0; e < n; e++) hb[e] += c * po[e] * z0[e]; break;
                case 2:
                    for (long e = 0; e < n; e++) hb[e] += c * SFX(sigma_derivative)(act, 2, ho[e], po[e]) * z0[e] * z1[e];
                    break;
                case 3:
                    for (long e = 0; e < n; e++)
                        hb[e] += c * SFX(sigma_derivative)(act, 3, ho[e], po[e]) * z0[e] * z1[e] * z2[e];
                    break;
                default:
                    for (long e = 0; e < n; e++)
                        hb[e] += c * SFX(sigma_derivative)(act, 4, ho[e], po[e]) * z0[e] * z1[e] * z2[e] * z3[e];
                    break;
                }
            }
        }
    }
}

static void SFX(taylor_backward)(const pinn_layer_shape *shape, const T *restrict s, const T *restrict z,
                                 const T *restrict h, const T *restrict p, const T *restrict hbar,
                                 T *restrict zbar, T *restrict sbar, T *restrict bbar, T *restrict work) {
    const pinn_taylor_terms *terms = shape->terms;
    const long n = shape->rows, stride = (long)terms->blocks * n;
    const pinn_activation act = shape->activation;
    T *ybar = work, *sb = work + n;
    for (int o = 0; o < shape->width; o++) {
        const T *zo = z + o * stride, *ho = h + o * stride, *po = p + o * n, *hbo = hbar + o * stride;
        T *zbo = zbar + o * stride;
        const T so = s[o];
        for (long e = 0; e < n; e++) { ybar[e] = hbo[e] * po[e]; sb[e] = 0; }
        for (long e = n; e < stride; e++) zbo[e] = 0;
        for (int b = 1; b < terms->blocks; b++) {
            const T *hb = hbo + b * n;
            for (int t = terms->start[b]; t < terms->start[b + 1]; t++) {
                const int k = terms->order[t];
                const int *f = terms->factor + 4 * t;
                const T c = (T)terms->coefficient[t];
                const T sk = SFX(power)(so, k), dsk = (T)k * SFX(power)(so, k - 1);
                // Factors beyond the term's order read block 0 and multiply by one (`one`), so one loop serves all k.
                const T *zf[4];
                T *zbf[4];
                for (int i = 0; i < 4; i++) { zf[i] = zo + f[i < k ? i : 0] * n; zbf[i] = zbo + f[i < k ? i : 0] * n; }
                for (long e = 0; e < n; e++) {
                    const T g = hb[e] * c;
                    const T dk = SFX(sigma_derivative)(act, k, ho[e], po[e]);
                    const T dk1 = SFX(sigma_derivative)(act, k + 1, ho[e], po[e]);
                    T v[4];
                    for (int i = 0; i < 4; i++) v[i] = i < k ? zf[i][e] : (T)1;
                    const T prod = v[0] * v[1] * v[2] * v[3];
                    ybar[e] += g * dk1 * sk * prod;
                    sb[e] += g * dk * dsk * prod;
                    const T a = g * dk * sk;
                    // Π_{j≠i} v_j without division: prefix and suffix products.
                    const T p01 = v[0] * v[1], p23 = v[2] * v[3];
                    const T others[4] = { v[1] * p23, v[0] * p23, p01 * v[3], p01 * v[2] };
                    for (int i = 0; i < k; i++) zbf[i][e] += a * others[i];
                }
            }
        }
        for (long e = 0; e < n; e++) {
            sb[e] += ybar[e] * zo[e];
            zbo[e] = ybar[e] * so;
        }
        sbar[o] = SFX(pinn_sum)((int)n, sb);
        bbar[o] = SFX(pinn_sum)((int)n, zbo);
    }
}
