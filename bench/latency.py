#!/usr/bin/env python3
"""Auto-reply latency of a running `liaison poll` daemon (IDLE), measured end to end.

    latency.py --port IMAP_PORT --user U --password W --smtp-dir DIR [--count 200]
               [--timeout 10] [--warmup-timeout 60] [--gap 0] [--to TroopKCTL@ct.gov]

Delivers --count small person messages, one at a time, by IMAP APPEND to INBOX, each from a
different sender (so that each is due an auto-reply) and dated now.  For each, the latency is
from just before the APPEND to the "received" time (unix time, ms) the SMTP sink wrote in
DIR/NNNNNN.json for the reply to that sender; the next message goes only after that reply
arrived (plus --gap seconds).  A warm-up message first waits (up to --warmup-timeout s) until
the daemon answers at all.  A second IDLE connection on the same folder (read-only) records
when the server announces each message (Dovecot waits about 0.5 s before it tells an idling
client), which splits each latency into the server's part and liaison's.  Prints the figures; exit 1 when the warm-up got no reply, or when
any message got none within --timeout seconds (it is counted as missed and the run goes on).
Only the Python standard library; everything on 127.0.0.1.
"""
import argparse
import email.utils
import imaplib
import json
import os
import random
import socket
import sys
import threading
import time

FIRST = ["Maria", "James", "Aisha", "Luis", "Jennifer", "Tyrone", "Mei", "Robert", "Fatima",
         "Carlos", "Linda", "Kwame", "Sofia", "David", "Priya", "Michael", "Ana", "Jamal"]
LAST = ["Rodriguez", "Smith", "Okafor", "Nguyen", "Johnson", "Williams", "Garcia", "Brown",
        "Kowalski", "Patel", "O'Brien", "Santos", "Lee", "Cohen"]
TOWNS = ["Hartford", "New Haven", "Bridgeport", "Waterbury", "Norwich", "Danbury", "Putnam"]
# Ordinary first messages to the troop (no emergency wording: every one gets the normal reply).
BODIES = [
    ("Invitation: community day",
     "Hi, I'm with the PTA in {town}. We are hosting a community day on Saturday and would "
     "love to have a trooper attend and talk with families. Could someone from your program "
     "come?\n\nThank you,\n{name}\n"),
    ("Question about ride-alongs",
     "Hello,\n\nmy son is thinking about a career with the State Police. Does your program "
     "offer ride-alongs or an open house in {town}? Who should we talk to?\n\nBest,\n{name}\n"),
    ("Speeding on our street",
     "Good morning. Cars speed down our street in {town} every morning when the kids walk to "
     "school. Could a trooper sit there some mornings?\n\n{name}\n"),
    ("Thank you",
     "I just wanted to say thank you to the trooper who helped my mother when her car broke "
     "down near {town} last week. He was very kind.\n\n{name}\n"),
]


def make_message(i, to_addr, tag):
    rnd = random.Random(i)
    name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
    addr = f"bench{i:04d}.{tag}@example.org"
    subject, body = BODIES[i % len(BODIES)]
    body = body.format(town=rnd.choice(TOWNS), name=name)
    msgid = f"<lat{i:04d}.{tag}@example.org>"
    head = [
        f"From: {email.utils.formataddr((name, addr))}",
        f"To: {to_addr}",
        f"Subject: {subject}",
        f"Date: {email.utils.formatdate(localtime=False)}",
        f"Message-ID: {msgid}",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
    ]
    raw = ("\r\n".join(head) + "\r\n\r\n" + body.replace("\n", "\r\n")).encode("utf-8")
    return addr.lower(), msgid, raw


class Sink:
    """New replies in the SMTP sink's folder, by recipient."""

    def __init__(self, folder):
        self.folder = folder
        self.seen = set(self._names())

    def _names(self):
        try:
            return [n for n in os.listdir(self.folder) if n.endswith(".json")]
        except FileNotFoundError:
            return []

    def wait_for(self, rcpt, deadline):
        """(meta, eml path) of the first new message to rcpt, or (None, None) at deadline."""
        while True:
            for name in sorted(set(self._names()) - self.seen):
                self.seen.add(name)
                path = os.path.join(self.folder, name)
                with open(path, encoding="utf-8") as f:
                    meta = json.load(f)
                if any(r.strip("<>").lower() == rcpt for r in meta.get("rcpt_tos", [])):
                    return meta, path[:-5] + ".eml"
            if time.time() >= deadline:
                return None, None
            time.sleep(0.003)


def in_reply_to(eml):
    with open(eml, "rb") as f:
        head = f.read(65536).split(b"\r\n\r\n", 1)[0]
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"in-reply-to:"):
            return line.split(b":", 1)[1].strip().decode("ascii", "replace")
    return None


class Observer(threading.Thread):
    """A second IDLE connection on the same folder (EXAMINE: read-only), recording when the
    server announces each new message (untagged EXISTS): the server's share of the latency,
    measured on the same messages, against which liaison's own share is the rest."""

    def __init__(self, a):
        super().__init__(daemon=True)
        self.events = []          # (time, EXISTS count)
        self.base = None          # messages in the folder when it was opened
        self.lock = threading.Lock()
        self.sock = socket.create_connection((a.host, a.port), timeout=30)
        self.f = self.sock.makefile("rb")
        self.f.readline()
        self.command(b"o1", b"LOGIN " + imap_quote(a.user) + b" " + imap_quote(a.password))
        self.command(b"o2", b"EXAMINE " + imap_quote(a.folder))
        self.sock.sendall(b"o3 IDLE\r\n")
        if not self.f.readline().startswith(b"+"):
            raise SystemExit("latency: the server refused IDLE")
        self.sock.settimeout(None)

    def command(self, tag, text):
        self.sock.sendall(tag + b" " + text + b"\r\n")
        while True:
            line = self.f.readline()
            if not line:
                raise SystemExit("latency: observer connection closed")
            parts = line.split()
            if len(parts) == 3 and parts[0] == b"*" and parts[2].upper() == b"EXISTS":
                self.base = int(parts[1])
            if line.startswith(tag + b" "):
                if line.split()[1:2] != [b"OK"]:
                    raise SystemExit(f"latency: observer: {line!r}")
                return

    def run(self):
        try:
            for line in self.f:
                parts = line.split()
                if len(parts) == 3 and parts[0] == b"*" and parts[2].upper() == b"EXISTS":
                    with self.lock:
                        self.events.append((time.time(), int(parts[1])))
        except (OSError, ValueError):
            pass

    def announced(self, n):
        """When the folder was first announced to hold at least n messages."""
        with self.lock:
            for t, count in self.events:
                if count >= n:
                    return t
        return None

    def close(self):
        try:
            self.sock.sendall(b"DONE\r\no4 LOGOUT\r\n")
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def imap_quote(s):
    return b'"' + s.replace("\\", "\\\\").replace('"', '\\"').encode() + b'"'


def percentile(sorted_values, p):
    """Nearest-rank percentile."""
    if not sorted_values:
        return float("nan")
    k = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(k) - 1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--folder", default="INBOX")
    ap.add_argument("--smtp-dir", required=True)
    ap.add_argument("--to", default="TroopKCTL@ct.gov")
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds per reply")
    ap.add_argument("--warmup-timeout", type=float, default=60.0)
    ap.add_argument("--gap", type=float, default=0.0, help="seconds between reply and next APPEND")
    ap.add_argument("--json", help="write every measurement here")
    a = ap.parse_args()

    tag = f"{int(time.time())}"
    sink = Sink(a.smtp_dir)
    imap = imaplib.IMAP4(a.host, a.port, timeout=30)
    imap.login(a.user, a.password)

    def append(raw):
        typ, data = imap.append(a.folder, None, None, raw)
        if typ != "OK":
            raise SystemExit(f"latency: APPEND refused: {data}")

    # Warm-up: the daemon has synchronised and answers (then it goes back to IDLE).
    addr, _, raw = make_message(9999, a.to, tag + "w")
    t0 = time.time()
    append(raw)
    meta, _ = sink.wait_for(addr, t0 + a.warmup_timeout)
    if meta is None:
        print(f"latency: no reply to the warm-up message within {a.warmup_timeout:.0f} s",
              file=sys.stderr)
        return 1
    time.sleep(0.2)
    observer = Observer(a)
    observer.start()
    time.sleep(0.2)

    lat, appends, server, own, rows = [], [], [], [], []
    missed = wrong_irt = 0
    for i in range(a.count):
        addr, msgid, raw = make_message(i, a.to, tag)
        t0 = time.time()
        append(raw)
        t1 = time.time()
        appends.append((t1 - t0) * 1000)
        meta, eml = sink.wait_for(addr, t1 + a.timeout)
        if meta is None:
            missed += 1
            rows.append({"i": i, "sender": addr, "latency_ms": None})
            continue
        received = float(meta["received"])
        lat.append((received - t0) * 1000)
        if in_reply_to(eml) != msgid:
            wrong_irt += 1
        rows.append({"i": i, "sender": addr, "t0": t0, "received": received,
                     "latency_ms": round((received - t0) * 1000, 1),
                     "append_ms": round((t1 - t0) * 1000, 1)})
        if a.gap > 0:
            time.sleep(a.gap)
    time.sleep(1.0)  # an EXISTS the observer has not yet seen
    for row in rows:
        if row["latency_ms"] is None or observer.base is None:
            continue
        t_exists = observer.announced(observer.base + row["i"] + 1)
        if t_exists is not None:
            row["exists_ms"] = round((t_exists - row["t0"]) * 1000, 1)
            server.append((t_exists - row["t0"]) * 1000)
            own.append((row["received"] - t_exists) * 1000)
    observer.close()
    try:
        imap.logout()
    except (imaplib.IMAP4.error, OSError):
        pass
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=1)

    lat.sort()
    appends.sort()
    print(f"latency: {a.count} messages, one at a time by IMAP APPEND; "
          f"{len(lat)} answered, {missed} without a reply within {a.timeout:.0f} s"
          + (f", {wrong_irt} replies with a wrong In-Reply-To" if wrong_irt else ""))
    if lat:
        print(f"  APPEND to auto-reply at the SMTP sink (ms): "
              f"p50 {percentile(lat, 50):.0f}  p95 {percentile(lat, 95):.0f}  "
              f"p99 {percentile(lat, 99):.0f}  max {lat[-1]:.0f}  "
              f"(mean {sum(lat) / len(lat):.0f}, min {lat[0]:.0f})   (target p99 < 1000 ms)")
        print(f"  of which the APPEND itself (ms): p50 {percentile(appends, 50):.1f}  "
              f"p99 {percentile(appends, 99):.1f}")
    if server:
        server.sort()
        own.sort()
        print(f"  until the server announced it to an idling client (EXISTS on a second IDLE "
              f"connection; Dovecot waits ~0.5 s), ms: p50 {percentile(server, 50):.0f}  "
              f"p99 {percentile(server, 99):.0f}  max {server[-1]:.0f}")
        print(f"  liaison's own part, from that EXISTS to the reply at the sink, ms: "
              f"p50 {percentile(own, 50):.0f}  p95 {percentile(own, 95):.0f}  "
              f"p99 {percentile(own, 99):.0f}  max {own[-1]:.0f}  ({len(own)} messages)")
    return 1 if missed or not lat else 0


if __name__ == "__main__":
    sys.exit(main())
