#!/bin/sh
# Install the Debian packages named as arguments that are not installed yet.
# Runs apt-get only when something is missing, so `make check` on a ready machine
# neither needs root nor the network.
missing=""
for pkg in "$@"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $pkg" ;;
	esac
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >&2 || exit 1
# shellcheck disable=SC2086
$SUDO apt-get install -y --no-install-recommends $missing >&2 || exit 1
