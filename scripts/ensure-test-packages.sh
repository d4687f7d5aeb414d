#!/usr/bin/env bash
# Debian packages the integration tests need: a JDK and Maven to build and run the real Spring Boot
# test apps (test/fixtures/spring-boot; Maven then downloads their dependencies into ~/.m2), openssl
# for the https one, python3-requests, the reference requests.Session the tests compare with (and that
# runs the exported Python scripts), and python3-pyflakes, which checks those scripts.
set -euo pipefail
missing=()
dpkg -s python3-requests >/dev/null 2>&1 || missing+=(python3-requests)
dpkg -s python3-pyflakes >/dev/null 2>&1 || missing+=(python3-pyflakes)
command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v openssl >/dev/null || missing+=(openssl)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}" >&2
sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd=sudo
$sudo_cmd apt-get update -q >&2
$sudo_cmd apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}" >&2
