// Instantiates the row tiling, row adds and column sums of a block (the biases' forward and backward, the slopes'
// gradient)
// for double and float. In Swift these loops did not vectorise and took ~15% of a Float iteration.
#include "PINNKernels.h"
#include "clones.h"

#define T double
#define SFX(name) name##_d
#include "block_sums_template.h"
#undef T
#undef SFX

#define T float
#define SFX(name) name##_f
#include "block_sums_template.h"
