#!/bin/sh
# make fuzz: build the libFuzzer target with ASan/UBSan and run it for FUZZ_SECONDS (default
# 120) on a seed corpus of the hostile fixtures and the shipped sample.  A crash is written
# to tests/fixtures/fuzz/ — commit it: tests/integration/test_hostile.sh replays every file
# there on each `make check`.
set -eu
cd "$(dirname "$0")/../.."
out=build-fuzz
mkdir -p "$out/obj" "$out/corpus" tests/fixtures/fuzz
# the libraries of the Makefile's PKGS: every object of src/ is linked
pkgs="gmime-3.0 sqlite3 libpcre2-8 inih jansson nettle libetpan gnutls libcurl pangocairo cairo-pdf"
# shellcheck disable=SC2086
flags="-g -O1 -std=c11 -D_GNU_SOURCE -Iinclude -fsanitize=fuzzer-no-link,address,undefined $(pkg-config --cflags $pkgs)"
objs=""
for src in src/*.c; do
	[ "$src" = src/main.c ] && continue
	obj=$out/obj/$(basename "$src" .c).o
	clang $flags -c -o "$obj" "$src"
	objs="$objs $obj"
done
# shellcheck disable=SC2086
clang $flags -fsanitize=fuzzer -o "$out/fuzz_parse" tests/fuzz/fuzz_parse.c $objs \
	$(pkg-config --libs $pkgs) -lpthread -lm
# shellcheck disable=SC2086
clang $flags -fsanitize=fuzzer -o "$out/fuzz_redact" tests/fuzz/fuzz_redact.c $objs \
	$(pkg-config --libs $pkgs) -lpthread -lm
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
