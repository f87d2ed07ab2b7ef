// Instantiates the fused layer kernels for double and float, each cloned for AVX-512, AVX2 and baseline
// x86-64 (the loader picks one at start-up; docs/design.md §7: libm per element is 10× slower than these loops).
#include "PINNKernels.h"
#include "activations.h"
#include "clones.h"

/// Float sin/cos go through the double kernel: exact to float rounding, and sin is not the default activation.
static inline void pinn_sincos_f(float y, float *sn, float *cs) {
    double s, c;
    pinn_sincos_d((double)y, &s, &c);
    *sn = (float)s;
    *cs = (float)c;
}

#define T double
#define SFX(name) name##_d
#define TANH pinn_tanh_d
#define SINCOS pinn_sincos_d
#include "taylor_layer_template.h"
#include "fused_layer_template.h"
#undef T
#undef SFX
#undef TANH
#undef SINCOS

#undef PINN_ONE_PASS_CASES

#define T float
#define SFX(name) name##_f
#define TANH pinn_tanh_f
#define SINCOS pinn_sincos_f
#include "taylor_layer_template.h"
#include "fused_layer_template.h"
