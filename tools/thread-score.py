#!/usr/bin/env python3
"""Pairwise threading precision and recall against the corpus ground truth.

    thread-score.py LABELS.jsonl liaison MESSAGES.json...   (liaison messages --json output)
    thread-score.py LABELS.jsonl notmuch SHOW.json           (notmuch show --format=json --body=false '*')

Prints "precision P recall R messages N" and exits 0.  Two messages are a true pair when the
labels give them the same conversation, a predicted pair when the tool put them in one thread.
"""
import json
import sys
from collections import Counter, defaultdict


def pairs(sizes):
    return sum(n * (n - 1) // 2 for n in sizes)


def liaison_threads(paths):
    threads = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for m in json.load(f):
                if m.get("thread") and m.get("message_id"):
                    threads["<" + m["message_id"] + ">"] = m["mailbox"] + "/" + m["thread"]
    return threads


def notmuch_threads(path):
    threads = {}
    n = 0

    def walk(node, tid):
        # notmuch show JSON: a thread is a list of [message, [replies...]] pairs.
        if isinstance(node, dict) and "id" in node:
            threads["<" + node["id"] + ">"] = tid
        elif isinstance(node, list):
            for child in node:
                walk(child, tid)

    with open(path, encoding="utf-8") as f:
        for thread in json.load(f):
            n += 1
            walk(thread, n)
    return threads


def main():
    labels_path, tool = sys.argv[1], sys.argv[2]
    predicted = liaison_threads(sys.argv[3:]) if tool == "liaison" else notmuch_threads(sys.argv[3])
    truth = {}
    with open(labels_path, encoding="utf-8") as f:
        for line in f:
            label = json.loads(line)
            truth[label["message_id"]] = label["conversation"]
    common = [mid for mid in truth if mid in predicted]
    both = Counter((predicted[m], truth[m]) for m in common)
    tp = pairs(both.values())
    pred_pairs = pairs(Counter(predicted[m] for m in common).values())
    true_pairs = pairs(Counter(truth[m] for m in common).values())
    precision = tp / pred_pairs if pred_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    print(f"precision {precision:.4f} recall {recall:.4f} messages {len(common)} "
          f"of {len(truth)}")


if __name__ == "__main__":
    main()
