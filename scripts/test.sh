#!/usr/bin/env bash
# The whole test suite, as CI runs it: formatting, lints, the ui's checks, every test
# (the desktop window included, under Xvfb through WebDriver).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"
# A build kept for the next run needs no incremental state: it doubled the kept target folder
# (about 14 GB more) and filled this machine's disk once.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
base_ensure
# Desktop build and test needs: apt packages, tauri-driver, ui packages, ui/dist (embedded
# in the desktop binary at compile time, so clippy needs it too).
scripts/desktop.sh deps

say "cargo fmt --check"
cargo fmt --all -- --check
say "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
say "ui: svelte-check e vitest"
scripts/desktop.sh ui-test
say "build (the end-to-end tests drive the built binaries)"
# --all-targets resolves features as `cargo test` does, so nothing is compiled twice.
cargo build --workspace --all-targets --locked
say "test"
cargo test --workspace --locked
