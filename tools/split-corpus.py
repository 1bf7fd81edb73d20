#!/usr/bin/env python3
"""Split a generated Maildir corpus into one Maildir per troop, as each troop's shared
mailbox would hold it:  split-corpus.py CORPUS OUTDIR  ->  OUTDIR/K, OUTDIR/L ...
Files are hard-linked when possible (same bytes, no copy)."""
import json
import os
import shutil
import sys

corpus, out = sys.argv[1], sys.argv[2]
with open(os.path.join(corpus, "labels.jsonl"), encoding="utf-8") as f:
    for line in f:
        label = json.loads(line)
        box = os.path.join(out, label["troop"])
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(box, sub), exist_ok=True)
        src = os.path.join(corpus, label["file"])
        dst = os.path.join(box, label["file"])
        try:
            os.link(src, dst)
        except OSError:
            shutil.copyfile(src, dst)
