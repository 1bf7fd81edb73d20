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
#   make install    the program, templates, rules, manual pages, example configuration and
#                   systemd units under DESTDIR/PREFIX; make uninstall takes exactly them away

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
             mandoc man-db bsdextrautils strace systemd procps $(DEB_SERVERS)
DEB_BENCH := notmuch time isync wrk curl sqlite3 valgrind $(DEB_SERVERS)
DEB_FUZZ  := clang libclang-rt-14-dev

BUILD   := build
NPROC   := $(shell nproc 2>/dev/null || echo 1)
SRCS    := $(wildcard src/*/*.c)
OBJS    := $(patsubst src/%.c,$(BUILD)/%.o,$(SRCS))
LIBOBJS := $(filter-out $(BUILD)/cli/main.o,$(OBJS))
TESTS   := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

.PHONY: all deps check check-dates unit integration browser asan asan-run lint fuzz bench soak model demo \
        clean install uninstall

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
	$(MAKE) -j$(NPROC) liaison $(TESTS)
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

# ---- install (docs/install.md) ---------------------------------------------------------
# The usual directories, each overridable; the configuration is always read from
# SYSCONFDIR/liaison (default /etc/liaison, whatever the PREFIX) and the state is in STATEDIR.
PREFIX         ?= /usr/local
BINDIR         ?= $(PREFIX)/bin
DATADIR        ?= $(PREFIX)/share
MANDIR         ?= $(DATADIR)/man
DOCDIR         ?= $(DATADIR)/doc/liaison
SYSCONFDIR     ?= /etc
STATEDIR       ?= /var/lib/liaison
# systemd, systemd-sysusers and systemd-tmpfiles read /usr/local/lib/... as well as /usr/lib/...
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR    ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR    ?= $(PREFIX)/lib/tmpfiles.d

SHAREDIR       := $(DATADIR)/liaison
INSTALL_DATA   := $(sort $(shell find templates -type f -name '*.txt')) config/routes.conf \
                  config/routes.model
INSTALL_MAN1   := $(wildcard man/*.1)
INSTALL_MAN5   := $(wildcard man/*.5)
# README.md's links into docs/ still work from DOCDIR
INSTALL_DOCS   := $(wildcard docs/*.md)
INSTALL_UNITS  := liaison-poll.service liaison-web.service
# Paths as installed: the example configuration, the units and the sysusers and tmpfiles
# entries name them (filled in here, not at run time).
INSTALL_SUBST  := sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
                      -e 's|@STATEDIR@|$(STATEDIR)|g' -e 's|@SHAREDIR@|$(SHAREDIR)|g'
# The example names the shipped rules and templates and the state folder where they are.
EXAMPLE_SUBST  := sed -e 's|^routes = /etc/liaison/routes.conf|routes = $(SHAREDIR)/routes.conf|' \
                      -e 's|/usr/share/liaison|$(SHAREDIR)|g' -e 's|/var/lib/liaison|$(STATEDIR)|g' \
                      -e 's|/etc/liaison|$(SYSCONFDIR)/liaison|g'

install: liaison
	install -d -m 0755 $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DOCDIR)/docs $(DESTDIR)$(SYSCONFDIR)/liaison \
	    $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR)
	install -m 0755 liaison $(DESTDIR)$(BINDIR)/liaison
	for f in $(INSTALL_DATA); do \
	    d=$$(dirname "$${f#config/}"); \
	    install -d -m 0755 "$(DESTDIR)$(SHAREDIR)/$$d" && \
	    install -m 0644 "$$f" "$(DESTDIR)$(SHAREDIR)/$${f#config/}" || exit 1; \
	done
	install -m 0644 $(INSTALL_MAN1) $(DESTDIR)$(MANDIR)/man1
	install -m 0644 $(INSTALL_MAN5) $(DESTDIR)$(MANDIR)/man5
	install -m 0644 README.md $(DESTDIR)$(DOCDIR)
	install -m 0644 $(INSTALL_DOCS) $(DESTDIR)$(DOCDIR)/docs
	$(EXAMPLE_SUBST) config/liaison.conf.example > $(DESTDIR)$(SYSCONFDIR)/liaison/liaison.conf.example
	chmod 0644 $(DESTDIR)$(SYSCONFDIR)/liaison/liaison.conf.example
	for u in $(INSTALL_UNITS); do \
	    $(INSTALL_SUBST) dist/systemd/$$u.in > $(DESTDIR)$(SYSTEMDUNITDIR)/$$u && \
	    chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/$$u || exit 1; \
	done
	$(INSTALL_SUBST) dist/systemd/liaison.sysusers.in > $(DESTDIR)$(SYSUSERSDIR)/liaison.conf
	$(INSTALL_SUBST) dist/systemd/liaison.tmpfiles.in > $(DESTDIR)$(TMPFILESDIR)/liaison.conf
	chmod 0644 $(DESTDIR)$(SYSUSERSDIR)/liaison.conf $(DESTDIR)$(TMPFILESDIR)/liaison.conf

# Exactly what install put, then the folders it made if they are empty: never the
# administrator's liaison.conf, password files or the state folder.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/liaison
	for f in $(INSTALL_DATA); do rm -f "$(DESTDIR)$(SHAREDIR)/$${f#config/}"; done
	for f in $(notdir $(INSTALL_MAN1)); do rm -f $(DESTDIR)$(MANDIR)/man1/$$f; done
	for f in $(notdir $(INSTALL_MAN5)); do rm -f $(DESTDIR)$(MANDIR)/man5/$$f; done
	rm -f $(DESTDIR)$(DOCDIR)/README.md
	for f in $(INSTALL_DOCS); do rm -f $(DESTDIR)$(DOCDIR)/$$f; done
	rm -f $(DESTDIR)$(SYSCONFDIR)/liaison/liaison.conf.example
	for u in $(INSTALL_UNITS); do rm -f $(DESTDIR)$(SYSTEMDUNITDIR)/$$u; done
	rm -f $(DESTDIR)$(SYSUSERSDIR)/liaison.conf $(DESTDIR)$(TMPFILESDIR)/liaison.conf
	find $(DESTDIR)$(SHAREDIR) -depth -type d -empty -delete 2>/dev/null || true
	rmdir $(DESTDIR)$(DOCDIR)/docs $(DESTDIR)$(DOCDIR) $(DESTDIR)$(SYSCONFDIR)/liaison 2>/dev/null || true
