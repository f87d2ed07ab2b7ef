#!/usr/bin/env bash
# The whole test suite under ThreadSanitizer and/or AddressSanitizer (docs/reliability.md, "Sanitizers"):
#
#   scripts/sanitize.sh thread|address|all [swift test options, e.g. --filter PINNStoreTests]
#
# Optimised builds with -enable-testing, as scripts/test.sh: the training tests run real networks, and a debug
# build under TSan did not finish them. Each sanitizer is a full rebuild of its own, in $TSAN_SCRATCH or
# $ASAN_SCRATCH (default .build/sanitize-thread and .build/sanitize-address). Under sanitizers the C kernels are
# compiled without target_clones (Sources/CPINNKernels/clones.h), so the baseline clone is the one tested.
#
# Any report fails the run. The runtimes write reports to files (log_path), not into the test output. TSan goes
# on after a race, so one run shows every race; ASan stops at a memory error; LSan reports at exit. The run fails
# if the test command failed (the runtimes' exit codes make it fail after a report) or if any log file was
# written; the files are printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: $0 thread|address|all [swift test options]" >&2; exit 2; }
[ $# -ge 1 ] || usage
which="$1"; shift
case "$which" in thread) sanitizers=(thread) ;; address) sanitizers=(address) ;; all) sanitizers=(thread address) ;; *) usage ;; esac

scripts/install-dependencies.sh

# Synchronization.Mutex's contended path is a futex in an uninstrumented library: TSan cannot see its ordering and
# reports what it guards as raced. The project locks with Locking's `Locked` (a pthread mutex) instead; a Mutex
# that comes back would show only when a test happens to contend on it, so it is refused here.
if mutexes="$(grep -rnE '\bMutex(<|\()' Sources Tests)"; then
    echo "sanitize: use Locked (Sources/Locking) rather than Synchronization.Mutex, which TSan cannot see:" >&2
    echo "$mutexes" >&2
    exit 1
fi

# The OpenBLAS kernels the executables choose (`pinn kernels`, docs/design.md §7), from the release build when there
# is one (scripts/test.sh's): where OpenBLAS misreads the CPU, the instrumented tests run 3–4× faster on them.
if [[ -z "${OPENBLAS_CORETYPE:-}" && -x .build/release/pinn ]] && core="$(.build/release/pinn kernels 2>/dev/null)" \
    && [[ -n "$core" ]]; then
    export OPENBLAS_CORETYPE="$core"
fi

failed=0
for sanitizer in "${sanitizers[@]}"; do
    case "$sanitizer" in
        thread) scratch="${TSAN_SCRATCH:-.build/sanitize-thread}" ;;
        address) scratch="${ASAN_SCRATCH:-.build/sanitize-address}" ;;
    esac
    logs="$(mktemp -d)"
    flags=(-c release -Xswiftc -enable-testing --sanitize="$sanitizer" --scratch-path "$scratch")
    case "$sanitizer" in
        thread)
            # second_deadlock_stack: both stacks of a lock-order inversion. exitcode: non-zero after any report.
            export TSAN_OPTIONS="exitcode=66 halt_on_error=0 second_deadlock_stack=1 log_path=$logs/tsan"
            ;;
        address)
            # halt_on_error: a memory error stops the process (continuing after one is undefined). detect_leaks: LSan
            # at exit, with the toolchain's own leaks suppressed (scripts/lsan.supp, each entry with its reason).
            export ASAN_OPTIONS="halt_on_error=1 detect_leaks=1 log_path=$logs/asan"
            export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp print_suppressions=0"
            ;;
    esac

    start=$SECONDS
    swift build "${flags[@]}" --build-tests
    built=$SECONDS
    status=0
    swift test "${flags[@]}" --skip-build "$@" || status=$?
    # A runtime writes a log file only to report something; every file counts, whatever it says.
    reports=$(cat "$logs"/* 2>/dev/null | grep -cE '(WARNING|ERROR): (ThreadSanitizer|AddressSanitizer|LeakSanitizer)' || true)
    files=$(find "$logs" -type f | wc -l)
    echo "sanitize $sanitizer: build $((built - start)) s, tests $((SECONDS - built)) s, test status $status," \
         "$reports report(s) in $files log file(s)"
    if [ "$status" -ne 0 ] || [ "$files" -ne 0 ]; then
        for f in "$logs"/*; do [ -e "$f" ] && { echo "--- $f"; cat "$f"; }; done
        echo "sanitize $sanitizer: FAILED" >&2
        failed=1
    fi
    rm -rf "$logs"
    unset TSAN_OPTIONS ASAN_OPTIONS LSAN_OPTIONS
done
exit "$failed"
