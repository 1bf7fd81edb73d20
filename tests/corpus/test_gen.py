#!/usr/bin/env python3
"""Unit test of gen-ctl-corpus.py: every label in labels.jsonl agrees with its message.

Small corpora are generated in a temporary folder (several seeds; Maildir, mbox and .eml),
every message is parsed with the email package, and each label is checked against it: one
label per message with the same Message-ID and Date; direction "out" written by the troop's
address; machine mail carrying the signals the generator gives each kind of it and person
mail none; conversations that agree with In-Reply-To and References; categories from the
known set and the texts of that category; language en or es and the texts of that language.
The same seed gives the same bytes, another seed other ones.  Tampered copies of a corpus
show that each kind of check finds what it is there to find.

Standard library only.  From the top of the checkout:
    /usr/bin/python3 -B -m unittest discover -s tests/corpus -p test_gen.py -v
(tests/integration/test_corpus_gen.sh runs it in `make check`).
"""
import calendar
import datetime
import email
import email.policy
import email.utils
import functools
import html
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "gen-ctl-corpus.py")

# What README.md documents; a generator that adds a category or a kind must say so there too.
CATEGORIES = {"event-request", "negative-interaction", "hate-crime", "domestic-violence",
              "sexual-assault", "services", "victim-services", "suggestion",
              "immigration-question", "emergency", "recruiting", "general"}
MACHINE_KINDS = {"machine-ooo", "machine-ooo-outlook", "machine-list", "machine-newsletter",
                 "machine-bounce", "machine-noreply", "machine-precedence-junk"}
PERSON_KINDS = {"human", "human-followup"}
KINDS = PERSON_KINDS | {"ctl-reply"} | MACHINE_KINDS
LANGUAGES = {"en", "es"}
BASE_KEYS = {"conversation", "direction", "autoreply_eligible", "kind", "categories",
             "language", "troop", "sender", "message_id", "date"}

# The signals of machine mail a message can carry (see signals()), and for each kind of
# machine mail those it must carry and those it may carry besides.
SIGNALS = {
    "machine-ooo": ({"auto-submitted"}, {"null-return-path"}),
    "machine-ooo-outlook": ({"x-auto-response-suppress", "precedence"}, {"null-return-path"}),
    "machine-list": ({"list-id", "list-unsubscribe", "precedence"}, set()),
    "machine-newsletter": ({"list-unsubscribe", "precedence"}, set()),
    "machine-bounce": ({"multipart/report", "null-return-path", "auto-submitted",
                        "no-reply-sender"}, set()),
    "machine-noreply": ({"no-reply-sender", "auto-submitted"}, set()),
    "machine-precedence-junk": ({"precedence", "list-unsubscribe", "list-unsubscribe-post"},
                                set()),
}
PRECEDENCE = {"machine-ooo-outlook": "auto_reply", "machine-list": "list",
              "machine-newsletter": "bulk", "machine-precedence-junk": "junk"}
AUTO_SUBMITTED = {"machine-ooo": "auto-replied", "machine-bounce": "auto-replied",
                  "machine-noreply": "auto-generated"}
MACHINE_TEXT = {
    "machine-ooo": "I am out of the office until Monday",
    "machine-ooo-outlook": "I am out of the office until Monday",
    "machine-list": "Minutes of the neighborhood association meeting",
    "machine-newsletter": "This month in your town",
    "machine-bounce": "your message could not be delivered",
    "machine-noreply": "Your ticket #48213 has been updated",
    "machine-precedence-junk": "Limited time offer",
}
GREETINGS = {"en": {"Hello,", "Hi,", "Good morning,", "To whom it may concern,"}, "es": {"Hola,"}}
IPHONE = {"en": "Sent from my iPhone", "es": "Enviado desde mi iPhone"}
FOLLOWUP_PREFIXES = ("Re: ", "RE: ", "AW: ", "RV: ")


def load_generator():
    """The generator as a module, for its text tables (its main() is not run)."""
    spec = importlib.util.spec_from_file_location("gen_ctl_corpus", GEN)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


G = load_generator()


@functools.lru_cache(maxsize=None)
def template_re(template):
    """A format string of the generator as a regular expression: each {field} any text of
    one line."""
    parts = re.split(r"\{\w+(?::[^}]*)?\}", template)
    return re.compile(r"[^\n]+?".join(re.escape(p) for p in parts))


def matching(text, tables):
    """The keys of tables ({key: [templates]}) with a template that the whole text matches."""
    return {key for key, templates in tables.items()
            if any(template_re(t).fullmatch(text) for t in templates)}


# (category, language) -> templates, for first messages' texts and subjects.
TEXTS = {(c, lang): v[0 if lang == "en" else 1] for c, v in G.CATS.items() for lang in LANGUAGES}
SUBJECTS = {(c, lang): v[2 if lang == "en" else 3] for c, v in G.CATS.items()
            for lang in LANGUAGES}


def generate(out, *args, env=None):
    """Runs the generator; returns its labels."""
    subprocess.run([sys.executable, GEN, "--out", out, *map(str, args)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=dict(os.environ, **(env or {})))
    with open(os.path.join(out, "labels.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def read_mbox(path):
    """[(From_ line, raw message)] of an mboxrd file as the generator writes it (every line
    that begins with "From " starts a message, each message is followed by an empty line,
    ">From " lines, any number of ">", lose one ">"), and the problems found."""
    with open(path, "rb") as f:
        data = f.read()
    if not data:
        return [], []
    if not data.endswith(b"\n\n") or not data.startswith(b"From "):
        return [], ["files: corpus.mbox does not begin with a From line or end with an empty line"]
    out, problems = [], []
    for chunk in re.split(rb"\n(?=From )", data[:-1]):
        sep, _, body = chunk.partition(b"\n")
        if not body.endswith(b"\n"):
            problems.append(f"files: the message after {sep!r} has no empty line after it")
        out.append((sep, re.sub(rb"(?m)^>(>*From )", rb"\1", body)))
    return out, problems


def raw_messages(corpus, fmt, labels):
    """The raw bytes of each labelled message, in the labels' order, and the problems of the
    folder itself (files without a label, labels without a file)."""
    problems = []
    raws = []
    if fmt == "mbox":
        got, problems = read_mbox(os.path.join(corpus, "corpus.mbox"))
        if len(got) != len(labels):
            problems.append(f"files: {len(got)} messages in corpus.mbox, {len(labels)} labels")
        for (sep, raw), label in zip(got, labels):
            m = re.fullmatch(rb"From MAILER-DAEMON (\w{3} \w{3} \d\d \d\d:\d\d:\d\d \d{4})", sep)
            when = m and calendar.timegm(time.strptime(m.group(1).decode(), "%a %b %d %H:%M:%S %Y"))
            if not when or when != label.get("date"):
                problems.append(f"date: mbox separator {sep!r} is not the label's date "
                                f"{label['date']}")
            raws.append(raw)
        return raws, problems
    names = [label.get("file") for label in labels]
    if fmt == "maildir":
        on_disk = {"cur/" + n for n in os.listdir(os.path.join(corpus, "cur"))}
        for sub in ("new", "tmp"):
            if os.listdir(os.path.join(corpus, sub)):
                problems.append(f"files: {sub}/ is not empty")
    else:
        on_disk = {n for n in os.listdir(corpus) if n.endswith(".eml")}
    if len(set(names)) != len(names):
        problems.append("files: a file is labelled twice")
    if set(names) != on_disk:
        problems.append(f"files: unlabelled {sorted(on_disk - set(names))[:3]}, "
                        f"missing {sorted(set(names) - on_disk, key=str)[:3]}")
    for name in names:
        path = os.path.join(corpus, name) if name else None
        if path and os.path.isfile(path):
            with open(path, "rb") as f:
                raws.append(f.read())
        else:
            raws.append(None)
    return raws, problems


class Msg:
    """What the checks read of a message parsed with the email package (policy.default):
    its headers decoded (the first of each name), From and To addresses, its type, text and
    machine signals."""

    def __init__(self, raw):
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        self.headers = {}
        for name, value in msg.items():
            self.headers.setdefault(name.lower(), value)
        self.from_addr, self.from_name = self.address("from")
        self.to_addr, _ = self.address("to")
        self.content_type = msg.get_content_type()
        self.text = text_of(msg)
        self.signals = signals(self)

    def address(self, name):
        h = self.headers.get(name)
        if h is None or not getattr(h, "addresses", None):
            return None, None
        return h.addresses[0].addr_spec, h.addresses[0].display_name

    def get(self, name, default=None):
        h = self.headers.get(name.lower())
        return default if h is None else str(h)

    def __contains__(self, name):
        return name.lower() in self.headers


@functools.lru_cache(maxsize=None)
def parse(raw):
    """The same bytes are parsed once (the tampered copies of a corpus share most of theirs
    with it)."""
    return Msg(raw)


def signals(msg):
    """The machine-mail signals a message (a Msg) carries."""
    s = set()
    auto = msg.get("Auto-Submitted")
    if auto is not None and str(auto).strip().lower() != "no":
        s.add("auto-submitted")
    for name in msg.headers:
        if name.startswith("list-"):
            s.add(name)
    if "Precedence" in msg:
        s.add("precedence")
    if "X-Auto-Response-Suppress" in msg:
        s.add("x-auto-response-suppress")
    rp = msg.get("Return-Path")
    if rp is not None and str(rp).strip() in ("<>", ""):
        s.add("null-return-path")
    if msg.content_type == "multipart/report":
        s.add("multipart/report")
    frm = msg.from_addr or ""
    if re.fullmatch(r"no-?reply|do-?not-?reply|mailer-daemon|postmaster",
                    frm.split("@")[0].lower()):
        s.add("no-reply-sender")
    return s


def text_of(msg):
    """The readable text: the text/plain part, else the text/html part's text."""
    part = msg.get_body(("plain",))
    if part is not None:
        return part.get_content()
    part = msg.get_body(("html",))
    if part is None:
        return ""
    h = part.get_content().replace("<br>", "\n")
    return html.unescape(re.sub(r"<[^>]*>", "", h))


def attachments(msg):
    return [(p.get_content_type(), p.get_content()) for p in msg.iter_attachments()]


def msgids(value):
    return re.findall(r"<[^<>\s]+>", str(value or ""))


def check_corpus(corpus, fmt, count, troops="K"):
    """Every disagreement between labels.jsonl and the messages, as "what: detail" lines."""
    problems = []

    def bad(what, label, detail):
        problems.append(f"{what}: {label.get('message_id')} ({label.get('kind')}): {detail}")

    def judge(label, what, text, found):
        """found: the (category, language) pairs whose templates the text matches; one, the
        label's, is right."""
        cats, lang = label.get("categories") or [None], label.get("language")
        if found == {(cats[0], lang)}:
            return
        if not found:
            bad(what, label, f"{text[:60]!r} is none of the generator's")
        if {c for c, _ in found} != {cats[0]}:
            bad("category", label, f"the {what} {text[:40]!r} is of {sorted(found)}")
        if {lg for _, lg in found} != {lang}:
            bad("language", label, f"the {what} {text[:40]!r} is of {sorted(found)}")

    with open(os.path.join(corpus, "labels.jsonl"), encoding="utf-8") as f:
        labels = [json.loads(line) for line in f]
    if len(labels) != count:
        problems.append(f"count: {len(labels)} labels for --count {count}")
    raws, folder = raw_messages(corpus, fmt, labels)
    problems += folder
    msgs = [parse(raw) if raw else None for raw in raws]

    # One message per label, the same id and date; the labels in date order.
    by_id = {}
    for label, msg in zip(labels, msgs):
        keys = BASE_KEYS | ({"file"} if fmt != "mbox" else set()) \
            | ({"threading_headers"} if label.get("kind") == "human-followup" else set())
        if set(label) != keys:
            bad("fields", label, f"{sorted(set(label) ^ keys)} unexpected or missing")
        if msg is None:
            bad("files", label, "no message")
            continue
        if label.get("message_id") != msg.get("Message-ID", "").strip():
            bad("id", label, f"the message's Message-ID is {msg.get('Message-ID')}")
        if label.get("message_id") in by_id:
            bad("id", label, "two labels with this Message-ID")
        by_id[label.get("message_id")] = (label, msg)
        try:
            date = email.utils.parsedate_to_datetime(msg.get("Date", ""))
        except (TypeError, ValueError):
            bad("date", label, f"Date: {msg.get('Date')} cannot be read")
            continue
        if date.tzinfo is None:   # -0000: UTC, the sender's zone unknown
            date = date.replace(tzinfo=datetime.timezone.utc)
        date = date.timestamp()
        if date != label.get("date"):
            bad("date", label, f"Date: {msg.get('Date')} is {date}, the label says "
                               f"{label.get('date')}")
    dates = [label.get("date", 0) for label in labels]
    if dates != sorted(dates):
        problems.append("date: labels.jsonl is not in date order")

    # Each message against its own label.
    for label, msg in zip(labels, msgs):
        if msg is None:
            continue
        kind, troop, lang = label.get("kind"), label.get("troop"), label.get("language")
        box = f"Troop{troop}CTL@ct.gov"
        if kind not in KINDS:
            bad("kind", label, "unknown kind")
            continue
        if troop is None or len(troop) != 1 or troop not in troops:
            bad("troop", label, f"troop {troop!r} not in --troops {troops}")
        if lang not in LANGUAGES:
            bad("language", label, f"{lang!r} is neither en nor es")
        cats = label.get("categories")
        if not isinstance(cats, list) or not set(cats) <= CATEGORIES:
            bad("category", label, f"{cats!r} not from the known set")
        elif len(cats) != (0 if kind in MACHINE_KINDS else 1):
            bad("category", label, f"{cats!r}: machine mail has none, the rest one")
        if not isinstance(label.get("autoreply_eligible"), bool) or \
                label["autoreply_eligible"] != (kind in PERSON_KINDS):
            bad("eligible", label, f"autoreply_eligible {label.get('autoreply_eligible')!r} "
                                   f"for a {kind} message")
        frm, to, sig = msg.from_addr, msg.to_addr, msg.signals
        if label.get("direction") == "out":
            if kind != "ctl-reply":
                bad("direction", label, "out, but not the troop's reply")
            if frm != box or label.get("sender") != box:
                bad("direction", label, f"out, but From {frm}, sender {label.get('sender')}")
            if "Return-Path" in msg:
                bad("direction", label, "out (a Sent copy), but it has a Return-Path")
            if fmt == "maildir" and not label.get("file", "").endswith(":2,S"):
                bad("direction", label, "out, but not marked seen (:2,S)")
        elif label.get("direction") == "in":
            if kind == "ctl-reply":
                bad("direction", label, "in, but the troop's reply")
            if to != box:
                bad("direction", label, f"in, but To {to}, not {box}")
            if frm != label.get("sender"):
                bad("direction", label, f"in, but From {frm}, sender {label.get('sender')}")
            if fmt == "maildir" and not label.get("file", "").endswith(":2,"):
                bad("direction", label, "in, but marked seen")
            if frm and frm.lower().startswith("troop") and frm.lower().endswith("ctl@ct.gov"):
                bad("direction", label, "in, but From a troop's address")
        else:
            bad("direction", label, f"{label.get('direction')!r} is neither in nor out")
        if kind in MACHINE_KINDS:
            need, may = SIGNALS[kind]
            if not need <= sig or not sig <= need | may:
                bad("signals", label, f"carries {sorted(sig)}, a {kind} needs {sorted(need)}"
                                      f" and may add {sorted(may)}")
            if kind in PRECEDENCE and msg.get("Precedence") != PRECEDENCE[kind]:
                bad("signals", label, f"Precedence: {msg.get('Precedence')}")
            if kind in AUTO_SUBMITTED and msg.get("Auto-Submitted") != AUTO_SUBMITTED[kind]:
                bad("signals", label, f"Auto-Submitted: {msg.get('Auto-Submitted')}")
            if lang != "en":
                bad("language", label, "machine mail is labelled en")
            if MACHINE_TEXT[kind] not in msg.text:
                bad("text", label, f"the text is not a {kind}'s")
        else:
            if sig:
                bad("signals", label, f"a {kind} message carries machine signals {sorted(sig)}")
        if kind in PERSON_KINDS and msg.get("Return-Path") != f"<{label.get('sender')}>":
            bad("signals", label, f"Return-Path {msg.get('Return-Path')} is not the sender's")

        # The text and subject are the labelled category's and language's.
        text = msg.text
        if kind in ("human", "human-followup") and lang in LANGUAGES:
            m = re.fullmatch(r"(?s)(?:([^\n]*)\n\n)?(.*?)\n\n([^\n]+)(?:\n(Sent from my iPhone|"
                             r"Enviado desde mi iPhone))?\n*", text)
            if not m:
                bad("text", label, f"not greeting, text, signature: {text[:80]!r}")
                continue
            greeting, body, name, iphone = m.groups()
            if name != msg.from_name:
                bad("text", label, f"signed {name!r}, From {msg.get('From')}")
            if iphone and iphone != IPHONE[lang]:
                bad("language", label, f"{iphone!r} in a message labelled {lang}")
            subject = msg.get("Subject", "")
            if kind == "human":
                if greeting not in GREETINGS[lang]:
                    bad("language", label, f"greeting {greeting!r} in a message labelled {lang}")
                judge(label, "text", body, matching(body, TEXTS))
                judge(label, "subject", subject, matching(subject, SUBJECTS))
            else:
                if greeting is not None:
                    bad("text", label, f"a follow-up with a greeting {greeting!r}")
                langs = matching(body, G.FOLLOWUPS)
                if langs != {lang}:
                    bad("language", label, f"the follow-up is in {sorted(langs)}, labelled {lang}")
                if not subject.startswith(FOLLOWUP_PREFIXES):
                    bad("subject", label, f"{subject!r} is not a reply's")
        elif kind == "ctl-reply":
            if not any(text.startswith(r) for r in G.CTL_REPLIES) or \
                    f"Community Trust Liaison, Troop {troop}\n" not in text:
                bad("text", label, f"not a liaison's reply for troop {troop}: {text[:60]!r}")
            if lang != "en":
                bad("language", label, "the liaisons reply in English (labelled en)")
            if not msg.get("Subject", "").upper().startswith("RE: "):
                bad("subject", label, f"{msg.get('Subject')} is not a reply's")

    # Conversations: one root, then replies and follow-ups threaded to the message before.
    convs = {}
    for label, msg in zip(labels, msgs):
        if msg is not None:
            convs.setdefault(label.get("conversation"), []).append((label, msg))
    ids = [cid for cid in convs if isinstance(cid, int)]
    missing = sorted(set(range(1, max(ids, default=0) + 1)) - set(ids))
    if missing:
        problems.append(f"thread: conversation numbers {missing[:5]} missing")
    for cid, items in convs.items():
        items.sort(key=lambda lm: lm[0].get("date", 0))
        root, root_msg = items[0]
        if not isinstance(cid, int) or cid < 1:
            bad("thread", root, f"conversation id {cid!r}")
        if root.get("kind") not in {"human"} | MACHINE_KINDS:
            bad("thread", root, f"conversation {cid} starts with a {root.get('kind')}")
        if root.get("kind") in MACHINE_KINDS and len(items) != 1:
            bad("thread", root, f"machine mail with {len(items) - 1} more in conversation {cid}")
        for field in ("troop", "categories"):
            if len({json.dumps(lb.get(field)) for lb, _ in items}) != 1:
                bad("thread", root, f"conversation {cid} mixes {field}")
        if len({lb.get("language") for lb, _ in items if lb.get("direction") == "in"}) != 1:
            bad("thread", root, f"conversation {cid} mixes languages")
        if len({lb.get("sender") for lb, _ in items if lb.get("direction") == "in"}) != 1:
            bad("thread", root, f"conversation {cid} has more than one correspondent")
        earlier = []
        for i, (label, msg) in enumerate(items):
            kind = label.get("kind")
            irt, refs = msgids(msg.get("In-Reply-To")), msgids(msg.get("References"))
            threaded = kind == "ctl-reply" or (kind == "human-followup"
                                               and label.get("threading_headers") is True)
            if kind == "human-followup" and not isinstance(label.get("threading_headers"), bool):
                bad("fields", label, "threading_headers is not true or false")
            if i and label.get("date") == items[i - 1][0].get("date"):
                bad("thread", label, "two messages of a conversation at the same second")
            if (i and kind == "human") or (i == 0 and kind in ("ctl-reply", "human-followup")):
                bad("thread", label, f"a {kind} at place {i} of conversation {cid}")
            if i and kind == "human-followup" and items[i - 1][0].get("kind") != "ctl-reply":
                bad("thread", label, "a follow-up not after the liaison's reply")
            if not threaded:
                if irt or refs:
                    bad("thread", label, f"In-Reply-To {irt} References {refs} on a message "
                                         "labelled without threading headers")
            else:
                if irt != earlier[-1:] or refs != earlier[-10:]:
                    bad("thread", label, f"In-Reply-To {irt} References {refs}; conversation "
                                         f"{cid} had {earlier[-10:]} before it")
                for r in refs:
                    if r in by_id and by_id[r][0].get("conversation") != cid:
                        bad("thread", label, f"refers to {r} of conversation "
                                             f"{by_id[r][0].get('conversation')}")
            if kind == "ctl-reply" and msg.to_addr != root.get("sender"):
                bad("thread", label, f"the reply goes to {msg.to_addr}, not {root.get('sender')}")
            if kind == "human-followup" and root.get("kind") == "human":
                subject, root_subject = msg.get("Subject", ""), root_msg.get("Subject", "")
                if not any(subject == p + root_subject for p in FOLLOWUP_PREFIXES):
                    bad("subject", label, f"{subject!r} is not a reply to {root_subject!r}")
            earlier.append(label.get("message_id"))
    return problems


def coverage(corpus):
    """What a corpus shows: kinds, languages, categories, directions, threading."""
    seen = set()
    with open(os.path.join(corpus, "labels.jsonl"), encoding="utf-8") as f:
        for line in f:
            label = json.loads(line)
            seen |= {("kind", label["kind"]), ("language", label["language"]),
                     ("direction", label["direction"]), ("troop", label["troop"])}
            seen |= {("category", c) for c in label["categories"]}
            if "threading_headers" in label:
                seen.add(("threading_headers", label["threading_headers"]))
    return seen


def tree(folder):
    """{relative path: bytes} of every file under folder."""
    out = {}
    for d, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(d, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, folder)] = f.read()
    return out


def setUpModule():
    global TMP
    TMP = tempfile.mkdtemp(prefix="test-gen-")


def tearDownModule():
    shutil.rmtree(TMP, ignore_errors=True)


_made = {}


def corpus(*args, env=None):
    """A corpus made once per set of arguments (and environment) in this run."""
    key = (args, tuple(sorted((env or {}).items())))
    if key not in _made:
        out = os.path.join(TMP, f"c{len(_made)}")
        generate(out, *args, env=env)
        _made[key] = out
    return _made[key]


SEEDS = (1, 2, 3)
COUNT = 300


class LabelsAgree(unittest.TestCase):
    def assertNoProblems(self, problems):
        self.assertEqual(problems[:15], [], f"{len(problems)} problems")

    def test_labels_agree_with_messages(self):
        """Several seeds, each format: every label agrees with its message."""
        seen = set()
        for seed in SEEDS:
            for fmt in ("maildir", "mbox", "eml"):
                with self.subTest(seed=seed, format=fmt):
                    c = corpus("--seed", seed, "--count", COUNT, "--troops", "KL",
                               "--format", fmt)
                    self.assertNoProblems(check_corpus(c, fmt, COUNT, "KL"))
                    seen |= coverage(c)
        # Only machine mail: each kind of it, a conversation of its own.
        c = corpus("--seed", 4, "--count", 200, "--machine-share", 1)
        self.assertNoProblems(check_corpus(c, "maildir", 200))
        seen |= coverage(c)
        # The checks above ran on every kind of message, not on a lucky few.
        want = {("kind", k) for k in KINDS} | {("language", lang) for lang in LANGUAGES} \
            | {("category", c) for c in CATEGORIES} | {("direction", "in"), ("direction", "out")} \
            | {("threading_headers", True), ("threading_headers", False)} \
            | {("troop", "K"), ("troop", "L")}
        self.assertEqual(want - seen, set(), "the corpora lacked these")

    def test_known_sets_are_the_generators(self):
        """The sets this test (and README.md) know are the generator's."""
        self.assertEqual(set(G.CATS), CATEGORIES)
        self.assertEqual(set(G.CAT_WEIGHTS), CATEGORIES)
        self.assertEqual(set(G.FOLLOWUPS), LANGUAGES)
        # Each text template belongs to one category and language only.
        for tables in (TEXTS, SUBJECTS, G.FOLLOWUPS):
            for key, templates in tables.items():
                for t in templates:
                    filled = t.format(org="Rotary Club", town="Putnam", day="May 3", route=9,
                                      street="12 Elm St", n=1)
                    self.assertEqual(matching(filled, tables), {key}, t)


class Options(unittest.TestCase):
    def labels(self, *args, env=None):
        with open(os.path.join(corpus(*args, env=env), "labels.jsonl"), encoding="utf-8") as f:
            return [json.loads(line) for line in f]

    def test_same_seed_same_bytes(self):
        """The same seed gives the same files, whatever the time zone, locale or hash seed."""
        a = corpus("--seed", 5, "--count", 200, "--troops", "KL")
        b = corpus("--seed", 5, "--count", 200, "--troops", "KL",
                   env={"TZ": "America/New_York", "PYTHONHASHSEED": "123", "LC_ALL": "C"})
        ta, tb = tree(a), tree(b)
        self.assertEqual(sorted(ta), sorted(tb))
        self.assertEqual([p for p in ta if ta[p] != tb[p]], [])

    def test_other_seed_other_output(self):
        a = tree(corpus("--seed", 5, "--count", 200, "--troops", "KL"))
        b = tree(corpus("--seed", 6, "--count", 200, "--troops", "KL"))
        self.assertNotEqual(a["labels.jsonl"], b["labels.jsonl"])
        msgs = lambda t: {v for k, v in t.items() if k.startswith("cur/")}
        self.assertEqual(msgs(a) & msgs(b), set(), "a message of seed 5 again in seed 6")

    def test_formats_hold_the_same_messages(self):
        """Maildir, mbox and .eml of one seed: the same bytes in the same order."""
        args = ("--seed", 2, "--count", COUNT, "--troops", "KL")
        out = {}
        for fmt in ("maildir", "mbox", "eml"):
            c = corpus(*args, "--format", fmt)
            labels = self.labels(*args, "--format", fmt)
            raws, problems = raw_messages(c, fmt, labels)
            self.assertEqual(problems, [])
            out[fmt] = ([{k: v for k, v in lb.items() if k != "file"} for lb in labels], raws)
        self.assertEqual(out["maildir"], out["mbox"])
        self.assertEqual(out["maildir"], out["eml"])

    def test_count_is_exact(self):
        for n in (1, 2, 57):
            with self.subTest(count=n):
                self.assertEqual(len(self.labels("--seed", 7, "--count", n)), n)

    def test_troops(self):
        self.assertEqual({lb["troop"] for lb in self.labels("--seed", 8, "--count", 50)}, {"K"})
        got = {lb["troop"] for lb in self.labels("--seed", 8, "--count", 300, "--troops", "ABK")}
        self.assertEqual(got, set("ABK"))
        bad = subprocess.run([sys.executable, GEN, "--out", os.path.join(TMP, "none"),
                              "--troops", ""], capture_output=True)
        self.assertEqual(bad.returncode, 2)

    def test_start_and_days_are_utc(self):
        """Conversations start within [--start, --start + --days) in UTC, also where the
        local time zone is in summer time; replies and follow-ups only later."""
        start = calendar.timegm((2026, 7, 1, 0, 0, 0))
        labels = self.labels("--seed", 9, "--count", 300, "--start", "2026-07-01",
                             "--days", 0.5, env={"TZ": "America/New_York"})
        first = {}
        for lb in labels:
            first[lb["conversation"]] = min(first.get(lb["conversation"], lb["date"]), lb["date"])
        self.assertTrue(all(start <= d < start + 43200 for d in first.values()),
                        (min(first.values()) - start, max(first.values()) - start))
        self.assertGreaterEqual(min(lb["date"] for lb in labels), start)

    def test_machine_share(self):
        none = self.labels("--seed", 10, "--count", 200, "--machine-share", 0)
        self.assertEqual([lb for lb in none if lb["kind"].startswith("machine")], [])
        only = self.labels("--seed", 10, "--count", 200, "--machine-share", 1)
        self.assertEqual({lb["kind"] for lb in only} - MACHINE_KINDS, set())
        self.assertEqual(len({lb["conversation"] for lb in only}), len(only))

    def test_big(self):
        """--big: the first conversation's first message has an attachment of BYTES random
        bytes after its signature, even when machine mail is likely and --count is 1; no
        other attachment is that large."""
        big = 400_000   # above the 300,000 bytes of the generator's other attachments
        for seed, count in ((11, 1), (12, 1), (13, 40), (14, 40)):
            with self.subTest(seed=seed, count=count):
                c = corpus("--seed", seed, "--count", count, "--big", big,
                           "--machine-share", 0.9)
                labels = self.labels("--seed", seed, "--count", count, "--big", big,
                                     "--machine-share", 0.9)
                found = []
                for lb in labels:
                    with open(os.path.join(c, lb["file"]), "rb") as f:
                        msg = email.message_from_bytes(f.read(), policy=email.policy.default)
                    for ctype, data in attachments(msg):
                        if len(data) >= big:
                            found.append((lb["conversation"], lb["kind"], ctype, data[:9],
                                          len(data)))
                self.assertEqual(len(found), 1, found)
                conv, kind, ctype, head, size = found[0]
                self.assertEqual((conv, kind), (1, "human"))
                self.assertIn((ctype, size),
                              {("image/jpeg", big + 4), ("application/pdf", big + 9)})
                self.assertTrue(head.startswith(b"\xff\xd8\xff\xe0" if ctype == "image/jpeg"
                                                else b"%PDF-1.4\n"))


def replace(path, data):
    """Writes a new file at path (a hard link to a file of another corpus stays as it was)."""
    os.unlink(path)
    with open(path, "wb") as f:
        f.write(data)


class ChecksFind(unittest.TestCase):
    """Each check finds what it is there for: a tampered copy of a good corpus fails it."""
    # Half machine mail, so that every kind the tampering needs is there whatever the seed.
    ARGS = ("--seed", 1, "--count", 400, "--troops", "KL", "--machine-share", 0.5)

    @classmethod
    def setUpClass(cls):
        cls.good = corpus(*cls.ARGS)
        with open(os.path.join(cls.good, "labels.jsonl"), encoding="utf-8") as f:
            cls.labels = [json.loads(line) for line in f]

    def setUp(self):
        self.dir = tempfile.mkdtemp(dir=TMP)
        self.copy = os.path.join(self.dir, "c")
        # Hard links: the tampering replace()s a file, never writes into one.
        shutil.copytree(self.good, self.copy, copy_function=os.link)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def first(self, kind, **where):
        return next(i for i, lb in enumerate(self.labels) if lb["kind"] == kind
                    and all(lb.get(k) == v for k, v in where.items()))

    def relabel(self, i, **change):
        labels = [dict(lb) for lb in self.labels]
        labels[i].update(change)
        self.write(labels)

    def write(self, labels):
        replace(os.path.join(self.copy, "labels.jsonl"),
                "".join(json.dumps(lb, ensure_ascii=False) + "\n" for lb in labels).encode())

    def edit(self, i, fn):
        path = os.path.join(self.copy, self.labels[i]["file"])
        with open(path, "rb") as f:
            raw = f.read()
        new = fn(raw)
        self.assertNotEqual(new, raw, "the edit changed nothing")
        replace(path, new)

    def assertFinds(self, what):
        problems = check_corpus(self.copy, "maildir", 400, "KL")
        self.assertTrue(any(p.startswith(what + ":") for p in problems),
                        f"no '{what}' problem among {problems[:5]}")

    def test_good_corpus_passes(self):
        self.assertEqual(check_corpus(self.copy, "maildir", 400, "KL"), [])

    def test_direction(self):
        self.relabel(self.first("human"), direction="out")
        self.assertFinds("direction")

    def test_reply_marked_in(self):
        self.relabel(self.first("ctl-reply"), direction="in")
        self.assertFinds("direction")

    def test_machine_marked_eligible(self):
        self.relabel(self.first("machine-list"), autoreply_eligible=True)
        self.assertFinds("eligible")

    def test_person_marked_machine(self):
        self.relabel(self.first("human"), kind="machine-noreply", autoreply_eligible=False,
                     categories=[])
        self.assertFinds("signals")

    def test_missing_list_headers(self):
        self.edit(self.first("machine-list"), lambda raw: re.sub(rb"(?m)^List-Id: .*\n", b"", raw))
        self.assertFinds("signals")

    def test_signal_on_person_mail(self):
        self.edit(self.first("human"), lambda raw: b"Precedence: bulk\n" + raw)
        self.assertFinds("signals")

    def test_bounce_without_null_return_path(self):
        self.edit(self.first("machine-bounce"),
                  lambda raw: raw.replace(b"Return-Path: <>\n", b"Return-Path: <x@example.com>\n"))
        self.assertFinds("signals")

    def test_reply_in_another_conversation(self):
        i = self.first("ctl-reply")
        other = next(lb["conversation"] for lb in self.labels
                     if lb["conversation"] != self.labels[i]["conversation"]
                     and lb["kind"] == "human" and lb["troop"] == self.labels[i]["troop"])
        self.relabel(i, conversation=other)
        self.assertFinds("thread")

    def test_conversation_number_skipped(self):
        top = max(lb["conversation"] for lb in self.labels)
        self.write([dict(lb, conversation=top + 1) if lb["conversation"] == top else lb
                    for lb in self.labels])
        self.assertFinds("thread")

    def test_references_dropped(self):
        self.edit(self.first("ctl-reply"),
                  lambda raw: re.sub(rb"(?m)^In-Reply-To: .*\n", b"", raw))
        self.assertFinds("thread")

    def test_threading_headers_label(self):
        self.relabel(self.first("human-followup", threading_headers=True), threading_headers=False)
        self.assertFinds("thread")

    def test_unknown_category(self):
        self.relabel(self.first("human"), categories=["bogus"])
        self.assertFinds("category")

    def test_other_category(self):
        i = self.first("human")
        other = sorted(CATEGORIES - set(self.labels[i]["categories"]))[0]
        self.relabel(i, categories=[other])
        self.assertFinds("category")

    def test_other_language(self):
        self.relabel(self.first("human", language="en"), language="es")
        self.assertFinds("language")

    def test_followup_language(self):
        self.relabel(self.first("human-followup", language="es"), language="en")
        self.assertFinds("language")

    def test_no_language(self):
        self.relabel(self.first("machine-noreply"), language="fr")
        self.assertFinds("language")

    def test_message_id(self):
        self.relabel(self.first("human"), message_id="<changed@example.com>")
        self.assertFinds("id")

    def test_date(self):
        i = self.first("human")
        self.relabel(i, date=self.labels[i]["date"] + 1)
        self.assertFinds("date")

    def test_label_missing(self):
        self.write(self.labels[:-1])
        self.assertFinds("files")
        self.assertFinds("count")

    def test_unlabelled_file(self):
        shutil.copy(os.path.join(self.copy, self.labels[0]["file"]),
                    os.path.join(self.copy, "cur", "extra:2,"))
        self.assertFinds("files")

    def test_extra_field(self):
        self.relabel(0, extra=1)
        self.assertFinds("fields")

    def test_mbox_quoting(self):
        """An unquoted "From " line in an mbox body starts another message."""
        c = corpus("--seed", 1, "--count", 20, "--format", "mbox")
        path = os.path.join(self.dir, "m")
        shutil.copytree(c, path, copy_function=os.link)
        with open(os.path.join(path, "corpus.mbox"), "rb") as f:
            data = f.read()
        self.assertEqual(check_corpus(path, "mbox", 20), [])
        cut = data.index(b"\n\n", data.index(b"\nMessage-ID:")) + 2
        replace(os.path.join(path, "corpus.mbox"), data[:cut] + b"From here on\n" + data[cut:])
        self.assertTrue(any(p.startswith("files:")
                            for p in check_corpus(path, "mbox", 20)))


if __name__ == "__main__":
    unittest.main()
