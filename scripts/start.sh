#!/usr/bin/env bash
# Builds Sportello and starts it on a demo district database (created from fixtures when
# none exists). SPORTELLO_DB chooses another database.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"
base_ensure

DB="${SPORTELLO_DB:-${XDG_DATA_HOME:-$HOME/.local/share}/sportello/demo.db}"
say "build"
cargo build --release --locked -p sportello-cli
BIN="$CARGO_TARGET_DIR/release/sportello"

if [ ! -e "$DB" ]; then
  say "Creo il database dimostrativo $DB"
  mkdir -p "$(dirname "$DB")"
  "$BIN" --db "$DB" init --district fixtures/district-d48.toml --comune 089017
  "$BIN" --db "$DB" bando import fixtures/bando-sc-2026-1.toml
  "$BIN" --db "$DB" application import fixtures/applications.csv >/dev/null
fi
"$BIN" --db "$DB" ranking compute --bando SC-2026-1
