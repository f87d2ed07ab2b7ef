#!/usr/bin/env bash
# Fuzzing with libFuzzer (docs/reliability.md, "Fuzzing"):
#
#     scripts/fuzz.sh [expressions|jobspec|all] [seconds]     # default: all, 60 s per target
#
# Builds each target into .build/fuzz/ (swiftc -sanitize=fuzzer,address; rebuilt only when a source changed),
# then runs it for the given time on the seed corpus Fuzz/Corpus/<target>/ (read-only; what libFuzzer finds is
# written to .build/fuzz/corpus-<target>/). Exits non-zero on any finding — a crash or trap, a memory error, a
# leak, an input slower than 10 s or a process over 2 GB — leaving the input in .build/fuzz/findings-<target>/;
# run the target on that file to reproduce it: .build/fuzz/<target> FILE.
#   expressions  the expression language: parse, compile, evaluate and pull back (Fuzz/Expressions/main.swift)
#   jobspec      JobSpecParser.parse on a request body, and the store's round-trip of what it accepts
#                (Fuzz/JobSpec/main.swift)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
target="${1:-all}"
seconds="${2:-60}"
out="$root/.build/fuzz"
mkdir -p "$out"

swift_flags=(-O -sanitize=fuzzer,address -parse-as-library -use-ld=lld)

# True when $1 is missing or older than any file under the remaining arguments.
stale() {
    local binary="$1"; shift
    [[ ! -e "$binary" ]] || [[ -n "$(find "$@" -type f -newer "$binary" -print -quit)" ]]
}

build_expressions() {
    stale "$out/expressions" Sources/PINNExpressions Fuzz/Expressions scripts/fuzz.sh || return 0
    echo "fuzz: building expressions" >&2
    # The harness joins the module, so it needs no separate module build.
    swiftc "${swift_flags[@]}" -module-name PINNExpressions \
        Sources/PINNExpressions/*.swift Fuzz/Expressions/main.swift -o "$out/expressions"
}

build_jobspec() {
    stale "$out/jobspec" Sources/PINNExpressions Sources/PINNNumerics Sources/PINN Sources/CPINNKernels \
        Sources/CBLAS Sources/CZlib Fuzz/JobSpec scripts/fuzz.sh || return 0
    echo "fuzz: building jobspec" >&2
    local objects="$out/jobspec-objects" modules="$out/jobspec-modules"
    mkdir -p "$objects" "$modules/CPINNKernels"
    local blas_cflags=() flag
    for flag in $(pkg-config --cflags openblas); do blas_cflags+=(-Xcc "$flag"); done
    # SwiftPM generates the C target's module map; a plain build writes its own.
    printf 'module CPINNKernels {\n    header "%s"\n    export *\n}\n' \
        "$root/Sources/CPINNKernels/include/PINNKernels.h" > "$modules/CPINNKernels/module.modulemap"
    for c in Sources/CPINNKernels/*.c; do
        clang -O3 -fno-math-errno -fno-trapping-math -fsanitize=address -ISources/CPINNKernels/include \
            -c "$c" -o "$objects/$(basename "$c" .c).o"
    done
    # One object and one module per Swift target, in dependency order, as SwiftPM would build them.
    # ResourceBundle.swift stands in for SwiftPM's generated Bundle.module (Sources/PINN/References).
    local module
    for module in PINNExpressions PINNNumerics PINN; do
        local sources=()
        mapfile -t sources < <(find Sources/"$module" -name '*.swift' | sort)
        [[ "$module" == PINN ]] && sources+=("$root/Fuzz/JobSpec/ResourceBundle.swift")
        swiftc "${swift_flags[@]}" -wmo -module-name "$module" -I "$modules" -I Sources/CBLAS -I Sources/CZlib \
            -I "$modules/CPINNKernels" "${blas_cflags[@]}" \
            -emit-module -emit-module-path "$modules/$module.swiftmodule" \
            -c "${sources[@]}" -o "$objects/$module.o"
    done
    # shellcheck disable=SC2046
    swiftc "${swift_flags[@]}" -I "$modules" -I Sources/CBLAS -I Sources/CZlib -I "$modules/CPINNKernels" \
        "${blas_cflags[@]}" Fuzz/JobSpec/main.swift "$objects"/*.o $(pkg-config --libs openblas) -lz -o "$out/jobspec"
}

# Runs target $1 for $seconds; libFuzzer's exit status is the script's.
run() {
    local name="$1" max_len="$2" seeds
    seeds="$root/Fuzz/Corpus/$name"
    mkdir -p "$out/corpus-$name" "$out/findings-$name"
    echo "fuzz: $name for $seconds s (seeds: Fuzz/Corpus/$name, $(ls "$seeds" | wc -l) files)" >&2
    # Swift's own crash backtracer would run inside the sanitized process and trip AddressSanitizer; libFuzzer
    # prints the stack of a finding instead.
    SWIFT_BACKTRACE=enable=no "$out/$name" "$out/corpus-$name" "$seeds" \
        -dict="$root/Fuzz/Dictionaries/$name.dict" -max_len="$max_len" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -detect_leaks=1 \
        -artifact_prefix="$out/findings-$name/" -print_final_stats=1 2>&1 | tee "$out/$name.log"
}

case "$target" in
    expressions) build_expressions; run expressions 4200 ;;      # past the parser's 4,000-character limit
    jobspec) build_jobspec; run jobspec 16384 ;;
    all) build_expressions; build_jobspec; run expressions 4200; run jobspec 16384 ;;
    *) echo "usage: scripts/fuzz.sh [expressions|jobspec|all] [seconds]" >&2; exit 2 ;;
esac
