#!/usr/bin/python3
"""Test helpers around the servers of tests/servers/start.sh (run with /usr/bin/python3).

deliver.py append --port P [--host H] --user U --password W [--folder F] [--create]
                  [--internaldate] [--flags 'FLAG ...'] [--json] [--batch N] FILE|DIR...
    IMAP APPEND each FILE (a DIR means every regular file below it, sorted by path) to
    folder F (default INBOX) with its bytes unchanged (no line-end conversion; note that
    Dovecot returns messages with CRLF line ends, so a CRLF file round-trips byte for byte).
    --internaldate sets INTERNALDATE from the file's Date: header (files without a usable
    Date: get the server's time).  --flags sets flags, e.g. --flags '\\Seen \\Flagged'.
    --create creates F first if it does not exist.  Sends N files (default 100) per
    MULTIAPPEND command with LITERAL+ when offered, so large corpora go fast; a refused batch
    is retried file by file to name the culprit.  --batch 1: one APPEND per file.
    --json prints one line per file:
    {"file": ..., "uidvalidity": V, "uid": U}.  Exit 1 if any APPEND was refused.

deliver.py wait-smtp DIR N [--timeout S]
    Wait until the SMTP sink of DIR (the start.sh folder, or its smtp/ folder) has stored
    at least N messages (counts NNNNNN.json files, which appear after their .eml).  Prints
    the count.  Exit 1 after S seconds (default 10) if there are fewer.

deliver.py status --conf CONF --user U --folder F
    Print {"uidvalidity": V, "uidnext": N, "messages": M, "uids": [...]} (via doveadm).

deliver.py flags --conf CONF --user U --folder F
    Print the messages of F as a JSON list in UID order, one object per message:
    {"uid": N, "message_id": "<...>" or null, "flags": ["\\Seen", ...]} (via doveadm, which
    reads the server's own record and changes no flag; \\Recent is left out).  Exit 1 when
    F does not exist.

deliver.py uidvalidity-reset --conf CONF --user U --folder F [--keep-uids]
    Force a UIDVALIDITY change of F for user U, keeping every message (bytes, flags and
    INTERNALDATE), using doveadm against the running test Dovecot:
      1. create a scratch folder, `doveadm move` every message of F into it (F is now empty);
      2. `doveadm mailbox update --uid-validity NEW F` with NEW = max(old + 1, now);
      3. `doveadm move` the messages back into F (they get new UIDs, all above the old
         UIDNEXT, in the same order) and delete the scratch folder.
    With --keep-uids only step 2 is done: same messages, same UIDs, new UIDVALIDITY.
    Works for INBOX too.  IMAP clients that have F selected see the change the way Dovecot
    reports it (typically an untagged BYE / disconnect).  Prints JSON:
    {"folder", "old_uidvalidity", "new_uidvalidity", "messages", "old_uids", "new_uids"}.
"""
import email.parser
import email.utils
import json
import os
import re
import socket
import subprocess
import sys
import time

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def die(msg, code=2):
    print("deliver.py: " + msg, file=sys.stderr)
    sys.exit(code)


def parse_opts(args, spec):
    """spec: {"--name": takes_value(bool)}; returns (opts, positional)."""
    opts, pos = {}, []
    i = 0
    while i < len(args):
        a = args[i]
        if a in spec:
            if spec[a]:
                if i + 1 >= len(args):
                    die("%s needs a value" % a)
                opts[a] = args[i + 1]
                i += 2
                continue
            opts[a] = True
        elif a.startswith("--") and a != "--":
            die("unknown option %s" % a)
        else:
            pos.append(a)
        i += 1
    return opts, pos


# ---------------------------------------------------------------- minimal IMAP client
class Imap:
    def __init__(self, host, port, timeout=60):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.rfile = self.sock.makefile("rb")
        self.n = 0
        greeting = self.readline()
        if not greeting.startswith(b"* OK"):
            raise RuntimeError("unexpected greeting %r" % greeting)
        self.caps = set()
        m = re.search(rb"\[CAPABILITY ([^\]]*)\]", greeting)
        if m:
            self.caps = set(m.group(1).upper().split())

    def readline(self):
        line = self.rfile.readline()
        if not line:
            raise RuntimeError("connection closed by server")
        return line

    def tag(self):
        self.n += 1
        return b"D%05d" % self.n

    def read_tagged(self, tag):
        """Read until the tagged reply; returns (status_line, untagged_lines)."""
        untagged = []
        while True:
            line = self.readline()
            m = re.search(rb"\{(\d+)\}\r\n$", line)
            while m:  # literal inside an untagged response
                line += self.rfile.read(int(m.group(1)))
                more = self.readline()
                line += more
                m = re.search(rb"\{(\d+)\}\r\n$", more)
            if line.startswith(tag + b" "):
                return line, untagged
            untagged.append(line)

    def command(self, text):
        t = self.tag()
        self.sock.sendall(t + b" " + text + b"\r\n")
        line, untagged = self.read_tagged(t)
        ok = line.split(b" ", 2)[1:2] == [b"OK"]
        return ok, line, untagged

    def login(self, user, password):
        ok, line, _ = self.command(b"LOGIN " + astring(user) + b" " + astring(password))
        if not ok:
            raise RuntimeError("LOGIN failed: %s" % line.decode("utf-8", "replace").strip())
        ok, line, untagged = self.command(b"CAPABILITY")
        for u in untagged:
            if u.startswith(b"* CAPABILITY "):
                self.caps = set(u[13:].upper().split())

    def logout(self):
        try:
            self.command(b"LOGOUT")
        except Exception:
            pass
        self.sock.close()


def astring(s):
    b = s.encode("utf-8") if isinstance(s, str) else s
    if re.match(rb"^[A-Za-z0-9._@+-]+$", b):
        return b
    return b"{%d+}\r\n" % len(b) + b  # LITERAL+ (Dovecot always offers it)


def imap_date(raw):
    """INTERNALDATE string from the Date: header of raw message bytes, or None."""
    try:
        hdrs = email.parser.BytesHeaderParser().parsebytes(raw[:65536])
        d = hdrs.get("Date")
        if not d:
            return None
        dt = email.utils.parsedate_to_datetime(str(d))
    except Exception:
        return None
    if dt is None:
        return None
    off = dt.utcoffset()
    mins = int(off.total_seconds() // 60) if off is not None else 0
    sign = "+" if mins >= 0 else "-"
    mins = abs(mins)
    return '"%02d-%s-%04d %02d:%02d:%02d %s%02d%02d"' % (
        dt.day, MONTHS[dt.month - 1], dt.year, dt.hour, dt.minute, dt.second,
        sign, mins // 60, mins % 60)


def collect_files(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            found = []
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for f in files:
                    fp = os.path.join(root, f)
                    if os.path.isfile(fp):
                        found.append(fp)
            out.extend(sorted(found))
        elif os.path.isfile(p):
            out.append(p)
        else:
            die("no such file: %s" % p)
    return out


def uid_set(text):
    out = []
    for part in text.split(b","):
        if b":" in part:
            a, b = (int(x) for x in part.split(b":"))
            out.extend(range(min(a, b), max(a, b) + 1))
        else:
            out.append(int(part))
    return out


def cmd_append(args):
    opts, files = parse_opts(args, {"--port": True, "--host": True, "--user": True,
                                    "--password": True, "--folder": True, "--internaldate": False,
                                    "--flags": True, "--json": False, "--create": False,
                                    "--batch": True})
    for need in ("--port", "--user", "--password"):
        if need not in opts:
            die("append needs %s" % need)
    files = collect_files(files)
    if not files:
        die("append: no files given")
    folder = opts.get("--folder", "INBOX")
    flags = opts.get("--flags")
    c = Imap(opts.get("--host", "127.0.0.1"), int(opts["--port"]))
    c.login(opts["--user"], opts["--password"])
    if opts.get("--create"):
        ok, line, _ = c.command(b"CREATE " + astring(folder))
        if not ok and b"ALREADYEXISTS" not in line.upper():
            die("CREATE %s failed: %s" % (folder, line.decode("utf-8", "replace").strip()), 1)
    caps = {x.decode() for x in c.caps}
    literal_plus = "LITERAL+" in caps
    batch = int(opts.get("--batch", "100")) if literal_plus and "MULTIAPPEND" in caps else 1
    batch = max(1, batch)
    fbytes = astring(folder)
    failures = 0
    count = 0

    def message_args(raw):
        parts = []
        if flags:
            parts.append(b"(" + flags.encode() + b")")
        if opts.get("--internaldate"):
            d = imap_date(raw)
            if d:
                parts.append(d.encode())
        return b" ".join(parts + [b""])

    def report(group, line):
        nonlocal count
        count += len(group)
        if not opts.get("--json"):
            return
        m = re.search(rb"\[APPENDUID (\d+) ([0-9:,]+)\]", line)
        uids = uid_set(m.group(2)) if m else []
        for i, f in enumerate(group):
            print(json.dumps({"file": f, "uidvalidity": int(m.group(1)) if m else None,
                              "uid": uids[i] if i < len(uids) else None}), flush=True)

    def append_sync(f, raw):
        """One message with a synchronizing literal; returns (ok, tagged line)."""
        t = c.tag()
        c.sock.sendall(t + b" APPEND " + fbytes + b" " + message_args(raw) + b"{%d}\r\n" % len(raw))
        line = c.readline()
        if not line.startswith(b"+"):
            return False, line
        c.sock.sendall(raw + b"\r\n")
        line, _ = c.read_tagged(t)
        return line.split(b" ", 2)[1:2] == [b"OK"], line

    for i in range(0, len(files), batch):
        group = files[i:i + batch]
        raws = []
        for f in group:
            with open(f, "rb") as fh:
                raws.append(fh.read())
        if len(group) == 1 and not literal_plus:
            ok, line = append_sync(group[0], raws[0])
            if ok:
                report(group, line)
            else:
                failures += 1
                print("deliver.py: APPEND %s refused: %s"
                      % (group[0], line.decode("utf-8", "replace").strip()), file=sys.stderr)
            continue
        # one APPEND command for the whole group (MULTIAPPEND when it has more than one
        # message: a single server transaction)
        t = c.tag()
        out = [t + b" APPEND " + fbytes]
        for raw in raws:
            out.append(b" " + message_args(raw) + b"{%d+}\r\n" % len(raw))
            out.append(raw)
        out.append(b"\r\n")
        c.sock.sendall(b"".join(out))
        line, _ = c.read_tagged(t)
        if line.split(b" ", 2)[1:2] == [b"OK"]:
            report(group, line)
            continue
        # the group was refused as a whole: retry one by one to find the culprit(s)
        for f, raw in zip(group, raws):
            ok, line = append_sync(f, raw)
            if ok:
                report([f], line)
            else:
                failures += 1
                print("deliver.py: APPEND %s refused: %s"
                      % (f, line.decode("utf-8", "replace").strip()), file=sys.stderr)
    c.logout()
    print("deliver.py: appended %d of %d messages to %s" % (count, len(files), folder), file=sys.stderr)
    return 1 if failures else 0


def cmd_wait_smtp(args):
    opts, pos = parse_opts(args, {"--timeout": True})
    if len(pos) != 2:
        die("usage: deliver.py wait-smtp DIR N [--timeout S]")
    d, n = pos[0], int(pos[1])
    if os.path.isdir(os.path.join(d, "smtp")):
        d = os.path.join(d, "smtp")
    timeout = float(opts.get("--timeout", "10"))
    deadline = time.monotonic() + timeout

    def count():
        try:
            return sum(1 for x in os.listdir(d) if re.match(r"^\d+\.json$", x))
        except OSError:
            return 0

    while True:
        k = count()
        if k >= n:
            print(k)
            return 0
        if time.monotonic() >= deadline:
            print(k)
            print("deliver.py: only %d of %d messages in %s after %ss" % (k, n, d, timeout),
                  file=sys.stderr)
            return 1
        time.sleep(0.05)


# ---------------------------------------------------------------- doveadm helpers
def doveadm(conf, *args, check=True):
    p = subprocess.run(["doveadm", "-c", conf] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if check and p.returncode != 0:
        die("doveadm %s failed (%d): %s" % (" ".join(args), p.returncode,
                                             p.stderr.decode("utf-8", "replace").strip()), 1)
    return p.stdout.decode("utf-8", "replace")


def mailbox_status(conf, user, folder):
    out = doveadm(conf, "-f", "flow", "mailbox", "status", "-u", user,
                  "uidvalidity uidnext messages", folder)
    st = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", out)}
    uids_out = doveadm(conf, "-f", "flow", "fetch", "-u", user, "uid", "mailbox", folder, "ALL")
    st["uids"] = [int(x) for x in re.findall(r"uid=(\d+)", uids_out)]
    return st


def cmd_status(args):
    opts, _ = parse_opts(args, {"--conf": True, "--user": True, "--folder": True})
    for need in ("--conf", "--user", "--folder"):
        if need not in opts:
            die("status needs %s" % need)
    print(json.dumps(mailbox_status(opts["--conf"], opts["--user"], opts["--folder"])))
    return 0


def cmd_flags(args):
    opts, _ = parse_opts(args, {"--conf": True, "--user": True, "--folder": True})
    for need in ("--conf", "--user", "--folder"):
        if need not in opts:
            die("flags needs %s" % need)
    # doveadm fetch prints nothing, successfully, for a folder that does not exist
    n = mailbox_status(opts["--conf"], opts["--user"], opts["--folder"])["messages"]
    out = doveadm(opts["--conf"], "-f", "json", "fetch", "-u", opts["--user"],
                  "uid flags hdr.message-id", "mailbox", opts["--folder"], "ALL")
    rows = []
    for m in json.loads(out or "[]"):
        rows.append({"uid": int(m["uid"]),
                     "message_id": m.get("hdr.message-id") or None,
                     "flags": sorted(f for f in m["flags"].split() if f != "\\Recent")})
    rows.sort(key=lambda r: r["uid"])
    print(json.dumps(rows))
    if len(rows) != n:
        print("deliver.py: %s has %d messages but %d were fetched" % (opts["--folder"], n, len(rows)),
              file=sys.stderr)
        return 1
    return 0


def cmd_uidvalidity_reset(args):
    opts, _ = parse_opts(args, {"--conf": True, "--user": True, "--folder": True,
                                "--keep-uids": False})
    for need in ("--conf", "--user", "--folder"):
        if need not in opts:
            die("uidvalidity-reset needs %s" % need)
    conf, user, folder = opts["--conf"], opts["--user"], opts["--folder"]
    before = mailbox_status(conf, user, folder)
    new = max(before["uidvalidity"] + 1, int(time.time()))
    if opts.get("--keep-uids"):
        doveadm(conf, "mailbox", "update", "-u", user, "--uid-validity", str(new), folder)
    else:
        scratch = "uidvalidity-reset-%d-%d" % (os.getpid(), int(time.time()))
        doveadm(conf, "mailbox", "create", "-u", user, scratch)
        try:
            if before["messages"]:
                doveadm(conf, "move", "-u", user, scratch, "mailbox", folder, "ALL")
            doveadm(conf, "mailbox", "update", "-u", user, "--uid-validity", str(new), folder)
            doveadm(conf, "move", "-u", user, folder, "mailbox", scratch, "ALL")
        finally:
            left = mailbox_status(conf, user, scratch)
            if left["messages"] == 0:
                doveadm(conf, "mailbox", "delete", "-u", user, scratch, check=False)
            else:
                print("deliver.py: %d messages left in %s" % (left["messages"], scratch),
                      file=sys.stderr)
    after = mailbox_status(conf, user, folder)
    print(json.dumps({"folder": folder, "old_uidvalidity": before["uidvalidity"],
                      "new_uidvalidity": after["uidvalidity"], "messages": after["messages"],
                      "old_uids": before["uids"], "new_uids": after["uids"]}))
    if after["uidvalidity"] == before["uidvalidity"] or after["messages"] != before["messages"]:
        print("deliver.py: UIDVALIDITY reset did not work as expected", file=sys.stderr)
        return 1
    return 0


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help", "help"):
        print(__doc__)
        return 0 if len(argv) >= 2 else 2
    cmd, args = argv[1], argv[2:]
    try:
        if cmd == "append":
            return cmd_append(args)
        if cmd == "wait-smtp":
            return cmd_wait_smtp(args)
        if cmd == "status":
            return cmd_status(args)
        if cmd == "flags":
            return cmd_flags(args)
        if cmd == "uidvalidity-reset":
            return cmd_uidvalidity_reset(args)
    except (OSError, RuntimeError) as e:
        die("%s: %s" % (cmd, e), 1)
    die("unknown command %s (see deliver.py --help)" % cmd)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
