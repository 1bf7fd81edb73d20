#!/bin/sh
# make fuzz: build the libFuzzer targets with ASan/UBSan and run each for FUZZ_SECONDS (default
# 120): parse and redaction on a seed corpus of the hostile fixtures and the shipped sample,
# composition on seeds of its own.  A crash is written to tests/fixtures/fuzz/ — commit it:
# tests/integration/test_hostile.sh replays every file there on each `make check`.
set -eu
cd "$(dirname "$0")/../.."
out=build-fuzz
mkdir -p "$out/obj" "$out/corpus" tests/fixtures/fuzz
# the libraries of the Makefile's PKGS: every object of src/ is linked
pkgs="gmime-3.0 sqlite3 libpcre2-8 inih jansson nettle libetpan gnutls libcurl pangocairo cairo-pdf libmicrohttpd libsodium liboath libqrencode"
# shellcheck disable=SC2086
flags="-g -O1 -std=c11 -D_GNU_SOURCE -Iinclude -fsanitize=fuzzer-no-link,address,undefined $(pkg-config --cflags $pkgs)"
objs=""
# the console's style sheet and script, built in as the Makefile does
sh tools/embed.sh web/static >"$out/web_assets_data.h"
flags="$flags -I$out"
for src in src/*/*.c; do
	[ "$src" = src/cli/main.c ] && continue
	obj=$out/obj/$(basename "$src" .c).o
	clang $flags -c -o "$obj" "$src"
	objs="$objs $obj"
done
# shellcheck disable=SC2086
clang $flags -fsanitize=fuzzer -o "$out/fuzz_parse" tests/fuzz/fuzz_parse.c $objs \
	$(pkg-config --libs $pkgs) -lstemmer -lpthread -lm
# shellcheck disable=SC2086
clang $flags -fsanitize=fuzzer -o "$out/fuzz_redact" tests/fuzz/fuzz_redact.c $objs \
	$(pkg-config --libs $pkgs) -lstemmer -lpthread -lm
# shellcheck disable=SC2086
clang $flags -fsanitize=fuzzer -o "$out/fuzz_compose" tests/fuzz/fuzz_compose.c $objs \
	$(pkg-config --libs $pkgs) -lstemmer -lpthread -lm
# shellcheck disable=SC2086
clang $flags -fsanitize=fuzzer -o "$out/fuzz_web" tests/fuzz/fuzz_web.c $objs \
	$(pkg-config --libs $pkgs) -lstemmer -lpthread -lm
# Seeds: the hostile fixtures (small ones) and the sample mailbox split into messages.
/usr/bin/python3 tests/fixtures/hostile/make-hostile.py "$out/seeds" >/dev/null
/usr/bin/python3 - tests/fixtures/sample/troop-k.mbox "$out/seeds" <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read()
for i, msg in enumerate(re.split(rb"\n(?=From )", data)[:60]):
    open("%s/sample-%03d.eml" % (sys.argv[2], i), "wb").write(msg.split(b"\n", 1)[-1])
PY
ASAN_OPTIONS=detect_leaks=0 "$out/fuzz_parse" -max_total_time="${FUZZ_SECONDS:-120}" -max_len=262144 \
	-timeout=10 -rss_limit_mb=2048 -artifact_prefix=tests/fixtures/fuzz/ "$out/corpus" "$out/seeds"
# Redaction: a literal and the phone preset over the same seeds (first line the literal).
mkdir -p "$out/corpus-redact"
ASAN_OPTIONS=detect_leaks=0 "$out/fuzz_redact" -max_total_time="${FUZZ_SECONDS:-120}" -max_len=65536 \
	-timeout=10 -rss_limit_mb=2048 -artifact_prefix=tests/fixtures/fuzz/redact- "$out/corpus-redact" "$out/seeds"
# Composition: NUL-separated subject, display name, recipient, answered id, body, references;
# seeds with the cases of the issue (a 1,300-character URL, a 1,500-character Message-ID,
# 200 references, a long display name, non-ASCII and hostile subjects).
mkdir -p "$out/corpus-compose" "$out/seeds-compose"
/usr/bin/python3 - "$out/seeds-compose" <<'PY'
import sys
d = sys.argv[1]
url = "https://example.com/track?" + "abc123-_.~/%?=&+" * 80
refs = [b"r%03d@example.org" % i for i in range(200)]
seeds = {
    "url": [("Auto: Re: see %s please" % url).encode(), b"", b"maria@example.com",
            b"orig@example.com", b"Hello\n"],
    "msgid": [b"Auto: Hi", b"Troop K CTL", b"maria@example.com", b"x" * 1488 + b"@example.com",
              b"b\n", b"root@example.org", b"x" * 1488 + b"@example.com"],
    "refs": [b"Auto: Re: thread", b"", b"a@b.c", b"r199@example.org", b"b"] + refs,
    "name": [b"Auto: x", b"Troop K (CTL), \"Main\" Office \\ " * 20, b"a@b.c", b"", b""],
    "utf8": ["Auto: \u00bfD\u00f3nde? \u65e5\u672c\u8a9e \U0001f600 \u202e abc".encode() * 20,
             "Tropa K \u2014 Enlace".encode(), b"n@example.es", b"", "ni\u00f1os\n".encode()],
    "crlf": [b"Hi\r\nBcc: v@x\r\n\r\nbody =?UTF-8?B?SGk=?=\t\x01\x7f\xff" + b" " * 1200 + b"x",
             b"\r\nX: y", b"a@b.c\r\nBcc: v@x", b"id@x>\r\nBcc: <v@x", b".\r\n.\n"],
}
for name, fields in seeds.items():
    open("%s/%s" % (d, name), "wb").write(b"\0".join(fields))
PY
ASAN_OPTIONS=detect_leaks=0 "$out/fuzz_compose" -max_total_time="${FUZZ_SECONDS:-120}" -max_len=65536 \
	-timeout=10 -rss_limit_mb=2048 -artifact_prefix=tests/fixtures/fuzz/compose- \
	"$out/corpus-compose" "$out/seeds-compose"
# The web console's forms and escaping: form bodies as browsers and attackers send them.
mkdir -p "$out/corpus-web" "$out/seeds-web"
printf 'csrf=abc&text=Hello+there%%21&empty=&&x=1' >"$out/seeds-web/form"
printf 'body=%%3Cscript%%3Ealert(1)%%3C%%2Fscript%%3E&seen=12' >"$out/seeds-web/script"
printf 'a=%%C0%%BC%%ED%%A0%%80%%FF&b=%%E2%%9C' >"$out/seeds-web/utf8"
printf 'a=%%zz&b=%%00&c' >"$out/seeds-web/bad"
ASAN_OPTIONS=detect_leaks=0 "$out/fuzz_web" -max_total_time="${FUZZ_SECONDS:-120}" -max_len=65536 \
	-timeout=10 -rss_limit_mb=2048 -artifact_prefix=tests/fixtures/fuzz/web- \
	"$out/corpus-web" "$out/seeds-web"
