#!/usr/bin/python3
"""Checks for tests/servers (called by selftest.sh): selftest.py DIR

DIR was started with start.sh DIR --tls --oauth2 --smtp-auth.  Prints one line per check,
"selftest: ok   NAME" or "selftest: FAIL NAME: reason"; exit status 1 if any failed.
"""
import imaplib
import json
import os
import re
import select
import smtplib
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PY = "/usr/bin/python3"
DIR = os.path.abspath(sys.argv[1])
ENV = {}
results = []


def load_env():
    ENV.clear()
    with open(os.path.join(DIR, "env.sh")) as f:
        for line in f:
            m = re.match(r"^([A-Z0-9_]+)='(.*)'$", line.rstrip("\n"))
            if m:
                ENV[m.group(1)] = m.group(2)


def check(name):
    def deco(fn):
        t0 = time.monotonic()
        try:
            fn()
            results.append(True)
            print("selftest: ok   %s%s" % (name, timing(t0)), flush=True)
        except Exception as e:  # noqa: BLE001 - report every failure the same way
            results.append(False)
            detail = "%s: %s" % (type(e).__name__, e)
            print("selftest: FAIL %s: %s" % (name, detail), flush=True)
            if os.environ.get("SELFTEST_VERBOSE"):
                traceback.print_exc()
        return fn
    return deco


def timing(t0):
    if os.environ.get("SELFTEST_VERBOSE"):
        return " [%.2fs]" % (time.monotonic() - t0)
    return ""


def expect(cond, msg):
    if not cond:
        raise AssertionError(msg)


def run(*args, timeout=60, ok=True):
    p = subprocess.run(list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    if ok and p.returncode != 0:
        raise AssertionError("%s exited %d: %s" % (" ".join(map(str, args)), p.returncode,
                                                    p.stderr.decode("utf-8", "replace").strip()[-500:]))
    return p


def imap(user="troopk", password=None, port=None):
    c = imaplib.IMAP4("127.0.0.1", port or int(ENV["IMAP_PORT"]), timeout=20)
    if user:
        c.login(user, password or user + "-secret")
    return c


def ca_ctx(cafile=None):
    ctx = ssl.create_default_context(cafile=cafile or ENV["TLS_CA"])
    return ctx


def xoauth2(token, user="troopk"):
    return ("user=%s\x01auth=Bearer %s\x01\x01" % (user, token)).encode()


def oauthbearer(token, user="troopk"):
    return ("n,a=%s,\x01auth=Bearer %s\x01\x01" % (user, token)).encode()


def sasl_login(mech, blob):
    c = imap(user=None)
    sent = []

    def cb(_challenge):
        if sent:
            return b""  # answer the error challenge with an empty response
        sent.append(1)
        return blob

    try:
        typ, _ = c.authenticate(mech, cb)
        ok = typ == "OK"
        if ok:
            c.select("INBOX")
    except imaplib.IMAP4.error:
        ok = False
    try:
        c.logout()
    except Exception:
        pass
    return ok


def valid_token():
    with open(ENV["OAUTH2_TOKEN_FILE"]) as f:
        return f.read().split()[0]


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, path)


def smtp_count():
    return len([x for x in os.listdir(ENV["SMTP_DIR"]) if x.endswith(".json")])


def smtp_client(port=None, starttls=False, login=True):
    s = smtplib.SMTP("127.0.0.1", port or int(ENV["SMTP_PORT"]), timeout=20)
    s.ehlo("selftest.example")
    if starttls:
        s.starttls(context=ca_ctx())
        s.ehlo("selftest.example")
    if login:
        s.login(ENV["SMTP_USER"], ENV["SMTP_PASSWORD"])
    return s


def newest_smtp():
    names = sorted(x for x in os.listdir(ENV["SMTP_DIR"]) if x.endswith(".json"))
    base = os.path.join(ENV["SMTP_DIR"], names[-1][:-5])
    with open(base + ".json") as f:
        meta = json.load(f)
    with open(base + ".eml", "rb") as f:
        data = f.read()
    return meta, data


SAMPLE = (b"From: Ana <ana@example.org>\r\n"
          b"To: troopk@example.org\r\n"
          b"Date: Tue, 05 Mar 2024 14:07:09 -0300\r\n"
          b"Message-ID: <selftest-1@example.org>\r\n"
          b"Subject: =?UTF-8?Q?Pr=C3=BCfung?=\r\n"
          b"MIME-Version: 1.0\r\n"
          b"Content-Type: text/plain; charset=utf-8\r\n"
          b"Content-Transfer-Encoding: 8bit\r\n"
          b"\r\n"
          b"Hola, se\xc3\xb1or. Trailing spaces   \r\n"
          b".a line starting with a dot\r\n"
          b".\r\n"
          b"\tindented \x7f\r\n"
          + b"x" * 900 + b"\r\n"
          b"last line\r\n")


def main():
    load_env()
    tmpdir = tempfile.mkdtemp(prefix="selftest-msgs-")
    sample_file = os.path.join(tmpdir, "sample.eml")
    with open(sample_file, "wb") as f:
        f.write(SAMPLE)
    port = int(ENV["IMAP_PORT"])

    # ------------------------------------------------------------ IMAP
    @check("imap: LOGIN troopk, SELECT INBOX, CAPABILITY has IDLE UIDPLUS MOVE")
    def _():
        c = imap()
        typ, _ = c.select("INBOX")
        expect(typ == "OK", "SELECT INBOX failed")
        typ, data = c.capability()
        caps = set(data[0].decode().upper().split())
        for cap in ("IDLE", "UIDPLUS", "MOVE"):
            expect(cap in caps, "%s missing from %s" % (cap, sorted(caps)))
        c.logout()

    @check("imap: troopl and demo log in; a wrong password is refused")
    def _():
        imap("troopl").logout()
        imap("demo").logout()
        try:
            imap("troopk", "wrong-password")
        except imaplib.IMAP4.error:
            return
        raise AssertionError("wrong password accepted")

    @check("imap: INBOX and Sent (\\Sent) exist for troopk, troopl, demo")
    def _():
        for u in ("troopk", "troopl", "demo"):
            c = imap(u)
            typ, data = c.list()
            lines = [d.decode() for d in data]
            expect(any(l.endswith(" INBOX") for l in lines), "%s: no INBOX in %s" % (u, lines))
            expect(any("\\Sent" in l and l.endswith(" Sent") for l in lines),
                   "%s: no \\Sent Sent in %s" % (u, lines))
            c.logout()

    state = {}

    @check("imap: deliver.py append + UID FETCH BODY.PEEK[] is byte-exact")
    def _():
        p = run(PY, os.path.join(HERE, "deliver.py"), "append", "--port", str(port),
                "--user", "troopk", "--password", "troopk-secret", "--folder", "INBOX",
                "--internaldate", "--json", sample_file)
        info = json.loads(p.stdout.decode().splitlines()[0])
        state["uid"], state["uidvalidity"] = info["uid"], info["uidvalidity"]
        c = imap()
        c.select("INBOX", readonly=True)
        typ, data = c.uid("FETCH", str(info["uid"]), "(BODY.PEEK[] INTERNALDATE)")
        expect(typ == "OK", "FETCH failed")
        body = data[0][1]
        expect(body == SAMPLE, "bytes differ (%d vs %d bytes)" % (len(body), len(SAMPLE)))
        # Dovecot keeps the instant, not the zone: 14:07:09 -0300 may come back as +0000
        got = time.mktime(imaplib.Internaldate2tuple(data[0][0]))
        want = time.mktime(imaplib.Internaldate2tuple(b'INTERNALDATE "05-Mar-2024 14:07:09 -0300"'))
        expect(got == want, "INTERNALDATE not from Date header: %r" % data[0][0])
        c.logout()

    @check("imap: IDLE reports a message appended by another client")
    def _():
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        f = s.makefile("rb")
        f.readline()
        s.sendall(b"a LOGIN troopk troopk-secret\r\nb SELECT INBOX\r\n")
        while not f.readline().startswith(b"b OK"):
            pass
        s.sendall(b"c IDLE\r\n")
        expect(f.readline().startswith(b"+"), "no IDLE continuation")
        run(PY, os.path.join(HERE, "deliver.py"), "append", "--port", str(port),
            "--user", "troopk", "--password", "troopk-secret", sample_file)
        deadline = time.monotonic() + 10
        seen = False
        while time.monotonic() < deadline and not seen:
            r, _, _ = select.select([s], [], [], 0.5)
            if r:
                line = f.readline()
                seen = line.startswith(b"* ") and line.rstrip().endswith(b"EXISTS")
        expect(seen, "no EXISTS while idling")
        s.sendall(b"DONE\r\nd LOGOUT\r\n")
        s.close()

    @check("imap: UID MOVE INBOX -> Sent (APPENDUID/COPYUID via UIDPLUS)")
    def _():
        c = imap()
        c.select("INBOX")
        typ, data = c.uid("MOVE", str(state["uid"]), "Sent")
        expect(typ == "OK", "MOVE failed: %r" % data)
        typ, data = c.select("Sent", readonly=True)
        expect(int(data[0]) >= 1, "Sent is empty after MOVE")
        typ, data = c.fetch("1", "(BODY.PEEK[])")
        expect(data[0][1] == SAMPLE, "moved message differs")
        c.logout()

    # ------------------------------------------------------------ TLS
    @check("tls: STARTTLS on IMAP_PORT verifies with tls/ca.pem for localhost")
    def _():
        c = imaplib.IMAP4("localhost", port, timeout=20)
        c.starttls(ssl_context=ca_ctx())
        c.login("troopk", "troopk-secret")
        c.logout()

    @check("tls: IMAPS verifies with tls/ca.pem for localhost and 127.0.0.1")
    def _():
        for host in ("localhost", "127.0.0.1"):
            c = imaplib.IMAP4_SSL(host, int(ENV["IMAPS_PORT"]), ssl_context=ca_ctx(), timeout=20)
            c.login("troopk", "troopk-secret")
            c.logout()

    def expect_tls_refused(fn, want=None):
        try:
            c = fn()
        except ssl.SSLCertVerificationError as e:
            if want and want not in str(e):
                raise AssertionError("refused for another reason: %s" % e)
            return str(e)
        try:
            c.logout()
        except Exception:
            pass
        raise AssertionError("TLS connection was accepted")

    @check("tls: IMAPS without the test CA (system trust store) is refused")
    def _():
        expect_tls_refused(lambda: imaplib.IMAP4_SSL(
            "localhost", int(ENV["IMAPS_PORT"]), ssl_context=ssl.create_default_context(),
            timeout=20), "unable to get local issuer")

    @check("tls: IMAPS trusting only tls/other-ca.pem is refused")
    def _():
        expect_tls_refused(lambda: imaplib.IMAP4_SSL(
            "localhost", int(ENV["IMAPS_PORT"]), ssl_context=ca_ctx(ENV["TLS_OTHER_CA"]),
            timeout=20))

    @check("tls: IMAPS_WRONG_PORT (cert for wronghost.example) fails hostname verification only")
    def _():
        expect_tls_refused(lambda: imaplib.IMAP4_SSL(
            "localhost", int(ENV["IMAPS_WRONG_PORT"]), ssl_context=ca_ctx(), timeout=20),
            "Hostname mismatch")
        ctx = ca_ctx()
        ctx.check_hostname = False  # chain still verified: only the name is wrong
        c = imaplib.IMAP4_SSL("localhost", int(ENV["IMAPS_WRONG_PORT"]), ssl_context=ctx, timeout=20)
        cert = c.sock.getpeercert()
        expect(("DNS", "wronghost.example") in cert.get("subjectAltName", ()), "unexpected cert %r" % cert)
        c.logout()

    @check("tls: STARTTLS on IMAP_WRONG_PORT fails hostname verification")
    def _():
        def fn():
            c = imaplib.IMAP4("localhost", int(ENV["IMAP_WRONG_PORT"]), timeout=20)
            c.starttls(ssl_context=ca_ctx())
            return c
        expect_tls_refused(fn, "Hostname mismatch")

    # ------------------------------------------------------------ OAuth2
    @check("oauth2: introspection endpoint answers RFC 7662 JSON")
    def _():
        def ask(tok):
            req = urllib.request.Request(ENV["OAUTH2_URL"], data=("token=" + tok).encode(),
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
            with urllib.request.urlopen(req, timeout=10) as r:
                return json.loads(r.read())
        good = ask(valid_token())
        expect(good.get("active") is True and good.get("username") == "troopk", "good: %r" % good)
        bad = ask("nope")
        expect(bad == {"active": False}, "bad: %r" % bad)

    @check("oauth2: XOAUTH2 with the valid token logs in as troopk")
    def _():
        expect(sasl_login("XOAUTH2", xoauth2(valid_token())), "refused")

    @check("oauth2: XOAUTH2 with a bad token is refused")
    def _():
        expect(not sasl_login("XOAUTH2", xoauth2("bad-" + valid_token())), "accepted")

    @check("oauth2: XOAUTH2 with the valid token for another user is refused")
    def _():
        expect(not sasl_login("XOAUTH2", xoauth2(valid_token(), user="troopl")), "accepted")

    @check("oauth2: OAUTHBEARER with the valid token logs in")
    def _():
        expect(sasl_login("OAUTHBEARER", oauthbearer(valid_token())), "refused")

    @check("oauth2: rotating oauth2/valid-token revokes the old token")
    def _():
        old = valid_token()
        new = "rotated-%d" % os.getpid()
        write_atomic(ENV["OAUTH2_TOKEN_FILE"], new + "\n")
        try:
            expect(not sasl_login("XOAUTH2", xoauth2(old)), "old token still accepted")
            expect(sasl_login("XOAUTH2", xoauth2(new)), "new token refused")
        finally:
            write_atomic(ENV["OAUTH2_TOKEN_FILE"], old + "\n")

    # ------------------------------------------------------------ SMTP
    control = ENV["SMTP_CONTROL"]

    @check("smtp: AUTH required (530), wrong password 535, relay/relay-secret accepted")
    def _():
        s = smtp_client(login=False)
        code, _ = s.mail("a@example.org")
        expect(code == 530, "MAIL without AUTH got %d" % code)
        try:
            s.login("relay", "wrong")
            raise AssertionError("wrong password accepted")
        except smtplib.SMTPAuthenticationError as e:
            expect(e.smtp_code == 535, "got %r" % e)
        s.quit()
        for mech in ("PLAIN", "LOGIN"):
            s = smtp_client(login=False)
            s.user, s.password = "relay", "relay-secret"
            code, _ = s.auth(mech, getattr(s, "auth_" + mech.lower()))
            expect(code == 235, "%s got %d" % (mech, code))
            s.quit()

    @check("smtp: message stored byte-exact as NNNNNN.eml with NNNNNN.json envelope")
    def _():
        before = smtp_count()
        s = smtp_client()
        s.sendmail("troopk@example.org", ["x@example.net", "y@example.net"], SAMPLE,
                   mail_options=["BODY=8BITMIME"])
        s.quit()
        run(PY, os.path.join(HERE, "deliver.py"), "wait-smtp", DIR, str(before + 1), "--timeout", "10")
        meta, data = newest_smtp()
        expect(data == SAMPLE, "stored bytes differ")
        expect(meta["mail_from"] == "troopk@example.org", "mail_from %r" % meta["mail_from"])
        expect(meta["rcpt_tos"] == ["x@example.net", "y@example.net"], "rcpt_tos %r" % meta["rcpt_tos"])
        expect(abs(meta["received"] - time.time()) < 60, "received %r" % meta["received"])
        expect(meta["auth_user"] == "relay" and meta["tls"] is False, "meta %r" % meta)
        expect(re.match(r"^\d{6}$", meta["id"]), "id %r" % meta["id"])
        expect(not os.listdir(os.path.join(DIR, "smtp-tmp")), "smtp-tmp not empty")

    @check("smtp: control file 451 then 250 (one line consumed per message)")
    def _():
        write_atomic(control, "451 4.3.0 try again later\n")
        before = smtp_count()
        s = smtp_client()
        try:
            s.sendmail("troopk@example.org", ["x@example.net"], SAMPLE)
            raise AssertionError("first message accepted")
        except smtplib.SMTPDataError as e:
            expect(e.smtp_code == 451 and b"try again later" in e.smtp_error, "got %r" % e)
        s.sendmail("troopk@example.org", ["x@example.net"], SAMPLE)
        s.quit()
        expect(smtp_count() == before + 1, "expected exactly one new message")
        with open(control) as f:
            expect(f.read().strip() == "", "control file not emptied")

    @check("smtp: control 'rcpt: 550', '550' at DATA, and '421' closes the connection")
    def _():
        write_atomic(control, "rcpt: 550 5.1.1 no such user\n550 5.7.1 content rejected\n"
                              "421 4.3.2 shutting down\n")
        before = smtp_count()
        s = smtp_client()
        try:
            s.sendmail("troopk@example.org", ["nobody@example.net"], SAMPLE)
            raise AssertionError("rcpt accepted")
        except smtplib.SMTPRecipientsRefused as e:
            code = e.recipients["nobody@example.net"][0]
            expect(code == 550, "rcpt got %r" % (e.recipients,))
        s.rset()
        try:
            s.sendmail("troopk@example.org", ["x@example.net"], SAMPLE)
            raise AssertionError("data accepted")
        except smtplib.SMTPDataError as e:
            expect(e.smtp_code == 550, "data got %r" % e)
        try:
            s.sendmail("troopk@example.org", ["x@example.net"], SAMPLE)
            raise AssertionError("421 not given")
        except (smtplib.SMTPDataError, smtplib.SMTPServerDisconnected) as e:
            expect(getattr(e, "smtp_code", 421) == 421, "got %r" % e)
        try:
            s.noop()
            raise AssertionError("connection still open after 421")
        except (smtplib.SMTPServerDisconnected, OSError):
            pass
        expect(smtp_count() == before, "a refused message was stored")

    @check("smtp: control 'drop' closes without a reply; 'delay=1 250' waits")
    def _():
        write_atomic(control, "drop\ndelay=1 250 2.0.0 slow but fine\n")
        before = smtp_count()
        s = smtp_client()
        try:
            s.sendmail("troopk@example.org", ["x@example.net"], SAMPLE)
            raise AssertionError("drop did not drop")
        except (smtplib.SMTPServerDisconnected, OSError):
            pass
        s = smtp_client()
        t0 = time.monotonic()
        s.sendmail("troopk@example.org", ["x@example.net"], SAMPLE)
        expect(time.monotonic() - t0 >= 0.9, "no delay")
        s.quit()
        expect(smtp_count() == before + 1, "expected exactly one new message")

    @check("smtp: STARTTLS verifies with tls/ca.pem; envelope says tls=true")
    def _():
        s = smtp_client(starttls=True)
        s.sendmail("troopk@example.org", ["tls@example.net"], SAMPLE)
        s.quit()
        meta, data = newest_smtp()
        expect(meta["tls"] is True and meta["rcpt_tos"] == ["tls@example.net"] and data == SAMPLE,
               "meta %r" % meta)

    @check("smtp: SMTPS (implicit TLS) on SMTPS_PORT")
    def _():
        s = smtplib.SMTP_SSL("localhost", int(ENV["SMTPS_PORT"]), context=ca_ctx(), timeout=20)
        s.login("relay", "relay-secret")
        s.sendmail("troopk@example.org", ["smtps@example.net"], SAMPLE)
        s.quit()
        meta, _ = newest_smtp()
        expect(meta["tls"] is True and meta["rcpt_tos"] == ["smtps@example.net"], "meta %r" % meta)

    @check("smtp: wait-smtp gives up after its timeout")
    def _():
        t0 = time.monotonic()
        p = run(PY, os.path.join(HERE, "deliver.py"), "wait-smtp", DIR, "100000", "--timeout", "0.5",
                ok=False)
        expect(p.returncode == 1 and time.monotonic() - t0 < 5, "rc %d" % p.returncode)

    # ------------------------------------------------------------ UIDVALIDITY
    def select_info(folder):
        c = imap()
        c.select(folder, readonly=True)
        uv = int(c.response("UIDVALIDITY")[1][0])
        typ, data = c.uid("SEARCH", None, "ALL")
        uids = [int(x) for x in data[0].split()]
        bodies = []
        for u in uids:
            typ, d = c.uid("FETCH", str(u), "(BODY.PEEK[] FLAGS)")
            bodies.append((d[0][1], b"\\Flagged" in d[0][0]))
        c.logout()
        return uv, uids, bodies

    @check("uidvalidity-reset: new UIDVALIDITY, new UIDs, same bytes and flags (INBOX)")
    def _():
        c = imap()
        c.select("INBOX")
        c.uid("STORE", "1:*", "+FLAGS", "(\\Flagged)")
        c.logout()
        uv, uids, bodies = select_info("INBOX")
        expect(uids, "INBOX is empty")
        p = run(PY, os.path.join(HERE, "deliver.py"), "uidvalidity-reset", "--conf", ENV["DOVECOT_CONF"],
                "--user", "troopk", "--folder", "INBOX")
        out = json.loads(p.stdout)
        uv2, uids2, bodies2 = select_info("INBOX")
        expect(uv2 != uv and uv2 == out["new_uidvalidity"], "uidvalidity %d -> %d" % (uv, uv2))
        expect(not set(uids) & set(uids2), "UIDs reused: %r -> %r" % (uids, uids2))
        expect(bodies == bodies2, "messages or flags changed")

    @check("uidvalidity-reset --keep-uids: new UIDVALIDITY, same UIDs (Sent)")
    def _():
        uv, uids, bodies = select_info("Sent")
        run(PY, os.path.join(HERE, "deliver.py"), "uidvalidity-reset", "--conf", ENV["DOVECOT_CONF"],
            "--user", "troopk", "--folder", "Sent", "--keep-uids")
        uv2, uids2, bodies2 = select_info("Sent")
        expect(uv2 != uv and uids2 == uids and bodies2 == bodies, "%d %r -> %d %r" % (uv, uids, uv2, uids2))
        c = imap()
        typ, data = c.list()
        expect(not any(b"uidvalidity-reset" in d for d in data), "scratch folder left: %r" % data)
        c.logout()

    # ------------------------------------------------------------ restart / isolation
    @check("restart: stop.sh DIR dovecot smtp, start.sh DIR -> same ports, mail and numbering kept")
    def _():
        uv, uids, _ = select_info("INBOX")
        n = smtp_count()
        old = dict(ENV)
        run(os.path.join(HERE, "stop.sh"), DIR, "dovecot", "smtp")
        try:
            imap(user=None)
            raise AssertionError("IMAP still answers after stop")
        except OSError:
            pass
        run(os.path.join(HERE, "start.sh"), DIR)
        load_env()
        expect(ENV == old, "env.sh changed on restart")
        uv2, uids2, _ = select_info("INBOX")
        expect((uv, uids) == (uv2, uids2), "mailbox changed across restart")
        s = smtp_client()
        s.sendmail("troopk@example.org", ["again@example.net"], SAMPLE)
        s.quit()
        meta, _ = newest_smtp()
        expect(int(meta["id"]) == n + 1 and smtp_count() == n + 1, "numbering did not continue: %r" % meta["id"])

    @check("isolation: a second instance starts, works and is purged without touching this one")
    def _():
        d2 = os.path.join(os.path.dirname(DIR), "second")
        try:
            run(os.path.join(HERE, "start.sh"), d2)
            env2 = {}
            with open(os.path.join(d2, "env.sh")) as f:
                for line in f:
                    m = re.match(r"^([A-Z0-9_]+)='(.*)'$", line.rstrip("\n"))
                    if m:
                        env2[m.group(1)] = m.group(2)
            expect(env2["IMAP_PORT"] != ENV["IMAP_PORT"], "same port")
            expect("IMAPS_PORT" not in env2, "plain instance has IMAPS")
            imap(port=int(env2["IMAP_PORT"])).logout()
            s = smtplib.SMTP("127.0.0.1", int(env2["SMTP_PORT"]), timeout=20)
            s.sendmail("a@example.org", ["b@example.net"], b"Subject: x\r\n\r\ny\r\n")
            s.quit()
            run(PY, os.path.join(HERE, "deliver.py"), "wait-smtp", d2, "1", "--timeout", "5")
        finally:
            run(os.path.join(HERE, "stop.sh"), d2, "--purge", ok=False)
        expect(not os.path.exists(d2), "second DIR not purged")
        imap().logout()
        smtp_client().quit()
        expect(sasl_login("XOAUTH2", xoauth2(valid_token())), "oauth2 broken")

    for f in os.listdir(tmpdir):
        os.unlink(os.path.join(tmpdir, f))
    os.rmdir(tmpdir)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
