#!/usr/bin/env python3
"""The first messages people wrote in a generated corpus, as labelled messages for
`liaison route train` and `liaison route eval` (tests/routing/README.md).

    corpus-to-labelled.py CORPUS_DIR [--max N] > OUT.jsonl

CORPUS_DIR is a gen-ctl-corpus.py output.  Only incoming messages written by a person that
start a conversation are taken ("human"); follow-ups carry their conversation's category
over a generic text, and machine mail is never routed.  "general" means no category.
"""
import argparse
import email
import email.policy
import html.parser
import json
import os
import sys


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def text_of(msg):
    body = msg.get_body(("plain", "html"))
    if body is None:
        return ""
    content = body.get_content()
    if body.get_content_type() == "text/html":
        p = _Text()
        p.feed(content)
        content = " ".join(p.parts)
    return content


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--max", type=int, default=0)
    a = ap.parse_args()
    n = 0
    for line in open(os.path.join(a.corpus, "labels.jsonl"), encoding="utf-8"):
        label = json.loads(line)
        if label.get("direction") != "in" or label.get("kind") != "human":
            continue
        with open(os.path.join(a.corpus, label["file"]), "rb") as f:
            msg = email.message_from_bytes(f.read(), policy=email.policy.default)
        out = {
            "id": label["message_id"].strip("<>"),
            "lang": label.get("language", ""),
            "subject": str(msg["Subject"] or ""),
            "body": text_of(msg),
            "categories": [c for c in label["categories"] if c != "general"],
            "lookalike": False,
            "style": "generated",
        }
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        n += 1
        if a.max and n >= a.max:
            break


if __name__ == "__main__":
    main()
