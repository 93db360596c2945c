#!/usr/bin/env bash
# Builds Sportello and opens the desktop app. With no SPORTELLO_DB it opens a demo district
# (the capofila's database, built from fixtures through the real sync flow when it does not
# exist yet). Extra arguments go to the app.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"
base_ensure
scripts/desktop.sh deps

say "build (release)"
cargo build --release --locked -p sportello-cli -p sportello-desktop
BIN="$CARGO_TARGET_DIR/release"

if [ -n "${SPORTELLO_DB:-}" ]; then
  DB="$SPORTELLO_DB"
else
  DEMO="${SPORTELLO_DEMO_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/sportello/demo}"
  DB="$DEMO/capofila.db"
  # A demo made before encryption at rest (a database in clear, no key slots) is made again.
  if [ -e "$DB" ] && [ ! -e "$DB.slots" ]; then
    say "Il distretto dimostrativo in $DEMO è di una versione precedente: lo ricreo"
    rm -rf "$DEMO"
  fi
  if [ ! -e "$DB" ]; then
    say "Creo il distretto dimostrativo in $DEMO"
    scripts/demo.sh "$BIN/sportello" "$DEMO" >/dev/null
  fi
fi

if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "Nessuno schermo grafico (DISPLAY non impostato): avviare da una sessione grafica," >&2
  echo "oppure: xvfb-run -a scripts/start.sh. Graduatoria del database $DB:" >&2
  exec "$BIN/sportello" --db "$DB" ranking compute --bando SC-2026-1
fi
say "Avvio Sportello su $DB"
exec "$BIN/sportello-desktop" --db "$DB" "$@"
