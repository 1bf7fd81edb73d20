#!/usr/bin/python3
"""A loopback TCP proxy in front of the test Dovecot that corrupts or cuts the IMAP stream.

  imap_proxy.py --listen-port P --upstream-port U --control FILE --log FILE [--pid-file F]

Listens on 127.0.0.1:P and connects each client to 127.0.0.1:U.  What the client sends goes
through unchanged; what the server sends is read line by line (a line ending in {N} is
followed by N bytes of literal), and the fault named in the control file is applied to the
first FETCH response that carries a literal (a message body).

The control file is read whenever a fault could fire.  Its first line is

    MODE [COUNT]

MODE is one of the names below; COUNT (default: unlimited) is how many more times the fault
fires: it is decremented each time and the line becomes "pass" at 0.  A missing or empty file
means "pass".  Every fault that fires appends "MODE" and the connection number to the log,
so a test can check that the fault really happened.

Modes (server to client):
  pass               the stream unchanged
  cut-literal        the FETCH line and half of its literal, then the connection is closed
  cut-after-literal  the whole literal, then closed before the rest of the response line
  cut-before-ok      every FETCH response, then closed before the tagged OK
  truncate           announces {N}, sends N-7 bytes and the rest of the stream after it, waits
                     a second and closes (the client reads the tagged OK as message text)
  bad-count          the literal count is replaced by {1x2}
  huge-count         the literal count is replaced by {4294967295} and the connection closed
                     after the real bytes
  garbage            a line of binary garbage before the FETCH response
  bad-untagged       an untagged line of invalid syntax ("* 7 FETCH ((( {") before it
  huge-line          an untagged OK line of 4 MiB before it (valid syntax, only long)
  stall              nothing more is sent for STALL_SECONDS (5), then the connection closes
"""
import argparse
import os
import re
import socket
import sys
import threading
import time

MODES = ("pass", "cut-literal", "cut-after-literal", "cut-before-ok", "truncate", "bad-count",
         "huge-count", "garbage", "bad-untagged", "huge-line", "stall")
LITERAL_AT_END = re.compile(rb"\{(\d+)\}\r\n$")
FETCH_LINE = re.compile(rb"^\* \d+ FETCH ")
TAGGED = re.compile(rb"^[A-Za-z0-9]+ (OK|NO|BAD)\b")
STALL_SECONDS = 5
HUGE_LINE = 4 * 1024 * 1024

control_lock = threading.Lock()
connection_counter = [0]


def take_fault(control, log):
    """The mode to apply now (consuming one COUNT), or "pass"."""
    with control_lock:
        try:
            words = open(control).read().split("\n")[0].split()
        except FileNotFoundError:
            return "pass"
        if not words or words[0] == "pass":
            return "pass"
        mode = words[0]
        if mode not in MODES:
            print("imap_proxy: unknown mode %r, passing through" % mode, file=sys.stderr)
            return "pass"
        if len(words) > 1:
            left = int(words[1]) - 1
            tmp = control + ".tmp"
            with open(tmp, "w") as f:
                f.write("%s %d\n" % (mode, left) if left > 0 else "pass\n")
            os.rename(tmp, control)
        return mode


def note(log, mode, conn_no):
    with control_lock:
        with open(log, "a") as f:
            f.write("%s %d %.3f\n" % (mode, conn_no, time.time()))


def client_to_server(client, server):
    try:
        while True:
            data = client.recv(65536)
            if not data:
                break
            server.sendall(data)
    except OSError:
        pass
    for s in (server,):
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass


class Reader:
    """Lines and literals from the server socket."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError
        self.buf += data

    def line(self):
        while b"\r\n" not in self.buf:
            self.fill()
        i = self.buf.index(b"\r\n") + 2
        out, self.buf = self.buf[:i], self.buf[i:]
        return out

    def exactly(self, n):
        while len(self.buf) < n:
            self.fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out


def server_to_client(server, client, control, log, conn_no):
    reader = Reader(server)
    mode = "pass"       # the fault of the FETCH response being forwarded
    in_fetch = False    # a faulted FETCH command's responses are being forwarded
    try:
        while True:
            line = reader.line()
            m = LITERAL_AT_END.search(line)
            starts_fetch = FETCH_LINE.match(line) is not None and m is not None
            if starts_fetch and mode == "pass":
                mode = take_fault(control, log)
                if mode != "pass":
                    note(log, mode, conn_no)
                    in_fetch = True
            if in_fetch and TAGGED.match(line) and mode == "cut-before-ok":
                return
            if in_fetch and TAGGED.match(line):
                in_fetch, mode = False, "pass"
            if not starts_fetch or not in_fetch:
                client.sendall(line)
                if m is not None:
                    client.sendall(reader.exactly(int(m.group(1))))
                continue
            n = int(m.group(1))
            if mode == "cut-literal":
                client.sendall(line)
                client.sendall(reader.exactly(n)[: n // 2])
                return
            if mode == "cut-after-literal":
                client.sendall(line + reader.exactly(n))
                return
            if mode == "cut-before-ok":
                client.sendall(line + reader.exactly(n))
                continue
            if mode == "truncate":
                client.sendall(line + reader.exactly(n)[: max(n - 7, 0)])
                end = time.time() + 1
                server.settimeout(0.2)
                while time.time() < end:  # the rest of the stream, then close
                    try:
                        client.sendall(reader.buf)
                        reader.buf = b""
                        reader.fill()
                    except socket.timeout:
                        pass
                return
            if mode in ("bad-count", "huge-count"):
                count = b"{1x2}" if mode == "bad-count" else b"{4294967295}"
                client.sendall(line[: m.start()] + count + b"\r\n" + reader.exactly(n))
                if mode == "huge-count":
                    return
                mode = "passed-once"
                continue
            if mode in ("garbage", "bad-untagged", "huge-line"):
                if mode == "garbage":
                    client.sendall(b"\x00\x01\xff garbage \x1b[2J not IMAP at all\r\n")
                elif mode == "bad-untagged":
                    client.sendall(b"* 7 FETCH ((( {\r\n")
                else:
                    client.sendall(b"* OK " + b"x" * HUGE_LINE + b"\r\n")
                client.sendall(line + reader.exactly(n))
                mode = "passed-once"
                continue
            if mode == "stall":
                time.sleep(STALL_SECONDS)
                return
            # "passed-once": the fault was applied to the first response of this command
            client.sendall(line + reader.exactly(n))
    except (EOFError, OSError):
        pass


def serve(conn, upstream_port, control, log):
    with control_lock:
        connection_counter[0] += 1
        conn_no = connection_counter[0]
    try:
        server = socket.create_connection(("127.0.0.1", upstream_port), timeout=10)
        server.settimeout(None)
    except OSError:
        conn.close()
        return
    t = threading.Thread(target=client_to_server, args=(conn, server), daemon=True)
    t.start()
    server_to_client(server, conn, control, log, conn_no)
    for s in (conn, server):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        s.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--listen-port", type=int, required=True)
    ap.add_argument("--upstream-port", type=int, required=True)
    ap.add_argument("--control", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--pid-file")
    args = ap.parse_args()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.listen_port))
    listener.listen(16)
    if args.pid_file:
        with open(args.pid_file, "w") as f:
            f.write("%d\n" % os.getpid())
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve, args=(conn, args.upstream_port, args.control, args.log),
                         daemon=True).start()


if __name__ == "__main__":
    main()
