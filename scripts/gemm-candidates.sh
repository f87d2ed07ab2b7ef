#!/usr/bin/env bash
# GFLOP/s of OpenBLAS, BLIS and libxsmm at the engine's GEMM shapes, in one process (issue 12, item 1; the table in
# docs/performance.md). Installs libblis-dev and libxsmm-dev if they are missing (scripts/install-dependencies.sh), builds
# bench/gemm/gemm_candidates.c with gcc and runs it with one and with two threads.
#
#   scripts/gemm-candidates.sh [--widths 20,50,100] [--seconds 0.3]
#   scripts/gemm-candidates.sh --check     (CI: builds it and checks every candidate's results, no timing to speak of)
#   scripts/gemm-candidates.sh --layouts [--widths 20,50,100]
#                                          OpenBLAS at one layer's products in the row-major and the neuron-major
#                                          layer layouts (bench/gemm/gemm_layouts.c; docs/performance.md §6)
#
# Run it on an otherwise idle machine. Link order matters: OpenBLAS comes first so that cblas_?gemm and ?gemm_
# resolve to it; BLIS is called through its own typed API (bli_?gemm) and libxsmm through its JIT dispatch.
set -euo pipefail
cd "$(dirname "$0")/.."

# The machine in one line: CPU model, its widest vector instruction set, the kernels OpenBLAS runs (its own choice,
# or OPENBLAS_CORETYPE's; pinn-server logs the kernels it chose, docs/design.md §7), and the load.
machine() {
    local isa core
    isa="$(grep -m1 '^flags' /proc/cpuinfo | grep -o -w -E 'avx512f|avx2' | sort -u | tr '\n' ' ')"
    core="$(python3 -c 'import ctypes; b = ctypes.CDLL("libopenblas.so.0"); b.openblas_get_corename.restype = ctypes.c_char_p; print(b.openblas_get_corename().decode())' 2>/dev/null || echo unknown)"
    echo "# $(date +%F) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); ${isa:-no AVX2}; OpenBLAS kernels $core${OPENBLAS_CORETYPE:+ (OPENBLAS_CORETYPE)}; load $(cut -d' ' -f1-3 /proc/loadavg)"
}
widths=20,50,100 seconds=0.3 check=0 layouts=0
while (($#)); do
    case "$1" in
        --widths) widths="${2:?}"; shift ;;
        --seconds) seconds="${2:?}"; shift ;;
        --check) check=1 ;;
        --layouts) layouts=1 ;;
        *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    esac
    shift
done
if ((layouts)); then
    binary="$(mktemp -d)/gemm_layouts"
    gcc -O2 -I/usr/include/x86_64-linux-gnu/openblas-pthread bench/gemm/gemm_layouts.c -o "$binary" -lopenblas
    machine
    for w in ${widths//,/ }; do echo; echo "width $w, 4 streams × 96 points"; "$binary" "$w" 384; done
    exit
fi
blis=/usr/lib/x86_64-linux-gnu/blis-openmp/libblis.a
scripts/install-dependencies.sh libblis-dev libxsmm-dev >&2
binary="$(mktemp -d)/gemm_candidates"
gcc -O2 -march=native -fopenmp -I/usr/include/x86_64-linux-gnu/openblas-pthread \
    -I/usr/include/x86_64-linux-gnu/blis-openmp bench/gemm/gemm_candidates.c -o "$binary" \
    -lopenblas /usr/lib/libxsmm.a "$blis" -lpthread -lm -ldl
if ((check)); then
    "$binary" --threads 1 --widths 20,50 --seconds 0.001 >/dev/null && echo "gemm candidates: results agree"
    exit
fi
machine
"$binary" --threads 1 --widths "$widths" --seconds "$seconds"
"$binary" --threads 2 --widths "$widths" --seconds "$seconds" | tail -n +3
