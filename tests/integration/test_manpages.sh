# The manual pages against the program, so they cannot drift: every command `liaison help`
# lists has its entry in liaison(1) and every option its usage shows is there; every key of
# the configuration's key tables (src/conf/config.c) is in its section of liaison.conf(5) and
# of config/liaison.conf.example; every section and key the routing rules' reader
# (src/intake/route.c) accepts is in liaison-routes(5).  The pages render with man -l and
# mandoc -T lint finds nothing.
#
# The keys are taken from the source's tables (rows `{"key", KEY_...`) rather than from a
# hidden command: the tables are what the parser accepts, the program gains no interface that
# users would find, and the extraction is checked to find every section and a plausible
# number of keys, so a change of the tables' form fails here rather than checking nothing.
# duration: 10 s
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
MAN=$TOP/man
export LIAISON_CONFIG=$TMPDIR/none.conf # help reads no configuration
export MANWIDTH=1000                    # no line breaks inside --long-options

# ---- they render, and lint clean ----
for page in "$MAN/liaison.1" "$MAN/liaison.conf.5" "$MAN/liaison-routes.5"; do
	name=$(basename "$page")
	man -l "$page" 2>man.err | col -b >"$name.txt"
	[ ! -s man.err ] || { cat man.err; fail "man -l $name: warnings"; }
	[ "$(wc -l <"$name.txt")" -gt 40 ] || fail "man -l $name rendered too little"
	# Only the references between these pages, not installed here, may be unknown.
	mandoc -T lint "$page" 2>&1 | grep -v -e 'referenced manual not found: Xr liaison' \
		-e 'outdated mandoc.db' >lint.out || true
	[ ! -s lint.out ] || { cat lint.out; fail "mandoc -T lint $name"; }
done
echo "ok: the three pages render with man -l and mandoc -T lint is clean"
mandoc -T ascii -O width=1000 "$MAN/liaison.1" | col -b >liaison.1.txt

# ---- liaison(1): every command and every option of its usage ----
commands=$($LIAISON help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
[ "$(echo "$commands" | wc -w)" -ge 30 ] || fail "liaison help lists too few commands: $commands"
n_options=0
for c in $commands; do
	grep -q "^\.It Cm $c\( \|$\)" "$MAN/liaison.1" || fail "liaison.1 has no entry for the command $c"
	$LIAISON help "$c" >help.out 2>&1 || fail "help $c"
	for flag in $(grep -o -- '--[a-z][a-z-]*' help.out | sort -u); do
		grep -q -- "$flag\b" liaison.1.txt || fail "liaison.1 lacks $c's option $flag"
		n_options=$((n_options + 1))
	done
done
for flag in $($LIAISON help | grep -o -- ' -[a-z]\b\| --[a-z][a-z-]*' | sort -u); do
	grep -q -- "$flag\b" liaison.1.txt || fail "liaison.1 lacks the global option$flag"
done
for section in "EXIT STATUS" ENVIRONMENT FILES SIGNALS; do
	grep -q "^\.Sh $section" "$MAN/liaison.1" || fail "liaison.1 has no $section section"
done
for var in LIAISON_CONFIG LIAISON_USER JOURNAL_STREAM; do
	grep -q "^\.It Ev $var" "$MAN/liaison.1" || fail "liaison.1 does not describe $var"
done
echo "ok: liaison.1 names $(echo "$commands" | wc -w) commands and their $n_options options"
# The other way: the page describes no command this build does not have.
for c in $(sed -n 's/^\.It Cm \([a-z0-9-]*\).*/\1/p' "$MAN/liaison.1" | sort -u); do
	echo "$commands" | grep -qx "$c" || fail "liaison.1 describes a command '$c' that liaison help does not list"
done

# ---- liaison.conf(5) and the example: every key, in its section ----
awk '
/^static const struct key [a-z0-9]+_keys\[\] = \{/ { sec = $5; sub(/_keys\[\]/, "", sec); next }
sec != "" && /^};/ { sec = ""; next }
sec != "" && match($0, /^\t\{"[a-z_]+", KEY_/) {
	k = substr($0, RSTART + 3); sub(/".*/, "", k); print sec, k
}' "$TOP/src/conf/config.c" >keys.txt
for s in liaison smtp web mailbox user service oauth2; do
	grep -q "^$s " keys.txt || fail "no key of [$s] found in config.c: the extraction is broken"
done
[ "$(wc -l <keys.txt)" -ge 60 ] || fail "only $(wc -l <keys.txt) keys found in config.c"
# in_section FILE HEADER KEY LINE-PATTERN: KEY's line in a section whose header starts HEADER
in_section() {
	awk -v h="$2" -v k="$3" -v form="$4" '
	$0 ~ h { on = 1; next }
	/^\[|^\.S[sh] / { on = 0 }
	on { line = $0; if (form == "man" ? line ~ ("^\\.It Cm " k "( |$)") : line ~ ("^[;#]? *" k " *=")) found = 1 }
	END { exit !found }' "$1"
}
while read -r s k; do
	case $s in
	liaison | smtp | web) conf="^\\[$s\\]" man="^\\.Ss \\[$s\\]" ;;
	*) conf="^\\[$s " man="^\\.Ss \\[$s " ;;
	esac
	in_section "$MAN/liaison.conf.5" "$man" "$k" man || fail "liaison.conf.5 lacks [$s] $k"
	in_section "$TOP/config/liaison.conf.example" "$conf" "$k" conf ||
		fail "config/liaison.conf.example lacks [$s] $k"
done <keys.txt
echo "ok: $(wc -l <keys.txt) keys in liaison.conf.5 and the example, each in its section"
# Each key says its default (or that it has none, or is required).
for k in $(sed -n 's/^\.It Cm \([a-z_]*\) No = .*/\1/p' "$MAN/liaison.conf.5" | sort -u); do
	awk -v k="$k" '$0 ~ ("^\\.It Cm " k " ") { on = 1; next } on && /^\.It |^\.El/ { on = 0 }
		on && /Default|Required|default/ { found = 1 } END { exit !found }' "$MAN/liaison.conf.5" ||
		fail "liaison.conf.5 gives no default for $k"
done

# ---- liaison-routes(5): every section and key the rules' reader accepts ----
ROUTE=$TOP/src/intake/route.c
grep -o 'strcmp(key, "[a-z_]*")' "$ROUTE" | sed 's/.*"\(.*\)"./\1/' | sort -u >route-keys.txt
[ "$(wc -l <route-keys.txt)" -ge 8 ] || fail "only $(wc -l <route-keys.txt) rule keys found in route.c"
for k in $(cat route-keys.txt); do
	grep -q "^\.It Cm $k No = " "$MAN/liaison-routes.5" || fail "liaison-routes.5 lacks the key $k"
done
for v in $(grep -o 'strcmp(value, "[a-z]*")' "$ROUTE" | sed 's/.*"\(.*\)"./\1/' | sort -u); do
	grep -q "^\.It Cm [a-z]* No = .*\b$v\b" "$MAN/liaison-routes.5" ||
		fail "liaison-routes.5 lacks the value $v"
done
grep -q 'strcmp(inner, "model")' "$ROUTE" && grep -q '^\.It Cm \\&\[model' "$MAN/liaison-routes.5" ||
	fail "liaison-routes.5 lacks [model]"
grep -q 'strncmp(inner, "rule", 4)' "$ROUTE" && grep -q '^\.It Cm \\&\[rule' "$MAN/liaison-routes.5" ||
	fail "liaison-routes.5 lacks [rule NAME]"
echo "ok: liaison-routes.5 has the $(wc -l <route-keys.txt) keys, their values and both sections"
