#!/bin/sh
# example-test.sh: the walkthrough's "Model tests" chapter, for real on
# examples/digits: guild test quick prepares the data, trains one epoch
# and checks the accuracy.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
export GUILD

# The example needs numpy and scikit-learn (Debian's python3-numpy and
# python3-sklearn, which quickstart.sh installs).
for py in python3 /usr/bin/python3; do
	if "$py" -c 'import numpy, sklearn' > /dev/null 2>&1; then
		GUILD_PYTHON_EXE=$(command -v "$py")
		export GUILD_PYTHON_EXE
		break
	fi
done
[ -n "${GUILD_PYTHON_EXE:-}" ] || skip_all "no python3 with numpy and sklearn"

cp -R "$top_srcdir/examples/digits" "$TEST_TMP/digits" && chmod -R u+w "$TEST_TMP/digits"
cd "$TEST_TMP/digits" || exit 1

expect_output "guild test --list" - -- guild test --list <<'EOF'
quick  Train one epoch and check the accuracy is above chance.
EOF
expect_output "guild test quick passes" - -- guild test -y quick <<'EOF'
test quick ... ok

1 test: 1 passed, 0 failed
EOF
expect_output "its runs: the pipeline, labelled quick, and its two steps" - -- sh -c '"$GUILD" runs | sed -e "s/  *\$//" -e "s/dataset=\x27\{0,1\}[0-9a-f]\{8\}\x27\{0,1\} /dataset=<short> /"' <<'EOF'
[0:<id>]  ./digits:train         <time>  completed  batch-size=32 dataset=<short> epochs=1 hidden=64 lr=0.1 seed=1
[1:<id>]  ./digits:prepare-data  <time>  completed  seed=0 test-split=0.2 val-split=0.1
[2:<id>]  ./test:quick           <time>  completed  quick
EOF
test_run=$("$GUILD" select -o test:quick)
ok "the checks passed, with what they found" grep -q "INFO: \[guild\] train: check passed: scalar val_accuracy >= 0.5 (last 0\.[5-9][0-9]* at step 1)" "$GUILD_HOME/runs/$test_run/.guild/output"
ok "all four" grep -q "INFO: \[guild\] train: 4 of 4 checks passed" "$GUILD_HOME/runs/$test_run/.guild/output"

# A flag for every step that has it: train gets epochs=2, prepare-data
# (which has no epochs flag) is run as before.
expect_output "guild test quick epochs=2: train gets the flag, prepare-data does not" - -- sh -c '"$GUILD" test -y quick epochs=2 && "$GUILD" runs -n 2 | sed -e "s/  *\$//" -e "s/dataset=\x27\{0,1\}[0-9a-f]\{8\}\x27\{0,1\} /dataset=<short> /"' <<'EOF'
test quick ... ok

1 test: 1 passed, 0 failed
[0:<id>]  ./digits:train         <time>  completed  batch-size=32 dataset=<short> epochs=2 hidden=64 lr=0.1 seed=1
[1:<id>]  ./digits:prepare-data  <time>  completed  seed=0 test-split=0.2 val-split=0.1
EOF

# The walkthrough's "Packages" chapter: the digits model as a wheel,
# installed into a virtual environment (which sees the system's numpy
# and scikit-learn) and run from a directory with no project.
expect_output "guild package" - -- guild package <<'EOF'
Created $TEST_TMP/digits/dist/digits-0.0.0-py2.py3-none-any.whl (9 project files)
EOF
if "$GUILD_PYTHON_EXE" -m venv --system-site-packages "$TEST_TMP/venv" > "$TEST_TMP/venv.log" 2>&1; then
	GUILD_PYTHON_EXE=$TEST_TMP/venv/bin/python3
	ok "guild install, offline" "$GUILD" install --no-deps dist/digits-0.0.0-py2.py3-none-any.whl
	mkdir -p "$TEST_TMP/elsewhere" && cd "$TEST_TMP/elsewhere" || exit 1
	expect_output "the installed model's operations" - -- guild ops train <<'EOF'
digits/digits:train  Train classifier from scratch.
EOF
	expect_output "prepare-data from the package" - -- sh -c '"$GUILD" run -y digits/digits:prepare-data > /dev/null && "$GUILD" runs -n 1 | sed "s/  *\$//"' <<'EOF'
[0:<id>]  digits/digits:prepare-data  <time>  completed  seed=0 test-split=0.2 val-split=0.1
EOF
	expect_output "and train, whose dataset resolves to it" - -- sh -c '"$GUILD" run -y digits/digits:train epochs=1 2>&1 | tail -1' <<'EOF'
val_accuracy: 0.7622
EOF
else
	diag "$(cat "$TEST_TMP/venv.log")"
	skip "the digits package" "python3 -m venv does not work here (python3-venv)"
fi

done_testing
