// Instantiates the block sums for double and float. In Swift such loops did not vectorise (a floating-point sum is
// not reassociated), and took ~15% of a Float iteration.
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
