#!/usr/bin/env bash
# Debian packages the Spring test app is built from (see test/fixtures/spring/README.md), and
# python3-requests, the reference requests.Session the integration tests compare with.
set -euo pipefail
missing=()
for pkg in libtomcat9-java libspring-web-servlet-java libjackson2-databind-java python3-requests; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}" >&2
sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd=sudo
$sudo_cmd apt-get update -q >&2
$sudo_cmd apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}" >&2
