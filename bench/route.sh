#!/bin/sh
# Routing quality: per-category recall and precision of config/routes.conf against the
# ground truth of a generated corpus.  Prints figures; asserts nothing (set ROUTE_TARGETS=1
# to exit 1 when a target of tools/route-score.py --targets is missed).
#
#   bench/route.sh CORPUS_DIR PREDICTIONS.json
#
# CORPUS_DIR is a gen-ctl-corpus.py output (it holds labels.jsonl), for example
#   /usr/bin/python3 ../shared/corpus/gen-ctl-corpus.py --count 5000 --seed 5 --troops KL --out DIR
# PREDICTIONS.json is a JSON list of {"message_id", "categories"} for the corpus's messages.
# Placeholder: until the liaison command that routes a corpus and prints that list exists,
# the JSON is made outside this script and passed in.
set -eu
cd "$(dirname "$0")/.."
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: bench/route.sh CORPUS_DIR PREDICTIONS.json" >&2; exit 2; }
corpus=$1
labels=$corpus/labels.jsonl
[ -f "$labels" ] || { echo "bench: no $labels (make one with gen-ctl-corpus.py)" >&2; exit 2; }
if [ $# -lt 2 ]; then
	echo "bench: give the routing predictions for $corpus as a JSON file (second argument)" >&2
	exit 2
fi
json=$2
[ -f "$json" ] || { echo "bench: no $json" >&2; exit 2; }
targets=
[ -z "${ROUTE_TARGETS:-}" ] || targets=--targets
echo "bench: routing of $corpus ($(wc -l <"$labels") labelled messages) by config/routes.conf"
exec /usr/bin/python3 tools/route-score.py $targets "$labels" "$json"
