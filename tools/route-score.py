#!/usr/bin/env python3
"""Per-category recall and precision of the routing rules against the corpus ground truth.

    route-score.py [--targets] LABELS.jsonl PREDICTIONS.json

LABELS.jsonl is gen-ctl-corpus.py's ground truth; PREDICTIONS.json is a JSON list of
{"message_id": ..., "categories": [...]} (angle brackets around the id optional), for
example the output of `liaison messages --json` after `liaison poll` stored the corpus:
there "categories" is a comma-separated string or null, and "direction" and "kind"
(person/machine) are liaison's own classification, which is compared with the labels too
(liaison records categories only for incoming person mail).  Rows with the same message_id
(one per mailbox) are merged.

Scored: incoming messages written by a person (direction "in", kind "human").  Follow-ups
("human-followup") carry their conversation's category but a generic text, so they get a
table of their own; machine mail and the liaisons' own replies are only counted for
categories they were wrongly given.  "general" means no specific category: such messages
are scored only by the false positives they cause.

--targets exits 1 unless recall >= 0.98 for emergency, hate-crime, domestic-violence and
sexual-assault and precision >= 0.9 for every category predicted.
"""
import argparse
import json
import sys
from collections import Counter

CRITICAL = ("emergency", "hate-crime", "domestic-violence", "sexual-assault")
MIN_RECALL = 0.98
MIN_PRECISION = 0.9
NO_CATEGORY = "general"


def norm_id(mid):
    return (mid or "").strip().strip("<>")


def categories_of(value):
    if not value:
        return set()
    if isinstance(value, str):
        return {c.strip() for c in value.split(",") if c.strip()}
    return set(value)


def load_predictions(path):
    """{message_id: categories}, {message_id: (direction, kind)} (liaison's, when given)."""
    with open(path, encoding="utf-8") as f:
        items = json.load(f)
    predicted, classified = {}, {}
    for p in items:
        mid = norm_id(p.get("message_id"))
        predicted.setdefault(mid, set()).update(categories_of(p.get("categories")))
        if p.get("direction") or p.get("kind"):
            classified.setdefault(mid, (p.get("direction"), p.get("kind")))
    return predicted, classified


def score(labels, predicted):
    """Counts per category: support, true positives, predicted."""
    support, tp, pred = Counter(), Counter(), Counter()
    for label in labels:
        truth = set(label["categories"]) - {NO_CATEGORY}
        got = predicted.get(norm_id(label["message_id"]), set())
        for c in truth:
            support[c] += 1
        for c in got:
            pred[c] += 1
            if c in truth:
                tp[c] += 1
    return support, tp, pred


def ratio(num, den):
    return num / den if den else None


def fmt(x):
    return "     -" if x is None else f"{x:6.3f}"


def table(title, labels, predicted, out):
    support, tp, pred = score(labels, predicted)
    cats = sorted(set(support) | set(pred))
    out.write(f"{title}\n")
    out.write(f"  {'category':<22} {'recall':>6} {'precision':>9} {'support':>7} {'predicted':>9}\n")
    rows = {}
    for c in cats:
        r, p = ratio(tp[c], support[c]), ratio(tp[c], pred[c])
        rows[c] = (r, p)
        out.write(f"  {c:<22} {fmt(r)} {fmt(p):>9} {support[c]:>7} {pred[c]:>9}\n")
    all_tp, all_sup, all_pred = sum(tp.values()), sum(support.values()), sum(pred.values())
    out.write(f"  {'(all, micro)':<22} {fmt(ratio(all_tp, all_sup))} "
              f"{fmt(ratio(all_tp, all_pred)):>9} {all_sup:>7} {all_pred:>9}\n")
    general = [lb for lb in labels if lb["categories"] == [NO_CATEGORY]]
    noisy = sum(1 for lb in general if predicted.get(norm_id(lb["message_id"])))
    if general:
        out.write(f"  {NO_CATEGORY}: {len(general)} messages, {noisy} given a category\n")
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--targets", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("labels")
    ap.add_argument("predictions")
    a = ap.parse_args()

    with open(a.labels, encoding="utf-8") as f:
        labels = [json.loads(line) for line in f if line.strip()]
    predicted, classified = load_predictions(a.predictions)
    missing = sum(1 for lb in labels if norm_id(lb["message_id"]) not in predicted)
    out = sys.stdout

    human = [lb for lb in labels if lb["direction"] == "in" and lb["kind"] == "human"]
    rows = table(f"first messages from people (direction in, kind human): {len(human)}",
                 human, predicted, out)
    followups = [lb for lb in labels if lb["kind"] == "human-followup"]
    out.write("\n")
    table(f"follow-ups (generic text; the subject repeats the first one's): {len(followups)}",
          followups, predicted, out)
    others = [lb for lb in labels if lb["kind"] not in ("human", "human-followup")]
    wrong = Counter()
    for lb in others:
        for c in predicted.get(norm_id(lb["message_id"]), ()):
            wrong[lb["kind"]] += 1
            break
    out.write(f"\nmachine mail and liaison replies: {len(others)}, given a category: "
              f"{sum(wrong.values())}")
    out.write("".join(f"  {k}={n}" for k, n in sorted(wrong.items())) + "\n")
    if missing:
        out.write(f"labelled messages without a prediction: {missing}\n")
    if classified:
        # Routing is recorded only for what liaison takes for incoming person mail: a person
        # taken for a machine (or the troop) loses every category.
        def agree(group):
            return sum(1 for lb in group
                       if classified.get(norm_id(lb["message_id"])) == ("in", "person"))
        machines = [lb for lb in others if lb["direction"] == "in"]
        out.write(f"liaison's own classification: {agree(human)} of {len(human)} first messages "
                  f"and {agree(followups)} of {len(followups)} follow-ups from people taken "
                  f"for incoming person mail; {agree(machines)} of {len(machines)} machine "
                  f"messages taken for a person\n")

    if a.targets:
        failed = []
        for c in CRITICAL:
            r = rows.get(c, (None, None))[0]
            if r is None or r < MIN_RECALL:
                failed.append(f"recall {c} {fmt(r).strip()} < {MIN_RECALL}")
        for c, (_, p) in rows.items():
            if p is not None and p < MIN_PRECISION:
                failed.append(f"precision {c} {fmt(p).strip()} < {MIN_PRECISION}")
        for line in failed:
            out.write(f"target missed: {line}\n")
        return 1 if failed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
