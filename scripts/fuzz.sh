#!/usr/bin/env bash
# Coverage-guided fuzzing of the readers of outside input (issue 17, docs/fuzzing.md): AFL++
# through afl.rs, on the stable toolchain. Installs what is missing (idempotent).
#
#   scripts/fuzz.sh TARGET [SECONDS]   fuzz TARGET (default 600 s) from fuzz/corpus/TARGET, then
#                                      put the queue back there, minimised (see minimise); prints
#                                      the run's figures; fails if a crash or a hang was found
#   scripts/fuzz.sh corpus TARGET      minimise the last run's queue into fuzz/corpus/TARGET again
#   scripts/fuzz.sh build              build the instrumented harness only
#   scripts/fuzz.sh list               the targets (sportello_app::fuzzing::TARGETS)
#
# Runs niced (the machine is shared). AFL++'s output (queue, crashes, hangs, fuzzer_stats) stays
# in ~/.cache/sportello/fuzz/TARGET until the next run of TARGET. The corpus is replayed by
# `cargo test` (tests/tests/fuzz_corpus.rs): fuzzing itself is never part of the tests.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

CARGO_AFL_VERSION=0.18.2
# A build of its own: AFL++'s instrumentation changes every crate's flags.
AFL_TARGET_DIR="${CARGO_TARGET_DIR}-afl"
HARNESS="$AFL_TARGET_DIR/release/sportello-fuzz"
export PATH="$HOME/.cargo/bin:$PATH"

afl_ensure() {
  # AFL++ (afl-fuzz, afl-cmin and the runtime linked into the harness) is built from the source
  # inside cargo-afl with make and the C compiler of build-essential; no LLVM is needed.
  base_ensure
  if ! cargo install --list | grep -q "^cargo-afl v$CARGO_AFL_VERSION:"; then
    say "Installo cargo-afl $CARGO_AFL_VERSION (compila AFL++)"
    CARGO_TARGET_DIR="$HOME/.cache/sportello/cargo-install" \
      cargo install cargo-afl --version "$CARGO_AFL_VERSION" --locked
  fi
  # AFL++ and its runtime, once per rustc version (cargo install usually did it already).
  local rustc_version
  rustc_version="$(rustc -V | cut -d' ' -f2)"
  if [ -z "$(find "$HOME/.local/share/afl.rs" -path "*/rustc-$rustc_version-*/afl/bin/afl-fuzz" \
    2>/dev/null)" ]; then
    cargo afl config --build
  fi
}

build() {
  afl_ensure
  say "build del banco di prova instrumentato (fuzz/)"
  (cd fuzz && CARGO_TARGET_DIR="$AFL_TARGET_DIR" nice -n 15 cargo afl build --release --locked)
}

targets() {
  sed -n 's/^    ("\([a-z_]*\)", [a-z_]*),$/\1/p' crates/app/src/fuzzing.rs
}

stat() {
  sed -n "s/^$1 *: //p" "$2"
}

# The last run's queue of TARGET, minimised into fuzz/corpus/TARGET: afl-cmin -e (every edge
# kept, hit counts ignored), then the smallest files within CORPUS_BUDGET_KB, so that the
# committed corpus stays small. Files with a name (seeds, regressions: a crash since fixed) are
# always kept; the others are named by their content so that a rerun changes only what changed.
CORPUS_BUDGET_KB=32

minimise() {
  local target="$1"
  local out="$HOME/.cache/sportello/fuzz/$target" corpus="fuzz/corpus/$target"
  say "minimizzo la coda in $corpus"
  local minimised="$out/cmin"
  rm -rf "$minimised"
  AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 nice -n 15 cargo afl cmin -e -t 5000 -m 2048 \
    -i "$out/default/queue" -o "$minimised" -- "$HARNESS" "$target" >"$out/cmin.log" 2>&1
  find "$corpus" -type f -regextype posix-extended -regex '.*/[0-9a-f]{16}' -delete
  local named budget=$((CORPUS_BUDGET_KB * 1024)) size hash f
  named="$(find "$corpus" -type f -exec sha256sum {} + | cut -c1-16)"
  while read -r size f; do
    hash="$(sha256sum "$f" | cut -c1-16)"
    grep -qx "$hash" <<<"$named" && continue
    ((size <= budget)) || break
    budget=$((budget - size))
    cp "$f" "$corpus/$hash"
  done < <(find "$minimised" -type f -printf '%s %p\n' | sort -n)
}

fuzz() {
  local target="$1" seconds="${2:-600}"
  if ! targets | grep -qx "$target"; then
    echo "target sconosciuto: $target (scripts/fuzz.sh list)" >&2
    exit 2
  fi
  build
  local out="$HOME/.cache/sportello/fuzz/$target" corpus="fuzz/corpus/$target"
  rm -rf "$out"
  mkdir -p "$out"
  say "fuzzing di $target per $seconds s"
  # -t: a run over 5 s is a hang (the machine is shared, so not less); -m: a run taking over
  # 2 GiB of memory is a crash (the payload's own ceilings are far below it for a 1 MB input).
  AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
    nice -n 15 cargo afl fuzz -V "$seconds" -t 5000 -m 2048 -i "$corpus" -o "$out" \
    -- "$HARNESS" "$target" >"$out/afl.log" 2>&1 || {
    tail -30 "$out/afl.log" >&2
    exit 1
  }

  minimise "$target"

  local stats="$out/default/fuzzer_stats" crashes hangs
  crashes="$(stat saved_crashes "$stats")"
  hangs="$(stat saved_hangs "$stats")"
  printf '| %s | %s s | %s | %s | %s | %s | %s | %s | %s files, %s KB |\n' "$target" \
    "$(stat run_time "$stats")" "$(stat execs_done "$stats")" "$(stat execs_per_sec "$stats")" \
    "$(stat corpus_count "$stats")" "$(stat edges_found "$stats")" "$crashes" "$hangs" \
    "$(find "$corpus" -type f | wc -l)" "$(du -sk --apparent-size "$corpus" | cut -f1)" | tee -a "$out/figures.md"
  if [ "$crashes" != 0 ] || [ "$hangs" != 0 ]; then
    echo "trovati $crashes crash e $hangs blocchi: $out/default/crashes, $out/default/hangs" >&2
    exit 1
  fi
}

case "${1:-}" in
  build) build ;;
  corpus)
    build
    minimise "$2"
    ;;
  list) targets ;;
  "" | -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) fuzz "$@" ;;
esac
