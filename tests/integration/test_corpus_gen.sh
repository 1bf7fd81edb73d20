# The corpus generator's own unit test (tests/corpus/test_gen.py): every label it writes agrees
# with its message, the same seed gives the same bytes.  Fails when the unit test fails or
# runs no test.
# duration: 11 s
. "$TOP/tests/integration/lib.sh"
have_corpus_gen || fail "corpus generator $CORPUS_GEN not found"
cd "$TMPDIR"
set +e
$PY -B -m unittest discover -s "$TOP/tests/corpus" -p test_gen.py -v >unittest.log 2>&1
rc=$?
set -e
cat unittest.log
ran=$(sed -n 's/^Ran \([0-9][0-9]*\) tests\{0,1\} in .*/\1/p' unittest.log)
expect_eq "unittest exit" 0 "$rc"
[ "${ran:-0}" -gt 0 ] || fail "the generator's unit test ran no test"
grep -q "^OK" unittest.log || fail "unittest did not end with OK"
echo "ok: $ran tests of the corpus generator passed"
