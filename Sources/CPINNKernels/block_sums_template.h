// Sums over a block: column sums of a row-major block (the output layer's bias), a vectorised sum, and row sums of a
// strided block (the first layer's input-derivative weights). Written once and instantiated for double and float by
// block_sums.c. Expects T and SFX(name).

/// Columns [o0, o0 + C) summed down the rows in C accumulators that stay in registers (C is a constant at every
/// call, so the loop over them unrolls into vector adds); each column still adds its rows in order.
static inline __attribute__((always_inline))
void SFX(column_chunk)(const int C, long rows, int width, int o0, const T *restrict m, T *restrict sums) {
    T acc[16];
    for (int c = 0; c < C; c++) acc[c] = sums[o0 + c];
    for (long i = 0; i < rows; i++) {
        const T *restrict row = m + i * width + o0;
        for (int c = 0; c < C; c++) acc[c] += row[c];
    }
    for (int c = 0; c < C; c++) sums[o0 + c] = acc[c];
}

PINN_CLONES
void SFX(pinn_add_column_sums)(int rows, int width, const T *restrict m, T *restrict sums) {
    int o = 0;
    for (; o + 16 <= width; o += 16) SFX(column_chunk)(16, rows, width, o, m, sums);
    for (; o + 4 <= width; o += 4) SFX(column_chunk)(4, rows, width, o, m, sums);
    for (; o < width; o++) SFX(column_chunk)(1, rows, width, o, m, sums);
}

PINN_CLONES
T SFX(pinn_sum)(int n, const T *restrict x) {
    T acc[16] = {0};
    int i = 0;
    for (; i + 16 <= n; i += 16)
        for (int c = 0; c < 16; c++) acc[c] += x[i + c];
    for (int c = 0; i < n; i++, c++) acc[c] += x[i];
    for (int half = 8; half > 0; half /= 2)
        for (int c = 0; c < half; c++) acc[c] += acc[c + half];
    return acc[0];
}

PINN_CLONES
void SFX(pinn_add_row_sums)(int count, int length, long stride, const T *restrict m, T *restrict sums) {
    for (int o = 0; o < count; o++) sums[o] += SFX(pinn_sum)(length, m + o * stride);
}
