#!/bin/sh
# Install the Debian packages named as arguments that are not installed yet.
# Runs apt-get only when something is missing, so `make check` on a ready machine
# neither needs root nor the network.
# A name that an installed package provides counts as installed (npm comes with NodeSource's
# nodejs, which conflicts with Debian's npm).
provided=$(dpkg-query -W -f='${Status}\t${Provides}\n' 2>/dev/null |
	sed -n 's/^[^\t]* installed\t//p' | tr ',' '\n' | sed 's/^ *//; s/[ (].*//')
missing=""
for pkg in "$@"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)
	case "$status" in
	*" installed") ;;
	*) printf '%s\n' "$provided" | grep -qxF "$pkg" || missing="$missing $pkg" ;;
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
