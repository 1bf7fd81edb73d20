#!/usr/bin/python3
"""Small helpers for start.sh / stop.sh (run with /usr/bin/python3).

  srvutil.py free-ports N                 print N distinct free TCP ports on 127.0.0.1
  srvutil.py wait-port PORT TIMEOUT [--banner PREFIX] [--pid PID]
                                          wait until 127.0.0.1:PORT accepts a connection
                                          (and, with --banner, sends a greeting starting
                                          with PREFIX); fail early if PID dies
  srvutil.py wait-file PATH TIMEOUT [--pid PID]
                                          wait until PATH exists and is non-empty
  srvutil.py port-free PORT               exit 0 if nothing listens on 127.0.0.1:PORT
  srvutil.py can-traverse USER PATH       print the first ancestor of PATH (PATH included)
                                          that USER cannot search (x bit); exit 1 if any
  srvutil.py pid-matches PIDFILE ARG      exit 0 if the process in PIDFILE is alive and one
                                          of its arguments is exactly ARG
  srvutil.py wait-gone PID TIMEOUT        wait until PID has exited; exit 1 on timeout
  srvutil.py wait-ports-free TIMEOUT PORT...
                                          wait until nothing listens on these ports
"""
import os
import pwd
import socket
import sys
import time


def free_ports(n):
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def alive(pid):
    if not pid:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child counts as dead
    try:
        with open("/proc/%d/stat" % pid) as f:
            if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                return False
    except OSError:
        return False
    return True


def wait_port(port, timeout, banner=None, pid=None):
    deadline = time.monotonic() + timeout
    last = "no attempt"
    while time.monotonic() < deadline:
        if not alive(pid):
            print("process %d exited before port %d was ready" % (pid, port), file=sys.stderr)
            return 1
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                if banner is None:
                    return 0
                s.settimeout(max(0.5, min(5, deadline - time.monotonic())))
                data = b""
                while b"\n" not in data:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                if data.startswith(banner.encode()):
                    return 0
                last = "unexpected greeting %r" % data[:200]
        except OSError as e:
            last = str(e)
        time.sleep(0.05)
    print("port %d not ready after %ss (%s)" % (port, timeout, last), file=sys.stderr)
    return 1


def wait_file(path, timeout, pid=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if os.path.getsize(path) > 0:
                return 0
        except OSError:
            pass
        if not alive(pid):
            print("process %d exited before writing %s" % (pid, path), file=sys.stderr)
            return 1
        time.sleep(0.05)
    print("%s not written after %ss" % (path, timeout), file=sys.stderr)
    return 1


def port_free(port):
    """True (0) if a listener could bind 127.0.0.1:PORT now (TIME_WAIT leftovers ignored,
    as servers set SO_REUSEADDR)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", port))
        return 0
    except OSError:
        return 1
    finally:
        s.close()


def can_traverse(user, path):
    pw = pwd.getpwnam(user)
    groups = {pw.pw_gid}
    import grp
    for g in grp.getgrall():
        if user in g.gr_mem:
            groups.add(g.gr_gid)
    path = os.path.abspath(path)
    parts = []
    p = path
    while True:
        parts.append(p)
        if p == "/":
            break
        p = os.path.dirname(p)
    bad = []
    for p in reversed(parts):
        st = os.stat(p)
        if st.st_uid == pw.pw_uid:
            ok = st.st_mode & 0o100
        elif st.st_gid in groups:
            ok = st.st_mode & 0o010
        else:
            ok = st.st_mode & 0o001
        if not ok:
            bad.append(p)
    for p in bad:
        print(p)
    return 1 if bad else 0


def pid_matches(pidfile, word):
    try:
        with open(pidfile) as f:
            pid = int(f.read().strip() or "0")
        if pid <= 1 or not alive(pid):
            return 1
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            argv = f.read().split(b"\0")
        return 0 if word.encode() in argv else 1
    except (OSError, ValueError):
        return 1


def wait_gone(pid, timeout):
    deadline = time.monotonic() + timeout
    while alive(pid):
        if time.monotonic() >= deadline:
            return 1
        time.sleep(0.05)
    return 0


def wait_ports_free(timeout, ports):
    deadline = time.monotonic() + timeout
    while True:
        busy = [p for p in ports if p > 0 and port_free(p) != 0]
        if not busy:
            return 0
        if time.monotonic() >= deadline:
            print("ports still in use after %ss: %s" % (timeout, " ".join(map(str, busy))),
                  file=sys.stderr)
            return 1
        time.sleep(0.05)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]

    def opt(name, conv=str):
        if name in args:
            i = args.index(name)
            v = conv(args[i + 1])
            del args[i:i + 2]
            return v
        return None

    if cmd == "free-ports":
        print(" ".join(str(p) for p in free_ports(int(args[0]))))
        return 0
    if cmd == "wait-port":
        banner = opt("--banner")
        pid = opt("--pid", int)
        return wait_port(int(args[0]), float(args[1]), banner, pid)
    if cmd == "wait-file":
        pid = opt("--pid", int)
        return wait_file(args[0], float(args[1]), pid)
    if cmd == "port-free":
        return port_free(int(args[0]))
    if cmd == "can-traverse":
        return can_traverse(args[0], args[1])
    if cmd == "wait-gone":
        return wait_gone(int(args[0]), float(args[1]))
    if cmd == "wait-ports-free":
        return wait_ports_free(float(args[0]), [int(p) for p in args[1:] if p])
    if cmd == "pid-matches":
        return pid_matches(args[0], args[1])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
