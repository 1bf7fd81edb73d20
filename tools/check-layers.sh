#!/bin/sh
# The layering check of `make lint`: src/ is in folders by stage, each a layer, and a file may
# include the headers of its own layer and of the layers below it, never above.  Each
# third-party library's headers appear in its one module only.  And no two src/ modules
# include each other's headers in a cycle.  Prints every violation; exits 1 when there is one.
#
# A header include/NAME.h belongs to the layer of src/*/NAME.c; a private header src/L/x.h to L.
cd "$(dirname "$0")/.." || exit 1

# The layers, lowest first (docs/architecture.md, "The layers").
layers="base mail conf store intake send ops records cli"

# Third-party headers and the only files that may include them.
libraries='
sqlite3.h                 src/store/
libetpan/                 src/intake/imap.c
gmime/                    src/mail/mime.c
curl/                     src/send/smtp.c
pcre2.h                   src/base/pattern.c
cairo                     src/records/pdf.c
pango/                    src/records/pdf.c
gnutls/                   src/intake/tls_verify.c
glib.h                    src/mail/mime.c src/records/pdf.c src/base/redact.c
'

rank() {
	r=0
	for l in $layers; do
		[ "$l" = "$1" ] && { echo $r; return; }
		r=$((r + 1))
	done
	echo -1
}

# module name -> layer, from where its .c (or private .h) lives
map=$(mktemp)
trap 'rm -f "$map" "$map.edges"' EXIT
for f in src/*/*.c src/*/*.h; do
	[ -f "$f" ] || continue
	layer=$(echo "$f" | cut -d/ -f2)
	name=$(basename "$f" | sed 's/\.[ch]$//')
	echo "$name $layer"
done | sort -u >"$map"

layer_of() { awk -v n="$1" '$1 == n { print $2; exit }' "$map"; }

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
	*) self=$(basename "$f" | sed 's/\.[ch]$//'); from=$(echo "$f" | cut -d/ -f2) ;;
	esac
	[ -n "$from" ] || { say "$f: no src/*/$self.c: which layer is it?"; continue; }
	for h in $(sed -n 's/^#include "\([a-z0-9_]*\)\.h".*/\1/p' "$f"); do
		[ "$h" = "$self" ] && continue
		to=$(layer_of "$h")
		[ -n "$to" ] || { say "$f includes $h.h, which belongs to no layer"; continue; }
		[ "$(rank "$to")" -le "$(rank "$from")" ] ||
			say "$f ($from) includes $h.h ($to): a lower layer may not use a higher one"
		echo "$self $h" >>"$map.edges"
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
	say "include cycle: $(grep -v '^tsort: -:' "$map.cycle" | sed 's/^tsort: //' | tr '\n' ' ')"
fi
rm -f "$map.cycle"

[ $bad -eq 0 ] && echo "layers: clean ($(wc -l <"$map") modules in $(echo $layers | wc -w) layers)"
exit $bad
