# Sourced by the other scripts: paths, versions and the wasm32 build environment.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132"
# Must match the wasm_split_helpers that leptos pulls in (Cargo.lock): same split-point format.
WASM_SPLIT_VERSION="0.2.4"
# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")"
REST_TYPINGS_VERSION="$(node -p 'require(process.argv[1]).restTypingsVersion' "$ROOT/package.json" 2>/dev/null || echo 8.8.1)"
DEBIAN_WASM_LINKER="/usr/lib/llvm-22/bin/wasm-ld"

export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROME_BIN="${CHROME_BIN:-/usr/bin/chromium}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# True when the default rustup toolchain already has the wasm32 standard library.
rustup_has_wasm_target() {
  command -v rustup >/dev/null 2>&1 &&
    env -u RUSTUP_TOOLCHAIN rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown
}

# Exports what cargo needs to build for wasm32: nothing with a rustup target, else Debian's
# rustc-web with std built from source (see README "Toolchain").
wasm_env() {
  # Every wasm build (release, component tests) type-erases Leptos components: each returns an
  # AnyView instead of its full nested type, so far fewer generic copies are compiled
  # (README "Size and load time": 45 KB brotli less in all). Host builds keep the full types.
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components"
  if rustup_has_wasm_target; then
    return 0
  fi
  export RUSTUP_TOOLCHAIN=debian-web
  export RUSTC_BOOTSTRAP=1
  export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$DEBIAN_WASM_LINKER"
}

# Runs a command as root (directly, or through sudo when available).
as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root to run: $* (install it by hand or run as root)"
  fi
}
