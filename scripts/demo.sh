#!/usr/bin/env bash
# Builds a demo district from fixtures, through the real sync flow: the capofila (Siracusa)
# and three comuni enrol, each comune records its applications and sends a signed, encrypted
# bundle, the capofila merges them, publishes the provisional ranking and sends the outcomes
# back. Usage: scripts/demo.sh SPORTELLO_BINARY DIR  (DIR/capofila.db is the capofila's).
set -euo pipefail
BIN="$1"
DIR="$2"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
F="$ROOT/fixtures"
COMUNI=(089009 089021 089015)
# Demo operators (README, "Demo"): `demo` is the first operator of every install (the
# capofila's coordinatore, each comune's responsabile); `sportello` is a front-office
# operatore at each comune. Their passwords are public: a demo holds no real data, so each
# install's recovery key is kept next to it too (DIR/<install>.init.json, as `init --json`
# printed it).
export SPORTELLO_OPERATOR="${SPORTELLO_OPERATOR:-demo}"
export SPORTELLO_PASSWORD="${SPORTELLO_PASSWORD:-demo-sportello}"
export SPORTELLO_NEW_PASSWORD="$SPORTELLO_PASSWORD"
DESK_PASSWORD="sportello-demo"

mkdir -p "$DIR/comuni" "$DIR/posta"
cap() { "$BIN" --db "$DIR/capofila.db" "$@"; }
com() { local c="$1"; shift; "$BIN" --db "$DIR/comuni/$c.db" "$@"; }

cap init --district "$F/district-d48.toml" --comune 089017 --json >"$DIR/capofila.init.json"
cap bando import "$F/bando-sc-2026-1.toml" >/dev/null
cap services import "$F/services-d48.csv" >/dev/null
for c in "${COMUNI[@]}"; do
  com "$c" init --district "$F/district-d48.toml" --comune "$c" --json >"$DIR/comuni/$c.init.json"
  SPORTELLO_NEW_PASSWORD="$DESK_PASSWORD" com "$c" operator add sportello --role operatore \
    --name "Sportello (demo)" >/dev/null
  enrolment=$(com "$c" enrol export --out "$DIR/posta")
  cap enrol accept "$enrolment" --fingerprint "$(com "$c" key fingerprint)" >/dev/null
done
district=$(cap district export --out "$DIR/posta")
for c in "${COMUNI[@]}"; do
  com "$c" district accept "$district" --fingerprint "$(cap key fingerprint)" >/dev/null
  com "$c" application add "$F/demo/$c.json" >/dev/null 2>&1
  cap bundle import $(com "$c" bundle export --out "$DIR/posta") >/dev/null
done
cap application add "$F/demo/089017.json" >/dev/null 2>&1
cap ranking publish --bando SC-2026-1 --stage provisional --confirm-cross-comune >/dev/null
for bundle in $(cap bundle export --out "$DIR/posta"); do
  for c in "${COMUNI[@]}"; do
    case "$bundle" in *"-pub-$c-"*) com "$c" bundle import "$bundle" >/dev/null ;; esac
  done
done
echo "$DIR/capofila.db"
