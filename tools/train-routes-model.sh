#!/bin/sh
# Trains the routing model shipped as config/routes.model (or FILE) from the training set and
# the development set of tests/routing/ — never from the held-out set, which only measures
# (bench/route-eval.sh).  Deterministic: the same files give the same model, byte for byte;
# tests/integration/test_route_model.sh checks the shipped one is this script's.
#
#   tools/train-routes-model.sh [FILE]
set -eu
cd "$(dirname "$0")/.."
out=${1:-config/routes.model}
"${LIAISON:-./liaison}" route train --out "$out" --recall 0.95 \
	--category emergency --category domestic-violence --category hate-crime \
	--category sexual-assault --category child-abuse --category look-alike \
	tests/routing/train/*.jsonl tests/routing/dev-en.jsonl tests/routing/dev-es.jsonl
