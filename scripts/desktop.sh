#!/usr/bin/env bash
# The desktop app: installs what is missing (idempotent), builds the ui and the window, tests it
# in a real window under Xvfb, packages it.
#
#   scripts/desktop.sh deps      Debian packages, tauri-driver, ui packages and the built ui
#                                (ui/dist is embedded by src-tauri at compile time, so every
#                                cargo build of the workspace needs it)
#   scripts/desktop.sh ui        reinstall the ui packages and rebuild the ui
#   scripts/desktop.sh ui-test   type-check the ui and run its unit tests (vitest)
#   scripts/desktop.sh build     deps + debug build of the app
#   scripts/desktop.sh test      deps + ui-test + the app's unit tests + the WebDriver test
#   scripts/desktop.sh run [ARGS...]  build and open the window (e.g. --db FILE); needs a display
#   scripts/desktop.sh deb       deps + release build + .deb package (tauri-cli --bundles deb)
#
# Caches stay outside the clone: cargo in $CARGO_TARGET_DIR (see common.sh), npm in
# ~/.cache/sportello/npm; ui/node_modules and ui/dist are git-ignored.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

UI="$ROOT/ui"
TAURI_DRIVER_VERSION=2.1.0
export npm_config_cache="${npm_config_cache:-$HOME/.cache/sportello/npm}"
export PATH="$HOME/.cargo/bin:$PATH"

# Build needs (webkit2gtk, appindicator, rsvg, xdo, ssl), test needs (WebKitWebDriver, Xvfb,
# xauth), and file for the bundler.
# (build-essential and pkg-config come with base_ensure.)
DESKTOP_PACKAGES=(
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev libssl-dev
  file webkit2gtk-driver xvfb xauth
)

node_ensure() {
  command -v node >/dev/null 2>&1 || apt_ensure nodejs npm
  local node_version npm_major
  node_version="$(node --version)"
  # Vite 8 wants Node.js >= 20.19.
  if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
    echo "Node.js $node_version is too old for the ui build: 20.19 or newer is needed." >&2
    exit 1
  fi
  npm_major="$(npm --version | cut -d. -f1)"
  if ((npm_major < 11)); then
    say "Aggiorno npm a 11"
    npm install -g npm@11 --no-fund --no-audit >/dev/null
  fi
}

tauri_driver_ensure() {
  if ! cargo install --list | grep -q "^tauri-driver v$TAURI_DRIVER_VERSION:"; then
    say "Installo tauri-driver $TAURI_DRIVER_VERSION"
    CARGO_TARGET_DIR="$HOME/.cache/sportello/cargo-install" \
      cargo install tauri-driver --version "$TAURI_DRIVER_VERSION" --locked
  fi
}

# `npm ci` only when package-lock.json changed since the last install.
ui_packages_ensure() {
  local stamp="$UI/node_modules/.sportello-lock.sha256"
  local want
  want="$(sha256sum "$UI/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "npm ci (ui)"
    (cd "$UI" && npm ci --no-fund --no-audit)
    echo "$want" >"$stamp"
  fi
}

# Rebuilds ui/dist only when a source is newer, so cargo does not re-embed unchanged files.
ui_build_ensure() {
  local built="$UI/dist/index.html"
  if [ ! -f "$built" ] || [ -n "$(find "$UI/src" "$UI/index.html" "$UI/package-lock.json" \
    "$UI/vite.config.ts" "$UI/svelte.config.js" -newer "$built" -print -quit)" ]; then
    say "build della ui"
    (cd "$UI" && npm run --silent build)
  fi
}

deps() {
  base_ensure
  apt_ensure "${DESKTOP_PACKAGES[@]}"
  node_ensure
  tauri_driver_ensure
  ui_packages_ensure
  ui_build_ensure
}

ui_test() {
  say "ui: svelte-check"
  (cd "$UI" && npm run --silent check)
  say "ui: vitest"
  (cd "$UI" && npm test --silent)
}

# The whole workspace with --all-targets: cargo then resolves features exactly as `cargo test
# --workspace` does, so the Tauri stack is compiled once, not once per feature set (`--bins`
# alone leaves out the dev-dependencies and costs a second build of about 120 crates).
build() {
  say "build dell'app (debug)"
  cargo build --locked --workspace --all-targets
}

cmd="${1:-build}"
shift || true
case "$cmd" in
  deps) deps ;;
  ui)
    node_ensure
    rm -f "$UI/node_modules/.sportello-lock.sha256" "$UI/dist/index.html"
    ui_packages_ensure
    ui_build_ensure
    ;;
  ui-test)
    node_ensure
    ui_packages_ensure
    ui_test
    ;;
  build)
    deps
    build
    ;;
  test)
    deps
    ui_test
    build
    say "test unitari e della finestra (Xvfb + tauri-driver)"
    cargo test --locked --workspace --lib
    # --nocapture shows the measured cold start of the window.
    cargo test --locked --workspace --test desktop -- --nocapture
    ;;
  run)
    deps
    build
    exec "$CARGO_TARGET_DIR/debug/sportello-desktop" "$@"
    ;;
  deb)
    deps
    say "build release e pacchetto .deb"
    # The tauri CLI (an npm devDependency of ui) finds src-tauri from the repository root.
    "$UI/node_modules/.bin/tauri" build --bundles deb -- --locked
    ls -1 "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb
    ;;
  *)
    echo "uso: scripts/desktop.sh deps|ui|ui-test|build|test|run [ARGS...]|deb" >&2
    exit 2
    ;;
esac
