#!/bin/sh
# The layering check of `make lint`: src/ is in folders by stage, each a layer, and a file may
# include the headers of its own layer and of the layers below it, never above.  Each
# third-party library's headers appear in its one module only.  And no two src/ modules
# include each other's headers in a cycle.  Prints every violation; exits 1 when there is one.
#
# A header include/NAME.h belongs to the layer of src/*/NAME.c, or when it has no .c of its
# own (ops_result.h) to that of the module its name starts with (ops); a private header
# src/L/NAME_private.h is module NAME's, in L.
cd "$(dirname "$0")/.." || exit 1

# The layers, lowest first (docs/architecture.md, "The layers").
layers="base mail conf auth store send intake run ops records web cli"

# Third-party headers and the only files that may include them.  GLib is the Unicode tables
# under GMime and pango; jansson is a data type (the --json output, and a report's snapshot,
# which is stored and submitted as JSON, and the poller's status file), not a service to hide.
libraries='
sqlite3.h                 src/store/
libetpan/                 src/intake/imap
gmime/                    src/mail/mime
curl/                     src/send/smtp.c src/auth/oauth2_http.c
pcre2.h                   src/base/pattern.c
cairo                     src/records/pdf.c
pango/                    src/records/pdf.c
gnutls/                   src/intake/tls_verify.c src/auth/oauth2_jwt.c
glib.h                    src/mail/mime src/records/pdf.c src/base/redact.c src/base/textfold.c
nettle/                   src/base/hash.c
sodium                    src/base/password.c src/auth/oauth2_vault.c
liboath/                  src/base/totp.c
qrencode.h                src/base/qr.c
libstemmer.h              src/base/stem.c
microhttpd.h              src/web/web_server.c
ini.h                     src/conf/config.c
jansson.h                 src/auth/oauth2.c src/auth/oauth2_jwt.c src/cli/ include/cli.h src/run/poll_status.c src/ops/ops_backup.c src/ops/ops_backup_restore.c src/ops/report_snapshot.c src/records/report_render.c include/report_render.h
'

rank() {
	r=0
	for l in $layers; do
		[ "$l" = "$1" ] && { echo $r; return; }
		r=$((r + 1))
	done
	echo -1
}

# A module's layer; a header-only name falls back to the module its name extends.
layer_of() {
	n=$1
	while :; do
		l=$(awk -v n="$n" '$1 == n { print $2; exit }' "$map")
		[ -n "$l" ] && { echo "$l"; return; }
		case $n in *_*) n=${n%_*} ;; *) return ;; esac
	done
}
# A file's module: its name, less _private for a private header.
module_of() { basename "$1" | sed 's/\.[ch]$//; s/_private$//'; }

# module name -> layer, from where its .c (or private .h) lives
map=$(mktemp)
trap 'rm -f "$map" "$map.edges"' EXIT
for f in src/*/*.c src/*/*.h; do
	[ -f "$f" ] || continue
	layer=$(echo "$f" | cut -d/ -f2)
	echo "$(module_of "$f") $layer"
done | sort -u >"$map"


bad=0
say() {
	echo "layers: $*" >&2
	bad=1
}

for f in src/*.c src/*.h; do
	[ -f "$f" ] && say "$f: every source file lives in a layer folder (src/LAYER/)"
done
for l in $(cut -d' ' -f2 "$map" | sort -u); do
	[ "$(rank "$l")" -ge 0 ] || say "src/$l/: not a layer ($layers)"
done

: >"$map.edges"
for f in src/*/*.c src/*/*.h include/*.h; do
	[ -f "$f" ] || continue
	case $f in
	include/*) self=$(basename "$f" .h); from=$(layer_of "$self") ;;
	*) self=$(module_of "$f"); from=$(echo "$f" | cut -d/ -f2) ;;
	esac
	[ -n "$from" ] || { say "$f: no src/*/$self.c: which layer is it?"; continue; }
	for h in $(sed -n 's/^#include "\([a-z0-9_]*\)\.h".*/\1/p' "$f" | sed 's/_private$//'); do
		[ "$h" = "$self" ] && continue
		to=$(layer_of "$h")
		[ -n "$to" ] || { say "$f includes $h.h, which belongs to no layer"; continue; }
		[ "$(rank "$to")" -le "$(rank "$from")" ] ||
			say "$f ($from) includes $h.h ($to): a lower layer may not use a higher one"
		echo "$self $h" >>"$map.edges"
	done
	# A private header is its module's own: only NAME.c and NAME_*.c include NAME_private.h.
	for p in $(sed -n 's/^#include "\([a-z0-9_]*\)_private\.h".*/\1/p' "$f"); do
		case $(basename "$f") in
		"$p".c | "$p"_*) ;;
		*) say "$f includes ${p}_private.h: only ${p}.c and ${p}_*.c may" ;;
		esac
	done
	for lib in $(echo "$libraries" | awk 'NF { print $1 }'); do
		grep -q "^#include <$lib" "$f" || continue
		allowed=$(echo "$libraries" | awk -v l="$lib" '$1 == l { $1 = ""; print }')
		ok=0
		for a in $allowed; do
			case $f in "$a"*) ok=1 ;; esac
		done
		[ $ok -eq 1 ] || say "$f includes <$lib...>, which belongs in$allowed only"
	done
done

# A cycle among modules (a includes b's header, b includes a's): tsort names it.
if ! tsort "$map.edges" >/dev/null 2>"$map.cycle"; then
	say "include cycle: $(sed -n 's/^tsort: .*: input contains a loop:$/;/p; s/^tsort: //p' "$map.cycle" | tr '\n' ' ')"
fi
rm -f "$map.cycle"

[ $bad -eq 0 ] && echo "layers: clean ($(wc -l <"$map") modules in $(echo $layers | wc -w) layers)"
exit $bad
