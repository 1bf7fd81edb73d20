# make install into a DESTDIR: every file with its mode, the systemd units verified and their
# sandboxing scored offline (systemd-analyze), the installed program checking the installed
# example configuration (also with W^X memory refused, as MemoryDenyWriteExecute= does), and
# make uninstall taking away exactly what install put.
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
ROOT=$TMPDIR/root
make -s -C "$TOP" install DESTDIR="$ROOT" PREFIX=/usr >make-install.log 2>&1 ||
	{ cat make-install.log; fail "make install"; }

# ---- every file, with its mode ----
expected() {
	echo "755 usr/bin/liaison"
	for f in $(cd "$TOP" && find templates -type f -name '*.txt'); do
		echo "644 usr/share/liaison/$f"
	done
	echo "644 usr/share/liaison/routes.conf"
	echo "644 usr/share/liaison/routes.model"
	for f in "$TOP"/man/*.1; do echo "644 usr/share/man/man1/$(basename "$f")"; done
	for f in "$TOP"/man/*.5; do echo "644 usr/share/man/man5/$(basename "$f")"; done
	echo "644 usr/share/doc/liaison/README.md"
	for f in "$TOP"/docs/*.md; do echo "644 usr/share/doc/liaison/docs/$(basename "$f")"; done
	echo "644 etc/liaison/liaison.conf.example"
	echo "644 usr/lib/systemd/system/liaison-poll.service"
	echo "644 usr/lib/systemd/system/liaison-web.service"
	echo "644 usr/lib/sysusers.d/liaison.conf"
	echo "644 usr/lib/tmpfiles.d/liaison.conf"
}
expected | sort >expected.txt
(cd "$ROOT" && find . -type f -printf '%m %P\n') | sort >installed.txt
diff expected.txt installed.txt || fail "installed files or modes differ from the expected (< expected, > installed)"
[ "$(grep -c saved/ installed.txt)" -ge 6 ] || fail "the saved replies were not installed"
echo "ok: $(wc -l <installed.txt) files installed with their modes"
cmp -s "$TOP/liaison" "$ROOT/usr/bin/liaison" || fail "the installed binary is not the built one"
grep -qx 'u liaison - "liaison CTL mailboxes" /var/lib/liaison /usr/sbin/nologin' \
	"$ROOT/usr/lib/sysusers.d/liaison.conf" || fail "sysusers.d: no liaison user"
grep -qx 'd /var/lib/liaison 0700 liaison liaison -' "$ROOT/usr/lib/tmpfiles.d/liaison.conf" ||
	fail "tmpfiles.d: no 0700 state folder"
echo "ok: sysusers.d and tmpfiles.d entries"

# ---- the units: systemd-analyze verify, offline (no systemd as PID 1 here) ----
# A copy of the installed tree with what the units refer to outside it: the host's targets
# (network-online.target, multi-user.target ...) and kill(1) of ExecReload=.  ExecStart= is
# checked against the installed binary itself.
VROOT=$TMPDIR/verify-root
cp -a "$ROOT" "$VROOT"
mkdir -p "$VROOT/bin"
cp /lib/systemd/system/*.target "$VROOT/usr/lib/systemd/system/"
cp /bin/kill "$VROOT/bin/kill"
for unit in liaison-poll.service liaison-web.service; do
	u=$ROOT/usr/lib/systemd/system/$unit
	grep -q '@[A-Z]*@' "$u" && fail "$unit: a @VARIABLE@ was not filled in"
	grep -qx 'User=liaison' "$u" || fail "$unit: not run as liaison"
	grep -qx 'ExecReload=/bin/kill -HUP $MAINPID' "$u" || fail "$unit: no reload by SIGHUP"
	set +e
	systemd-analyze verify --root="$VROOT" --man=no --generators=no \
		"/usr/lib/systemd/system/$unit" >verify.out 2>&1
	rc=$?
	set -e
	[ "$rc" -eq 0 ] && [ ! -s verify.out ] || { cat verify.out; fail "$unit: systemd-analyze verify (exit $rc)"; }
	echo "ok: $unit: systemd-analyze verify is clean"
	# --threshold: exit non-zero above an exposure of 2.5 (out of 10)
	systemd-analyze security --offline=yes --threshold=25 --root="$VROOT" \
		"/usr/lib/systemd/system/$unit" >security.out 2>&1 ||
		{ cat security.out; fail "$unit: exposure above 2.5"; }
	level=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\) \([A-Z]*\).*/\1 \2/p' security.out)
	case "$level" in
	[0-1].[0-9]\ OK | 2.[0-5]\ OK) echo "ok: $unit: exposure $level" ;;
	*) cat security.out; fail "$unit: exposure '$level', expected at most 2.5 OK" ;;
	esac
done
# The check would catch a mistake: a misspelt directive and a wrong binary.
sed -e 's/^ProtectClock=/ProtectClok=/' -e 's|^ExecStart=/usr/bin/liaison|ExecStart=/usr/bin/liaisn|' \
	"$ROOT/usr/lib/systemd/system/liaison-poll.service" >"$VROOT/usr/lib/systemd/system/bad.service"
systemd-analyze verify --root="$VROOT" --man=no --generators=no \
	/usr/lib/systemd/system/bad.service >bad.out 2>&1 || true
grep -q "Unknown key 'ProtectClok'" bad.out && grep -q "liaisn is not executable" bad.out ||
	{ cat bad.out; fail "verify did not catch a planted mistake"; }
echo "ok: verify catches a misspelt directive and a missing binary"

# ---- the installed program on the installed example configuration ----
# Adapted only where the machine differs: the database in a temp folder, the files under
# ROOT, and the password files the example names made here (0600).
ETC=$TMPDIR/etc
mkdir -p "$ETC" state
sed -e "s|^database = .*|database = $TMPDIR/state/liaison.db|" \
	-e "s|= /usr/share/liaison/|= $ROOT/usr/share/liaison/|" \
	-e "s|= /etc/liaison/|= $ETC/|" \
	"$ROOT/etc/liaison/liaison.conf.example" >installed.conf
grep -q "^routes = $ROOT/usr/share/liaison/routes.conf$" installed.conf ||
	fail "the installed example does not name the installed routing rules"
grep -q "^templates = $ROOT/usr/share/liaison/templates$" installed.conf ||
	fail "the installed example does not name the installed templates"
for pw in $(sed -n "s|^password_file = $ETC/||p" installed.conf); do
	printf 'not-a-real-secret\n' >"$ETC/$pw"
	chmod 600 "$ETC/$pw"
done
BIN=$ROOT/usr/bin/liaison
$BIN -c installed.conf init >init.out 2>&1 || { cat init.out; fail "installed liaison init"; }
$BIN -c installed.conf check >check.out 2>&1 || { cat check.out; fail "installed liaison check"; }
echo "ok: the installed liaison checks the installed example configuration"

# ---- MemoryDenyWriteExecute=: PCRE2's JIT refused, the rules still route the same ----
# The kernel's PR_SET_MDWE (Linux 6.3) refuses writable-and-executable memory as systemd's
# filter does; on an older kernel a preloaded mmap/mprotect that refuses it stands in.
cat >mdwe.py <<'PY'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN = 65, 1
if libc.prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0:
    sys.exit(77)
os.execv(sys.argv[1], sys.argv[1:])
PY
cat >refuse_wx.c <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sys/mman.h>
#include <sys/types.h>
void *mmap(void *a, size_t n, int prot, int flags, int fd, off_t off)
{
	static void *(*real)(void *, size_t, int, int, int, off_t);
	if ((prot & PROT_WRITE) && (prot & PROT_EXEC)) { errno = EPERM; return MAP_FAILED; }
	if (!real) real = (void *(*)(void *, size_t, int, int, int, off_t))dlsym(RTLD_NEXT, "mmap");
	return real(a, n, prot, flags, fd, off);
}
int mprotect(void *a, size_t n, int prot)
{
	static int (*real)(void *, size_t, int);
	if (prot & PROT_EXEC) { errno = EPERM; return -1; }
	if (!real) real = (int (*)(void *, size_t, int))dlsym(RTLD_NEXT, "mprotect");
	return real(a, n, prot);
}
C
set +e
$PY mdwe.py /bin/true
mdwe=$?
set -e
if [ "$mdwe" -eq 0 ]; then
	wx() { $PY "$TMPDIR/mdwe.py" "$@"; }
	how="PR_SET_MDWE"
else
	cc -shared -fPIC -o refuse_wx.so refuse_wx.c -ldl || fail "cannot build the W^X stand-in"
	wx() { LD_PRELOAD=$TMPDIR/refuse_wx.so "$@"; }
	how="a preloaded mmap refusing W+X"
fi
RULES=$ROOT/usr/share/liaison/routes.conf
$BIN -v route eval --rules "$RULES" --json "$TOP/tests/routing/dev-en.jsonl" >jit.json 2>jit.err ||
	{ cat jit.err; fail "route eval"; }
grep -q "runs without JIT" jit.err && fail "PCRE2 JIT is not used even without the restriction"
wx "$BIN" -vv route eval --rules "$RULES" --json "$TOP/tests/routing/dev-en.jsonl" >nojit.json 2>nojit.err ||
	{ tail nojit.err; fail "route eval with W^X memory refused"; }
grep -q "runs without JIT" nojit.err || fail "the JIT was not refused ($how): the check proves nothing"
cmp -s jit.json nojit.json || fail "routing differs without the JIT"
wx "$BIN" -c installed.conf check >check-wx.out 2>&1 || { cat check-wx.out; fail "check with W^X refused"; }
echo "ok: with W^X memory refused ($how) PCRE2 falls back to its interpreter: same routing, check passes"

# ---- SystemCallFilter=: what poll, web and check call is within the units' filter ----
# The filter's own sets, expanded by systemd-analyze; every system call the installed binary
# makes while polling (a message stored, its auto-reply sent), serving the console and
# checking, traced with strace, must be in @system-service less @privileged and @resources.
# Traced as an unprivileged user, as the units run it: as root SQLite would fchown its
# journal files to the database's owner, which it never does otherwise.
grep -qx 'SystemCallFilter=@system-service' "$ROOT/usr/lib/systemd/system/liaison-poll.service" &&
	grep -qx 'SystemCallFilter=~@privileged @resources' "$ROOT/usr/lib/systemd/system/liaison-poll.service" ||
	fail "the filter is not the one checked here"
start_servers
RUN=$TMPDIR/run
mkdir -p "$RUN"
write_poll_config "$RUN/poll.conf" "$RUN/poll.db"
cp "$TMPDIR/troopk.pw" "$RUN/troopk.pw"
sed -i "s|^password_file = .*|password_file = $RUN/troopk.pw|" "$RUN/poll.conf"
cp installed.conf "$RUN/installed.conf"
$BIN -c "$RUN/poll.conf" init >/dev/null
chown -R 65534:65534 "$RUN" "$TMPDIR/state" "$ETC"
chmod o+x "$TMPDIR"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }
# LeakSanitizer cannot run under ptrace (make asan's binary would end in its fatal error):
# the traced runs look at system calls only; every other run of the suite checks for leaks.
[ -z "${LIAISON_SANITIZED:-}" ] || export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
printf 'From: Ana <ana@example.org>\nTo: TroopKCTL@ct.gov\nSubject: A question\nMessage-ID: <q1@example.org>\nDate: %s\n\nWhen is the next community meeting?\n' \
	"$(date -R)" >q1.eml
deliver INBOX q1.eml
as_nobody strace -f -qq -o "$RUN/poll.trace" "$BIN" -c "$RUN/poll.conf" poll --once >/dev/null 2>poll.err ||
	{ cat poll.err; fail "poll --once under strace"; }
expect_eq "the auto-reply went out while traced" 1 "$(smtp_count)"
# not through as_nobody: a function in the background is a subshell, and $! would be its
setpriv --reuid=65534 --regid=65534 --clear-groups -- strace -f -qq -o "$RUN/web.trace" \
	"$BIN" -c "$RUN/poll.conf" web --listen 127.0.0.1:0 >web.out 2>web.err &
WEB_PID=$! # strace's (setpriv runs it in its place): the console is its child
stop_web() { kill -TERM $(pgrep -P $WEB_PID) 2>/dev/null || true; }
trap 'stop_web; sh "$TOP/tests/servers/stop.sh" "$SRV" >/dev/null 2>&1' EXIT
for _ in $(seq 1 100); do
	grep -q 'console is at' web.out 2>/dev/null && break
	sleep 0.1
done
BASE=$(sed -n 's/.*console is at \(https*:\/\/[^/]*\)\/.*/\1/p' web.out)
[ -n "$BASE" ] || fail "liaison web printed no address: $(cat web.out web.err)"
curl -s -o signin.html "$BASE/signin" && grep -q '<form' signin.html || fail "no sign-in page"
curl -s -o /dev/null -d user=reyes -d password=wrong "$BASE/signin" || fail "no sign-in answer"
stop_web
wait $WEB_PID || true
as_nobody strace -f -qq -o "$RUN/check.trace" "$BIN" -c "$RUN/installed.conf" check >check-nobody.out 2>&1 ||
	{ cat check-nobody.out; fail "check under strace"; }
cd "$RUN"
$PY - poll.trace web.trace check.trace <<'PY' || fail "a system call outside the units' filter"
import re, subprocess, sys
out = subprocess.run(["systemd-analyze", "syscall-filter"], capture_output=True, text=True,
                     check=True).stdout
groups, cur = {}, None
for line in out.splitlines():
    if line.startswith("@"):
        cur = line.split()[0]
        groups[cur] = []
    elif cur and line.strip() and not line.strip().startswith("#"):
        groups[cur].append(line.strip())
def expand(name, seen):
    if not name.startswith("@"):
        return {name}
    if name in seen:
        return set()
    seen.add(name)
    return set().union(*[expand(m, seen) for m in groups[name]])
allowed = expand("@system-service", set()) - expand("@privileged", set()) - expand("@resources", set())
assert len(allowed) > 200, "the sets were not read"
used = set()
for path in sys.argv[1:]:
    for line in open(path):
        m = re.match(r"^(?:\[pid\s+\d+\]\s+|\d+\s+)?([a-z0-9_]+)\(", line)
        if m:
            used.add(m.group(1))
assert len(used) > 40, "too few system calls traced: %d" % len(used)
bad = sorted(used - allowed)
print("ok: %d system calls of poll, web and check, all within the filter" % len(used)
      if not bad else "FAIL: outside the filter: " + " ".join(bad))
sys.exit(1 if bad else 0)
PY
cd "$TMPDIR"

# ---- make uninstall: exactly what install put ----
# What the administrator made stays: their configuration and the state folder.
printf '[liaison]\ndatabase = /var/lib/liaison/liaison.db\n' >"$ROOT/etc/liaison/liaison.conf"
mkdir -p "$ROOT/var/lib/liaison"
printf 'x' >"$ROOT/var/lib/liaison/liaison.db"
make -s -C "$TOP" uninstall DESTDIR="$ROOT" PREFIX=/usr >make-uninstall.log 2>&1 ||
	{ cat make-uninstall.log; fail "make uninstall"; }
(cd "$ROOT" && find . -type f -printf '%P\n') | sort >left.txt
printf 'etc/liaison/liaison.conf\nvar/lib/liaison/liaison.db\n' >want-left.txt
diff want-left.txt left.txt || fail "make uninstall left other files, or took the administrator's"
[ ! -e "$ROOT/usr/share/liaison" ] || fail "make uninstall left usr/share/liaison"
echo "ok: make uninstall removed every installed file and kept the administrator's"
