# liaison route: the shipped routing model is exactly what tools/train-routes-model.sh makes of
# the committed training and development sets (never the held-out set); a message only the
# model understands is filed with its category's priority and flags; `route eval` scores
# labelled mail (--targets, --json, a bad line named); `route explain` names the rules and
# the words behind each category, under the confidentiality rules; `route train
# --from-store` learns from what liaisons corrected, for admins only, audited.
# duration: 10 s
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"

# The shipped model, made again from its files: byte for byte the same.
(cd "$TOP" && LIAISON=$LIAISON sh tools/train-routes-model.sh "$TMPDIR/again.model") >train.out
cmp "$TOP/config/routes.model" again.model || fail "config/routes.model is not what its training files make (run make model)"
# Its inputs are the training and development sets, nothing else.
inputs=$(sed -n 's|^[[:space:]]*tests/routing/|tests/routing/|p' "$TOP/tools/train-routes-model.sh")
expect_eq "the model's training files" "tests/routing/train/*.jsonl tests/routing/dev-en.jsonl tests/routing/dev-es.jsonl" "$inputs"
grep -q "^child-abuse " train.out || { cat train.out; fail "the training report lacks a category"; }
echo "ok: the shipped model is what tools/train-routes-model.sh makes"

# Mail routed through the ordinary path (import): a disclosure without one word a rule
# knows, found by the model, carries what the rules of its categories set.
maildir_msg k kid@example.org "idk" kid "my stepdad comes in my room when mom is at work and i dont like what he does. please dont tell her"
maildir_msg k ann@example.org "Streetlight out on Elm Street" ann "The streetlight at the corner of Elm and Main has been out for a week."
maildir_msg k bo@example.org "Coffee with a Cop" bo "Could a trooper join our Coffee with a Cop morning at the diner in Putnam on the 12th?"
write_config r.conf "$TMPDIR/r.db"
export LIAISON_CONFIG=$TMPDIR/r.conf
$LIAISON init >/dev/null
$LIAISON import --mailbox K k >/dev/null
$LIAISON messages --json >m.json
routed() { $PY -c 'import json,sys; d={m["from"].split("@")[0]: m for m in json.load(open("m.json"))}; m=d[sys.argv[1]]; print(m[sys.argv[2]])' "$1" "$2"; }
case "$(routed kid rules)" in *model:child-abuse*) ;; *) fail "the disclosure was not found by the model: $(routed kid rules)" ;; esac
expect_eq "the ordinary message is no category" None "$(routed ann categories)"
expect_eq "the invitation is an event request, by its rule" event-request "$(routed bo rules)"
KID=$($LIAISON threads --json | $PY -c 'import json,sys; print([t["ref"] for t in json.load(sys.stdin) if t["correspondent"].startswith("kid@")][0])')
ANN=$($LIAISON threads --json | $PY -c 'import json,sys; print([t["ref"] for t in json.load(sys.stdin) if t["correspondent"].startswith("ann@")][0])')
$LIAISON threads --json >t.json
kid_flags=$($PY -c 'import json,sys; t=[t for t in json.load(open("t.json")) if t["ref"]==sys.argv[1]][0]; print(t["confidential"], t["reportable"], t["priority"] in ("high", "urgent"))' "$KID")
expect_eq "the model's category carries the rules' flags (confidential, reportable, high or urgent)" "True True True" "$kid_flags"
echo "ok: import routes by the model too"

# route explain: rules and the model's words, for the thread's readers only.
$LIAISON route explain "$KID" >explain.txt
grep -q "by: *.*model:child-abuse" explain.txt || { cat explain.txt; fail "explain does not say the model found it"; }
grep -q '^    child-abuse  *0\.[0-9]* >= ' explain.txt || { cat explain.txt; fail "explain lacks the probability and threshold"; }
grep -q '"stepdad" +[0-9]' explain.txt || { cat explain.txt; fail "explain names no feature"; }
expect_code "a liaison of another troop may not" 1 $LIAISON --as bell route explain "$KID"
expect_code "a liaison who is not its assignee may not read a confidential thread" 1 $LIAISON --as walsh route explain "$KID"
expect_code "no such thread" 2 $LIAISON route explain K-2026-99999
$LIAISON route explain "$ANN" | grep -q "categories: none" || fail "explain of the ordinary thread"
$LIAISON route explain --file "k/cur/kid:2," --rules "$TOP/config/routes.conf" | grep -q "model:child-abuse" || fail "explain --file"
echo "ok: route explain"

# route eval on a labelled file: figures, misses, look-alikes, --json, --targets.
cat >lab.jsonl <<'EOF'
{"id": "a", "subject": "", "body": "my stepdad comes in my room when mom is at work and i dont like what he does", "categories": ["child-abuse", "sexual-assault"]}
{"id": "b", "subject": "walk", "body": "Our Domestic Violence Awareness walk is October 3; could a trooper walk with us?", "categories": ["event-request"], "lookalike": true}
{"id": "c", "subject": "bus", "body": "The bus was late again today.", "categories": ["emergency"]}
EOF
$LIAISON route eval --rules "$TOP/config/routes.conf" lab.jsonl >eval.txt
grep -q "^3 labelled messages; rules [0-9]*, and the routing model" eval.txt || { cat eval.txt; fail "eval header"; }
grep -q "^  c  *emergency" eval.txt || { cat eval.txt; fail "the miss is not listed"; }
grep -q "^look-alikes: 1; marked urgent 0 (0.0 %), marked sensitive 0 (0.0 %)" eval.txt || { cat eval.txt; fail "the look-alike line"; }
expect_eq "--json: the child-abuse example found" 1 "$($LIAISON route eval --json --rules "$TOP/config/routes.conf" lab.jsonl | $PY -c 'import json,sys; print(json.load(sys.stdin)["categories"]["child-abuse"]["found"])')"
expect_code "--targets missed: exit 1" 1 $LIAISON route eval --targets --rules "$TOP/config/routes.conf" lab.jsonl
printf '{"id": "x", "body": "fine", "categories": []}\n{"id": "y", "categories": []}\n' >bad.jsonl
expect_code "a bad line: exit 2" 2 $LIAISON route eval --rules "$TOP/config/routes.conf" bad.jsonl
$LIAISON route eval --rules "$TOP/config/routes.conf" bad.jsonl 2>&1 | grep -q "bad.jsonl:2: no \"body\" string" || fail "the bad line is not named"
echo "ok: route eval"

# The agency's corrections: a liaison sets a category and makes a thread urgent; an admin
# trains on them (nobody else), and the reading is audited.
# The streetlight thread (routing gave it nothing) becomes services and urgent: one more
# example of each; a confidential flag alone corrects no category, so the invitation is none.
$LIAISON --as coordinator category "$ANN" services >/dev/null
$LIAISON --as coordinator flag "$ANN" urgent >/dev/null
BO=$($LIAISON threads --json | $PY -c 'import json,sys; print([t["ref"] for t in json.load(sys.stdin) if t["correspondent"].startswith("bo@")][0])')
$LIAISON --as coordinator flag "$BO" confidential >/dev/null
positives() { awk -v c="$1" '$1 == c { print $2 }' "$2"; }
$LIAISON route train --category emergency --category services --out base.model lab.jsonl "$TOP/tests/routing/train/en-1.jsonl" >base.out 2>&1 || { cat base.out; fail "train"; }
$LIAISON route train --from-store --category emergency --category services --out s.model lab.jsonl "$TOP/tests/routing/train/en-1.jsonl" >s.out 2>&1 || { cat s.out; fail "train --from-store"; }
grep -q "1 corrected threads from the store" s.out || { cat s.out; fail "the corrected thread was not read"; }
expect_eq "services: one more example, the corrected thread" "$(($(positives services base.out) + 1))" "$(positives services s.out)"
expect_eq "emergency: one more, the thread made urgent" "$(($(positives emergency base.out) + 1))" "$(positives emergency s.out)"
expect_eq "the model file is its trainer's alone (mode 600)" 600 "$(stat -c %a s.model)"
head -n 1 s.model | grep -qx "liaison-route-model 1" || fail "no model written"
expect_code "a coordinator may not train on the store" 1 $LIAISON --as coordinator route train --from-store --out c.model lab.jsonl
printf '{"id": "z", "body": "x", "categories": ["sexual assault"]}\n' >space.jsonl
expect_code "a category that is not a name: exit 2" 2 $LIAISON route train --out z.model space.jsonl
expect_code "33 categories: exit 2" 2 $LIAISON route train --out z.model $(for i in $(seq 1 33); do printf -- '--category c%s ' "$i"; done) lab.jsonl
$LIAISON --as records audit --json | grep -q '"route-train"' || fail "training on the store is not audited"
expect_code "train needs --out" 2 $LIAISON route train lab.jsonl
echo "ok: route train --from-store"

# A rules file whose model is broken is refused with its file and line, like a bad rule.
sed '/^\[model\]/,/^file/d' "$TOP/config/routes.conf" >broken.conf
printf '[model]\nfile = broken.model\n' >>broken.conf
printf 'liaison-route-model 1\ncategories emergency\nbias x\n' >broken.model
$LIAISON route eval --rules broken.conf lab.jsonl 2>broken.err && fail "a broken model was accepted"
grep -q "broken.conf:[0-9]*: \[model\]: .*broken.model:3: expected 1 numbers" broken.err || { cat broken.err; fail "the broken model is not named"; }
echo "ok: a broken model named"
