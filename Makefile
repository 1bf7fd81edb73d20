# liaison — one Makefile for everything.  See README.md.
#
#   make            build ./liaison
#   make deps       install the Debian packages that are missing (apt-get)
#   make check      deps, build, unit tests, integration tests (one run under valgrind), the
#                   web console's browser tests (Debian's chromium)
#   make check-dates the same tests at fixed instants under faketime (no test may depend on
#                   the day it runs)
#   make asan       the tests again under AddressSanitizer + UBSan
#   make lint       warnings as errors, banned string functions, cppcheck
#   make fuzz       libFuzzer targets: the parse path, redaction, composition (clang)
#   make bench      benchmarks against notmuch (figures, not a timed test)
#   make soak       poll and web for DURATION s (3600) under mail and page load: memory, fds, errors
#   make model      the routing model trained again from tests/routing/
#   make demo       local Dovecot + SMTP receiver, a troop mailbox, liaison poll, the replies

CC      ?= cc
PKGS    := gmime-3.0 sqlite3 libpcre2-8 inih jansson nettle libetpan gnutls libcurl \
           pangocairo cairo-pdf libmicrohttpd libsodium liboath libqrencode
# OPT and SAN may be set on the command line (make asan does); CFLAGS is added last.
OPT     ?= -O2 -g
SAN     ?=
WARN    := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-unused-parameter
# -ffp-contract=off: no fused multiply-adds, so the routing model trains to the same bytes on
# every machine (tests/integration/test_route_model.sh compares them).
ALL_CFLAGS = $(OPT) $(SAN) -std=c11 -D_GNU_SOURCE -ffp-contract=off $(WARN) -Iinclude \
             $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lm -lpthread

# Debian packages: libraries to build against, tools the tests and benchmarks run.
DEB_BUILD := build-essential pkg-config libgmime-3.0-dev libsqlite3-dev libpcre2-dev \
             libinih-dev libjansson-dev nettle-dev libcmocka-dev libetpan-dev \
             libgnutls28-dev libcurl4-gnutls-dev libcairo2-dev libpango1.0-dev \
             fonts-dejavu-core tzdata libmicrohttpd-dev libsodium-dev liboath-dev \
             libqrencode-dev libstemmer-dev
DEB_SERVERS := python3 dovecot-imapd python3-aiosmtpd openssl
DEB_TEST  := valgrind cppcheck sqlite3 poppler-utils faketime curl nodejs npm chromium \
             $(DEB_SERVERS)
DEB_BENCH := notmuch time isync wrk curl sqlite3 valgrind $(DEB_SERVERS)
DEB_FUZZ  := clang libclang-rt-14-dev

BUILD   := build
SRCS    := $(wildcard src/*/*.c)
OBJS    := $(patsubst src/%.c,$(BUILD)/%.o,$(SRCS))
LIBOBJS := $(filter-out $(BUILD)/cli/main.o,$(OBJS))
TESTS   := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

.PHONY: all deps check check-dates unit integration browser asan asan-run lint fuzz bench soak model demo clean

all: liaison

liaison: $(OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: src/%.c $(wildcard include/*.h src/*/*.h) | $(BUILD)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The console's style sheet and script, built into the program.
$(BUILD)/web_assets_data.h: $(wildcard web/static/*) tools/embed.sh | $(BUILD)
	sh tools/embed.sh web/static > $@
$(BUILD)/web/web_assets.o: $(BUILD)/web_assets_data.h
$(BUILD)/web/web_assets.o: ALL_CFLAGS += -I$(BUILD)

$(BUILD):
	mkdir -p $(BUILD)/tests

$(BUILD)/tests/%: tests/unit/%.c $(LIBOBJS) $(wildcard tests/unit/*.h)
	$(CC) $(ALL_CFLAGS) -Wno-missing-field-initializers -Itests/unit -o $@ $< $(LIBOBJS) $(LDLIBS) -lcmocka

deps:
	@sh tools/deps.sh $(DEB_BUILD) $(DEB_TEST) $(DEB_BENCH)

check: deps
	$(MAKE) liaison $(TESTS)
	$(MAKE) unit integration
	$(MAKE) browser

# The build and the package installs run on the real clock (apt refuses Release files from
# the future); only the tests run at the faked instants.
check-dates: deps
	$(MAKE) liaison $(TESTS)
	@sh tests/check-dates.sh $(TESTS)

unit: $(TESTS)
	@sh tests/run-unit.sh $(TESTS)

integration: liaison
	@sh tests/run-integration.sh

# The web console in a real browser (tests/browser: node --test, playwright-core, axe-core).
browser: liaison
	@sh tests/run-browser.sh

asan:
	@sh tools/deps.sh $(DEB_BUILD) $(DEB_TEST)
	$(MAKE) BUILD=build-asan OPT="-O1 -g" \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    asan-run

# Internal: the sanitized binary and tests, then the same test runs (LeakSanitizer on).
asan-run: $(OBJS) $(TESTS)
	$(CC) $(ALL_CFLAGS) -o $(BUILD)/liaison $(OBJS) $(LDLIBS)
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp sh tests/run-unit.sh $(TESTS)
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp LIAISON_BIN=$(BUILD)/liaison \
	    LIAISON_SANITIZED=1 sh tests/run-integration.sh

lint:
	@sh tools/lint.sh

fuzz:
	@sh tools/deps.sh $(DEB_BUILD) $(DEB_FUZZ)
	@sh tests/fuzz/build.sh

bench: liaison
	@sh tools/deps.sh $(DEB_BUILD) $(DEB_BENCH)
	@sh bench/run.sh

# The soak: poll and web for DURATION seconds (3600) with mail every second and pages read
# all the while; memory, descriptors and errors sampled (bench/soak.sh).  Exit 1 on a death,
# an error or descriptors that grew.
soak: liaison
	@sh tools/deps.sh $(DEB_BUILD) $(DEB_SERVERS) curl sqlite3
	@DURATION=$(or $(DURATION),3600) sh bench/soak.sh

# The routing model made again from tests/routing/ (its training and development sets; the
# held-out set only measures).  Commit config/routes.model with the change that needs it.
model: liaison
	@sh tools/train-routes-model.sh

demo:
	@sh tools/deps.sh $(DEB_BUILD) $(DEB_SERVERS)
	$(MAKE) liaison
	@sh tools/demo.sh

clean:
	rm -rf build build-asan build-fuzz liaison
