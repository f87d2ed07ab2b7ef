#ifndef PINNPLOT_CZLIB_SHIM_H
#define PINNPLOT_CZLIB_SHIM_H
#include <zlib.h>
#endif
