#!/usr/bin/env bash
# The whole test suite, as CI runs it: formatting, lints, every test.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"
base_ensure
[ -x scripts/desktop.sh ] && scripts/desktop.sh deps

say "cargo fmt --check"
cargo fmt --all -- --check
say "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
say "build (the end-to-end tests drive the built binaries)"
cargo build --workspace --bins --locked
say "test"
cargo test --workspace --locked
