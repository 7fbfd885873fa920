#!/usr/bin/env bash
# Fuzzes targets with clang's libFuzzer:
#   scripts/fuzz.sh TARGET SECONDS      e.g. scripts/fuzz.sh fuzz_token_response 1800
#   scripts/fuzz.sh T1 T2 ... SECONDS   each named target in turn for SECONDS
#   scripts/fuzz.sh all SECONDS         each target in turn for SECONDS
#   scripts/fuzz.sh list                the targets
# Builds into build-fuzz/ (clang, -DAKS_FUZZ=ON; AKS_FUZZ_BUILD_DIR and
# AKS_FUZZ_BUILD_TYPE choose another), runs the target on a scratch
# corpus seeded from tests/fuzz/corpus/TARGET, then merges what found new
# edges back into that committed corpus (a set-cover merge keeps it small).
# Prints the CPU time spent, the figure the README records. A crash leaves its
# input in build-fuzz/crashes/TARGET/ and exits non-zero. AKS_FUZZ_MERGE=0
# leaves the committed corpus untouched (the test command's brief run).
set -euo pipefail
cd "$(dirname "$0")/.."

targets() { sed -n 's/^aks_fuzz_target(\([a-z0-9_]*\) .*/\1/p' tests/fuzz/CMakeLists.txt; }

usage() { echo "usage: scripts/fuzz.sh TARGET... | all SECONDS | list" >&2; exit 2; }
(($# >= 1)) || usage
if [[ $1 == list ]]; then targets; exit 0; fi
(($# >= 2)) || usage
seconds=${*: -1}
[[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 ]] || { echo "fuzz.sh: SECONDS must be a positive integer, got '$seconds'" >&2; exit 2; }
names=("${@:1:$#-1}")
if [[ ${names[*]} == all ]]; then
    mapfile -t chosen < <(targets)
else
    chosen=()
    for n in "${names[@]}"; do
        targets | grep -qx -- "$n" || { echo "fuzz.sh: unknown target '$n' (scripts/fuzz.sh list)" >&2; exit 2; }
        chosen+=("$n")
    done
fi

command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ is missing (scripts/setup.sh installs it)" >&2; exit 1; }
build=${AKS_FUZZ_BUILD_DIR:-build-fuzz}
# The test command reuses its Debug build (AKS_FUZZ_BUILD_DIR=build-sanitize
# AKS_FUZZ_BUILD_TYPE=Debug); campaigns want optimised code.
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE="${AKS_FUZZ_BUILD_TYPE:-RelWithDebInfo}" -DAKS_FUZZ=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${chosen[@]}"

status=0
for t in "${chosen[@]}"; do
    corpus=tests/fuzz/corpus/$t
    scratch=$build/scratch/$t
    crashes=$build/crashes/$t
    mkdir -p "$corpus" "$scratch" "$crashes"
    dict=()
    [[ -f tests/fuzz/$t.dict ]] && dict=(-dict="tests/fuzz/$t.dict")
    echo "== $t: ${seconds}s"
    set +e
    TIMEFORMAT='%U %S'
    # bash's time reports the target's user and system CPU seconds.
    cpu=$( { time "$build/bin/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
          -print_final_stats=1 -artifact_prefix="$crashes/" "${dict[@]}" "$scratch" "$corpus" \
          >"$build/$t.log" 2>&1; } 2>&1 )
    rc=$?
    set -e
    tail -n 12 "$build/$t.log" | grep -E 'stat::|Done|ERROR|SUMMARY' || true
    if ((rc != 0)); then
        echo "fuzz.sh: $t failed (exit $rc); see $build/$t.log and $crashes/" >&2
        status=1
        continue
    fi
    # The test command fuzzes briefly with AKS_FUZZ_MERGE=0: the committed corpus stays as it is.
    if [[ ${AKS_FUZZ_MERGE:-1} == 1 ]]; then
        # Only inputs that reach new edges (not new hit counts), the fewest
        # that do: the committed corpus stays a few hundred files; the
        # scratch corpus keeps everything for the next run.
        "$build/bin/$t" -set_cover_merge=1 -use_counters=0 "$corpus" "$scratch" >"$build/$t.merge.log" 2>&1
    fi
    read -r user sys <<<"$cpu"
    printf '%s: %s s CPU (user %s + sys %s), corpus %d files\n' "$t" \
        "$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.0f", u+s}')" "$user" "$sys" "$(find "$corpus" -type f | wc -l)"
done
exit "$status"
