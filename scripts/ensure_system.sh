#!/usr/bin/env bash
# Install the Debian packages yingji needs, only when missing (fresh Debian 12, as root or via sudo).
#   scripts/ensure_system.sh run    -> gettext (translations), mosquitto (MQTT broker for monitoring)
#   scripts/ensure_system.sh test   -> the same, chromium (browser tests), postgresql (PostgreSQL test run)
#   scripts/ensure_system.sh bench  -> the run set, prometheus + prometheus-alertmanager (make bench:
#                                      bench/bench_monitoring_prometheus.py runs the binaries itself,
#                                      on free loopback ports; the packages' own services are not used)
set -euo pipefail
want=(gettext mosquitto)
[ "${1:-run}" = test ] && want+=(chromium postgresql)
[ "${1:-run}" = bench ] && want+=(prometheus prometheus-alertmanager)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing system packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
