#!/usr/bin/env bash
# Debian packages the tests and the service need: a real Dovecot, real mail clients, Chromium for the
# browser tests, and the networking tools for transparent-mode tests. Installs only what is missing.
set -euo pipefail
PACKAGES=(dovecot-imapd dovecot-pop3d curl fetchmail openssl nftables iproute2 chromium python3 zip unzip libnss3-tools)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "mailward: missing Debian packages: ${missing[*]} (run as root or: sudo apt-get install -y ${missing[*]})" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
# The tests start their own Dovecot on high ports; the packaged one must not hold 110/143/993/995.
systemctl disable --now dovecot >/dev/null 2>&1 || service dovecot stop >/dev/null 2>&1 || true
