#!/usr/bin/env bash
# The printed documents' benchmark (docs/benchmarks.md, "Printed documents"): the public
# ranking of 10,000 rows as a whole `sportello print ranking --public` process, side by side
# with LibreOffice converting the same table from CSV to PDF; then the documents rendered in
# process (the ranking, the receipt, the attestato, the accreditation certificate).
#
# Installs what is missing, idempotently: LibreOffice's Calc without its desktop parts
# (libreoffice-calc-nogui, no recommended packages: what `--headless --convert-to pdf` of a CSV
# needs) and Liberation Sans, the face Calc sets a table in by default. Never called by
# scripts/test.sh: the tests do not need LibreOffice.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

base_ensure
if ! command -v libreoffice >/dev/null 2>&1 || ! dpkg -s fonts-liberation2 >/dev/null 2>&1; then
  missing=()
  for p in libreoffice-calc-nogui fonts-liberation2; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if ((${#missing[@]})); then
    say "Installo LibreOffice per il confronto: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
fi

cd "$ROOT"
say "Compilo sportello (release)"
cargo build --release -p sportello-cli
say "Graduatoria pubblica di 10.000 righe: sportello e LibreOffice"
cargo bench -p sportello-tests --bench documents
say "Documenti nel processo: graduatoria, ricevuta, attestato, attestato di accreditamento"
cargo bench -p sportello-print --bench public_ranking
