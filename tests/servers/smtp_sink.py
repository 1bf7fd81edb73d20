#!/usr/bin/python3
"""SMTP receiver for tests (aiosmtpd; run with /usr/bin/python3).

  smtp_sink.py DIR [--port P] [--auth] [--tls-cert PEM --tls-key KEY [--smtps-port P2]]
                   [--require-tls]
                   [--oidc-introspect URL --oidc-client ID --oidc-secret-file FILE]

Listens on 127.0.0.1:P (0 = any free port; the chosen port is written to DIR/smtp.port,
and the implicit-TLS port, if any, to DIR/smtps.port; DIR/smtp.pid holds the pid).

Every accepted message is stored as DIR/smtp/NNNNNN.eml (the exact DATA bytes after
dot-unstuffing, CRLF line ends as sent) and then DIR/smtp/NNNNNN.json with the envelope:
  {"id": "000001", "mail_from": "...", "rcpt_tos": [...], "received": <unix time>,
   "mail_options": [...], "rcpt_options": [...], "size": N, "tls": bool,
   "auth_user": "relay"|"troopk"|null, "auth_mechanism": "PLAIN"|"LOGIN"|"XOAUTH2"|null,
   "helo": "...", "peer": "127.0.0.1"}
Both are written to DIR/smtp-tmp/ first and renamed into DIR/smtp/, .eml before .json, so
a .json file means its message is complete.  Numbering continues after a restart.

Options:
  --auth          offer AUTH PLAIN and LOGIN and require it before MAIL
                  (user "relay", password "relay-secret"); without it no AUTH is offered.
  --tls-cert/--tls-key
                  offer STARTTLS with this certificate; with --smtps-port also listen
                  with implicit TLS (SMTPS) on that port.
  --require-tls   refuse everything but EHLO/STARTTLS/QUIT before STARTTLS (530).
  --oidc-introspect URL --oidc-client ID --oidc-secret-file FILE
                  offer AUTH XOAUTH2 and require AUTH before MAIL (PLAIN/LOGIN stay only with
                  --auth).  The bearer token is checked at URL (RFC 7662, HTTP basic auth as
                  ID and the first line of FILE): it must be active and its "username" must
                  equal the user= of the XOAUTH2 response.  Refused: the XOAUTH2 error
                  challenge (334 + base64 JSON), the client's empty line, then 535 5.7.8.

Fault injection, read for every transaction so a running test can change it:
DIR/smtp-control/reply holds lines
      [STAGE:][delay=SECONDS ]REPLY
  STAGE is mail, rcpt or data (default data).  When a transaction reaches STAGE and the
  FIRST line of the file is for that stage, the line is removed and used:
    REPLY = "451 4.3.0 try again later" / "550 5.1.1 no such user"  -> that reply, message
            not stored
    REPLY = "421 ..." -> that reply, then the connection is closed
    REPLY = "250 ..." -> accepted (stored at the data stage) with that reply text
    REPLY = "drop"    -> the connection is closed without a reply
  delay=SECONDS waits that long before answering.  A missing or empty file means 250.
  Write the file atomically (write a temporary file, then rename) when a message may be in
  flight.  Every consumed line is appended to DIR/smtp-control/consumed.
"""
import asyncio
import base64
import binascii
import json
import os
import re
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from aiosmtpd.smtp import MISSING, SMTP, AuthResult, LoginPassword

RELAY_USER = "relay"
RELAY_PASSWORD = "relay-secret"
STAGES = ("mail", "rcpt", "data")
LINE_RE = re.compile(r"^\s*(?:(mail|rcpt|data)\s*:\s*)?(?:delay=([0-9.]+)\s+)?(.*?)\s*$", re.I)


def log(msg):
    sys.stdout.write("%s %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stdout.flush()


def atomic_write(tmpdir, path, data):
    tmp = os.path.join(tmpdir, os.path.basename(path) + ".tmp.%d" % os.getpid())
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, path)


class BearerLogin:
    """auth_data of an XOAUTH2 login: the user it named (the token is not kept)."""
    def __init__(self, login):
        self.login = login


class Introspector:
    """Asks the OpenID provider whether a bearer token is active, and for whom."""
    def __init__(self, url, client, secret_file):
        with open(secret_file, encoding="utf-8") as f:
            secret = f.readline().strip()
        self.url = url
        basic = "%s:%s" % (urllib.parse.quote(client, safe=""), urllib.parse.quote(secret, safe=""))
        self.auth = "Basic " + base64.b64encode(basic.encode()).decode()

    def username(self, token):
        """The token's username if the provider says it is active, else None."""
        req = urllib.request.Request(
            self.url, data=urllib.parse.urlencode({"token": token}).encode(), method="POST",
            headers={"Authorization": self.auth,
                     "Content-Type": "application/x-www-form-urlencoded",
                     "Accept": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                body = json.loads(r.read().decode("utf-8"))
        except (OSError, ValueError, urllib.error.URLError) as e:
            log("introspection failed: %s" % e)
            return None
        if body.get("active") is not True:
            return None
        return body.get("username")


def parse_xoauth2(raw):
    """user=U^Aauth=Bearer T^A^A -> (U, T), or None if malformed."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    fields = {}
    for part in text.split("\x01"):
        if "=" in part:
            k, v = part.split("=", 1)
            fields[k.lower()] = v
    user, auth = fields.get("user"), fields.get("auth", "")
    if not user or not auth.lower().startswith("bearer "):
        return None
    return user, auth[7:].strip()


class Sink:
    def __init__(self, d, auth, introspector=None):
        self.dir = d
        self.store = os.path.join(d, "smtp")
        self.tmp = os.path.join(d, "smtp-tmp")
        self.control_dir = os.path.join(d, "smtp-control")
        self.control = os.path.join(self.control_dir, "reply")
        self.auth = auth
        self.introspector = introspector
        for p in (self.store, self.tmp, self.control_dir):
            os.makedirs(p, exist_ok=True)
        last = 0
        for name in os.listdir(self.store):
            m = re.match(r"^(\d+)\.(eml|json)$", name)
            if m:
                last = max(last, int(m.group(1)))
        self.counter = last

    # ---- fault injection -------------------------------------------------
    def take(self, stage):
        """Return (delay, reply) if the first control line is for STAGE, consuming it."""
        try:
            with open(self.control, "r", encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
        except OSError:
            return None
        while lines and not lines[0].strip():
            lines.pop(0)
        if not lines:
            return None
        m = LINE_RE.match(lines[0])
        line_stage = (m.group(1) or "data").lower()
        if line_stage != stage:
            return None
        first = lines.pop(0)
        rest = "".join(l + "\n" for l in lines)
        atomic_write(self.control_dir, self.control, rest.encode())
        with open(os.path.join(self.control_dir, "consumed"), "a") as f:
            f.write(first.strip() + "\n")
        delay = float(m.group(2)) if m.group(2) else 0.0
        reply = m.group(3)
        if reply.lower() != "drop" and not re.match(r"^[2-5]\d\d([ -].*)?$", reply):
            log("bad control line %r, answering 451" % first)
            reply = "451 4.3.0 bad line in smtp-control/reply"
        log("control: %s -> %r (delay %s)" % (stage, reply, delay))
        return delay, reply

    async def fault(self, server, stage):
        """Apply a fault for STAGE; return a reply to send instead of normal processing,
        or a (2xx) reply to use as the success text, or None."""
        f = self.take(stage)
        if f is None:
            return None
        delay, reply = f
        if delay:
            await asyncio.sleep(delay)
        if reply.lower() == "drop":
            server.transport.close()
            await asyncio.Event().wait()  # cancelled when the connection is gone
        if reply.startswith("421"):
            asyncio.get_running_loop().call_soon(server.transport.close)
        return reply

    # ---- aiosmtpd hooks --------------------------------------------------
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if not self.auth and self.introspector is None:
            responses = [r for r in responses if not r[4:].startswith("AUTH")]
        return responses

    async def auth_XOAUTH2(self, server, args):
        """AUTH XOAUTH2 [initial-response] (Google's and Microsoft's SASL mechanism)."""
        if len(args) == 2:
            try:
                raw = base64.b64decode(args[1].encode(), validate=True)
            except (binascii.Error, ValueError):
                await server.push("501 5.5.2 Can't decode base64")
                return AuthResult(success=False, handled=True)
        else:
            raw = await server.challenge_auth("")
            if raw is MISSING:
                return AuthResult(success=False, handled=True)
        parsed = parse_xoauth2(raw)
        if parsed is None:
            log("AUTH XOAUTH2 malformed initial response")
            await server.push("501 5.5.2 malformed XOAUTH2 response")
            return AuthResult(success=False, handled=True)
        user, token = parsed
        who = await asyncio.to_thread(self.introspector.username, token)
        if who is not None and who == user:
            log("AUTH XOAUTH2 user=%s ok" % user)
            server.session.auth_mechanism = "XOAUTH2"
            return AuthResult(success=True, auth_data=BearerLogin(user.encode()))
        log("AUTH XOAUTH2 user=%s refused (%s)"
            % (user, "token not active" if who is None else "token is for %s" % who))
        # the XOAUTH2 failure: an error challenge the client answers with an empty line
        err = json.dumps({"status": "401", "schemes": "bearer", "scope": "https://mail.example/"})
        await server.challenge_auth(err)
        return AuthResult(success=False, handled=False, message="535 5.7.8 Authentication credentials invalid")

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        r = await self.fault(server, "mail")
        if r is not None and not r.startswith("2"):
            return r
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return r or "250 2.1.0 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        r = await self.fault(server, "rcpt")
        if r is not None and not r.startswith("2"):
            return r
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.append(list(rcpt_options))
        return r or "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        r = await self.fault(server, "data")
        if r is not None and not r.startswith("2"):
            log("refused message from %r to %r: %s" % (envelope.mail_from, envelope.rcpt_tos, r))
            return r
        self.counter += 1
        mid = "%06d" % self.counter
        data = envelope.original_content or b""
        tls = server._tls_protocol is not None or (
            server.transport is not None and server.transport.get_extra_info("ssl_object") is not None)
        auth_user = auth_mechanism = None
        login = getattr(session.auth_data, "login", None)  # LoginPassword or BearerLogin
        if session.authenticated and login is not None:
            auth_user = login.decode("utf-8", "replace")
            auth_mechanism = getattr(session, "auth_mechanism", None)
        meta = {
            "id": mid,
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "received": round(time.time(), 3),
            "mail_options": list(envelope.mail_options),
            "rcpt_options": list(envelope.rcpt_options),
            "size": len(data),
            "tls": bool(tls),
            "auth_user": auth_user,
            "auth_mechanism": auth_mechanism,
            "helo": session.host_name,
            "peer": session.peer[0] if session.peer else None,
        }
        atomic_write(self.tmp, os.path.join(self.store, mid + ".eml"), data)
        atomic_write(self.tmp, os.path.join(self.store, mid + ".json"),
                     (json.dumps(meta, ensure_ascii=False, indent=1) + "\n").encode())
        log("stored %s from %r to %r (%d bytes, tls=%s, auth=%s)"
            % (mid, envelope.mail_from, envelope.rcpt_tos, len(data), tls, auth_user))
        return r or "250 2.0.0 OK queued as %s" % mid


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword)
          and auth_data.login == RELAY_USER.encode()
          and auth_data.password == RELAY_PASSWORD.encode())
    log("AUTH %s %s" % (mechanism, "ok" if ok else "refused"))
    if ok:
        session.auth_mechanism = mechanism
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


def atomic_text(path, text):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, path)


async def serve(args):
    d = args["dir"]
    introspector = None
    if args["oidc_introspect"]:
        introspector = Introspector(args["oidc_introspect"], args["oidc_client"], args["oidc_secret_file"])
    sink = Sink(d, args["auth"], introspector)
    # aiosmtpd offers every auth_* method of the handler: XOAUTH2 only with a provider, and
    # with one, PLAIN/LOGIN only with --auth
    exclude = []
    if introspector is None:
        exclude.append("XOAUTH2")
    elif not args["auth"]:
        exclude += ["PLAIN", "LOGIN"]
    tls_ctx = None
    if args["tls_cert"]:
        tls_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_ctx.load_cert_chain(args["tls_cert"], args["tls_key"])

    def factory(implicit_tls):
        def make():
            return SMTP(
                sink,
                hostname="localhost",
                ident="liaison-test-smtp-sink",
                data_size_limit=64 * 1024 * 1024,
                enable_SMTPUTF8=True,
                decode_data=False,
                tls_context=None if implicit_tls else tls_ctx,
                require_starttls=bool(args["require_tls"] and tls_ctx and not implicit_tls),
                auth_required=args["auth"] or introspector is not None,
                auth_require_tls=False,
                auth_exclude_mechanism=exclude,
                authenticator=authenticator,
                timeout=300,
            )
        return make

    loop = asyncio.get_running_loop()
    server = await loop.create_server(factory(False), host="127.0.0.1", port=args["port"])
    port = server.sockets[0].getsockname()[1]
    servers = [server]
    smtps_port = None
    if tls_ctx is not None and args["smtps_port"] is not None:
        s2 = await loop.create_server(factory(True), host="127.0.0.1", port=args["smtps_port"],
                                      ssl=tls_ctx)
        smtps_port = s2.sockets[0].getsockname()[1]
        servers.append(s2)
        atomic_text(os.path.join(d, "smtps.port"), "%d\n" % smtps_port)
    atomic_text(os.path.join(d, "smtp.port"), "%d\n" % port)
    log("listening on 127.0.0.1:%d%s (auth=%s, xoauth2=%s, starttls=%s), storing in %s"
        % (port, ", smtps %d" % smtps_port if smtps_port else "", args["auth"],
           introspector is not None, tls_ctx is not None, sink.store))
    await asyncio.Event().wait()


def main(argv):
    if len(argv) < 2 or argv[1].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    args = {"dir": os.path.abspath(argv[1]), "port": 0, "auth": False, "tls_cert": None,
            "tls_key": None, "smtps_port": None, "require_tls": False,
            "oidc_introspect": None, "oidc_client": None, "oidc_secret_file": None}
    rest = argv[2:]
    while rest:
        a = rest.pop(0)
        if a == "--port":
            args["port"] = int(rest.pop(0))
        elif a == "--smtps-port":
            args["smtps_port"] = int(rest.pop(0))
        elif a == "--auth":
            args["auth"] = True
        elif a == "--tls-cert":
            args["tls_cert"] = rest.pop(0)
        elif a == "--tls-key":
            args["tls_key"] = rest.pop(0)
        elif a == "--require-tls":
            args["require_tls"] = True
        elif a in ("--oidc-introspect", "--oidc-client", "--oidc-secret-file"):
            args[a[2:].replace("-", "_")] = rest.pop(0)
        else:
            print("smtp_sink.py: unknown option %s" % a, file=sys.stderr)
            return 2
    if bool(args["tls_cert"]) != bool(args["tls_key"]):
        print("smtp_sink.py: --tls-cert and --tls-key go together", file=sys.stderr)
        return 2
    oidc = [args["oidc_introspect"], args["oidc_client"], args["oidc_secret_file"]]
    if any(oidc) and not all(oidc):
        print("smtp_sink.py: --oidc-introspect, --oidc-client and --oidc-secret-file go together",
              file=sys.stderr)
        return 2
    atomic_text(os.path.join(args["dir"], "smtp.pid"), "%d\n" % os.getpid())
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
