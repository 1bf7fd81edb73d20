#!/usr/bin/python3
"""Tiny RFC 7662 token introspection endpoint for the test Dovecot (run with /usr/bin/python3).

  oauth2_introspect.py DIR [--port P]

Listens on 127.0.0.1:P (P=0: any free port) and answers POST /introspect (form field
`token`): {"active": true, "username": USER} when the token is listed in
DIR/oauth2/valid-token, else {"active": false}.  The file is re-read on every request so a
test can rotate or revoke tokens at any time.  Each non-empty line of the file is
`TOKEN [USERNAME]` (USERNAME defaults to troopk); a file holding just one token is the usual
case.  Writes DIR/oauth2.pid at start and DIR/oauth2.port once listening; logs every
request (token shortened) on stdout.
"""
import json
import os
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEFAULT_USER = "troopk"


def atomic_write(path, data):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w") as f:
        f.write(data)
    os.rename(tmp, path)


class Handler(BaseHTTPRequestHandler):
    server_version = "liaison-test-introspect/1"
    token_file = None

    def log_message(self, fmt, *args):
        sys.stdout.write("%s %s\n" % (time.strftime("%H:%M:%S"), fmt % args))
        sys.stdout.flush()

    def valid_tokens(self):
        tokens = {}
        try:
            with open(self.token_file, encoding="utf-8", errors="replace") as f:
                for line in f:
                    parts = line.split()
                    if parts:
                        tokens[parts[0]] = parts[1] if len(parts) > 1 else DEFAULT_USER
        except OSError:
            pass
        return tokens

    def answer(self, token):
        tokens = self.valid_tokens()
        if token is not None and token in tokens:
            body = {"active": True, "username": tokens[token], "scope": "imap smtp",
                    "token_type": "Bearer", "exp": int(time.time()) + 3600}
        else:
            body = {"active": False}
        data = json.dumps(body).encode()
        short = (token[:6] + "...") if token else repr(token)
        self.log_message("introspect token=%s -> active=%s", short, body["active"])
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        path = urllib.parse.urlsplit(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        if path != "/introspect":
            self.send_error(404)
            return
        form = urllib.parse.parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
        token = form.get("token", [None])[0]
        if token is None:
            # some clients send the token as a bearer header instead
            auth = self.headers.get("Authorization") or ""
            if auth.lower().startswith("bearer "):
                token = auth[7:].strip()
        self.answer(token)

    def do_GET(self):
        parts = urllib.parse.urlsplit(self.path)
        if parts.path == "/health":
            data = b"ok\n"
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        if parts.path == "/introspect":
            token = urllib.parse.parse_qs(parts.query).get("token", [None])[0]
            self.answer(token)
            return
        self.send_error(404)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    d = os.path.abspath(argv[1])
    port = 0
    if "--port" in argv:
        port = int(argv[argv.index("--port") + 1])
    Handler.token_file = os.path.join(d, "oauth2", "valid-token")
    atomic_write(os.path.join(d, "oauth2.pid"), "%d\n" % os.getpid())
    ThreadingHTTPServer.allow_reuse_address = True
    ThreadingHTTPServer.daemon_threads = True
    httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    atomic_write(os.path.join(d, "oauth2.port"), "%d\n" % httpd.server_address[1])
    print("listening on 127.0.0.1:%d, tokens in %s" % (httpd.server_address[1], Handler.token_file),
          flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
