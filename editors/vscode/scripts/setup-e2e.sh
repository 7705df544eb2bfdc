#!/usr/bin/env bash
# Install everything the VS Code end-to-end test needs, on a fresh Debian machine. Idempotent: each
# step checks whether its result is already there and skips itself.
#
#   editors/vscode/scripts/setup-e2e.sh
#
# What it installs (see /work/shared/reference/vscode-e2e.md for why each piece is needed):
#   - Debian packages: chromium (the browser the test drives), libkrb5-dev + pkg-config +
#     build-essential (a native module of code-server compiles against gssapi/gssapi.h), ripgrep
#     (fed to @vscode/ripgrep, whose own download from GitHub cannot work here).
#   - `npm ci` in editors/vscode (the extension's build tools and playwright-core).
#   - code-server 4.100.3 (bundles VS Code 1.100.3 and still runs on Node 20) into
#     editors/vscode/.e2e/code-server (git-ignored), with the env vars its post-install needs.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
# @vscode/ripgrep's post-install looks for this tarball before trying GitHub. The names belong to
# code-server 4.100.3; if they change, the install error message names the new ones.
RG_CACHE_DIR_NAME=vscode-ripgrep-cache-1.15.11
RG_TARBALL_NAME=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$here/.e2e/code-server"
log() { printf '[setup-e2e] %s\n' "$*"; }

# --- Debian packages ---------------------------------------------------------------------------
apt_packages=(chromium libkrb5-dev pkg-config ripgrep build-essential)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  log "Debian packages present"
fi

# --- the extension's node_modules ---------------------------------------------------------------
lock_hash="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
stamp="$here/node_modules/.qwen-ls-lock-sha256"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$lock_hash" ]]; then
  log "node_modules up to date"
else
  log "npm ci in $here"
  (cd "$here" && npm ci --no-audit --no-fund)
  echo "$lock_hash" >"$stamp"
fi

# --- code-server ---------------------------------------------------------------------------------
cs_bin="$prefix/node_modules/.bin/code-server"
cs_version() {
  # --config /dev/null and XDG_DATA_HOME keep even --version from writing into $HOME.
  XDG_DATA_HOME="$prefix/.xdg-data" XDG_CONFIG_HOME="$prefix/.xdg-config" \
    "$cs_bin" --config /dev/null --version 2>/dev/null | head -n1 | cut -d' ' -f1
}
if [[ -x "$cs_bin" && "$(cs_version)" == "$CODE_SERVER_VERSION" ]]; then
  log "code-server $CODE_SERVER_VERSION present"
else
  log "installing code-server $CODE_SERVER_VERSION into $prefix (about 1-2 minutes)"
  tmp="${TMPDIR:-/tmp}"
  rg_cache="$tmp/$RG_CACHE_DIR_NAME"
  if [[ ! -f "$rg_cache/$RG_TARBALL_NAME" ]]; then
    mkdir -p "$rg_cache"
    work="$(mktemp -d)"
    cp "$(command -v rg)" "$work/rg"
    tar -C "$work" -czf "$rg_cache/$RG_TARBALL_NAME" rg
    rm -rf "$work"
  fi
  mkdir -p "$prefix"
  [[ -f "$prefix/package.json" ]] || echo '{"name":"qwen-ls-e2e-code-server","private":true}' >"$prefix/package.json"
  # npm_config_yes: a post-install runs `npx node-gyp`, which an npmrc with yes=false cancels.
  # npm_config_nodedir: use the local Node headers instead of downloading them.
  # npm_config_unsafe_perm: its post-install refuses to run as root otherwise.
  # Never --ignore-scripts: the install builds VS Code's own native modules.
  (cd "$prefix" &&
    npm_config_yes=true npm_config_nodedir=/usr npm_config_unsafe_perm=true \
      XDG_DATA_HOME="$prefix/.xdg-data" XDG_CONFIG_HOME="$prefix/.xdg-config" \
      npm install --no-audit --no-fund --save-exact "code-server@$CODE_SERVER_VERSION")
  got="$(cs_version)"
  if [[ "$got" != "$CODE_SERVER_VERSION" ]]; then
    log "code-server did not install correctly (version: '${got}')" >&2
    exit 1
  fi
fi
log "ready: $cs_bin ($(cs_version)), $(command -v chromium)"
