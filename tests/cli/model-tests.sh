#!/bin/sh
# model-tests.sh: expect: checks on pipeline steps, guild.yml's test:
# items run by guild test, and private operations left out of listings.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
export GUILD

proj=$(make_project mtest <<'EOF'
- model: m
  operations:
    train:
      main: train
      flags:
        epochs: 3
        lossval: 0.5
        acc: 0.93
    _check:
      exec: sh -c 'echo checked'
    pipeline:
      steps:
        - run: train
          expect:
            - output: 'epochs=3'
            - scalar: accuracy > 0.99
- model: _hidden
  operations:
    x:
      exec: true
- test: quick
  description: One epoch, accuracy above chance
  steps:
    - run: train
      flags: {epochs: 1}
      expect:
        - output: 'epochs=1'
        - file: out.txt
          contains: 'wor'
        - file: out.txt
          compare-to: expected.txt
        - scalar: accuracy >= 0.9
        - scalar: max loss < 1
    - run: _check
      expect: {output: checked}
- test: strict
  steps:
    - run: train
      expect:
        - scalar: accuracy > 0.99
        - file: model/*.bin
EOF
)
cd "$proj" || exit 1
printf 'hello\nworld\n' > expected.txt
cat > train.py <<'EOF'
epochs = 3
lossval = 0.5
acc = 0.93
print("epochs=%d" % epochs)
print("loss: %s" % lossval)
print("accuracy: %s" % acc)
with open("out.txt", "w") as f:
    f.write("hello\nworld\n")
EOF

expect_output "guild test --list: name and description" - -- guild test --list <<'EOF'
quick   One epoch, accuracy above chance
strict
EOF
expect_output "private models and operations are not listed" - -- guild ops <<'EOF'
./m:pipeline
./m:train
EOF
expect_output "unless -a" - -- guild ops -a <<'EOF'
./_hidden:x
./m:_check
./m:pipeline
./m:train
EOF
expect_output "guild models leaves the private one out" - -- guild models <<'EOF'
./m
EOF

expect_output "a passing test" - -- guild test -y quick <<'EOF'
test quick ... ok

1 test: 1 passed, 0 failed
EOF
run=$("$GUILD" select -o test:quick)
expect_output "the test is a pipeline run labelled with its name" - -- guild runs -n 3 <<'EOF'
[0:<id>]  ./m:_check    <time>  completed
[1:<id>]  ./m:train     <time>  completed  acc=0.93 epochs=1 lossval=0.5
[2:<id>]  ./test:quick  <time>  completed  quick
EOF
ok "its output lists the checks that passed" grep -q "INFO: \[guild\] train: check passed: scalar accuracy >= 0.9 (last 0.93 at step 0)" "$GUILD_HOME/runs/$run/.guild/output"
ok "and how many" grep -q "INFO: \[guild\] train: 5 of 5 checks passed" "$GUILD_HOME/runs/$run/.guild/output"

expect_output "a failing test says which checks failed and what was found" - 1 -- guild test -y strict <<'EOF'
test strict ... FAILED
    ERROR: [guild] train: check failed: scalar accuracy > 0.99: last 0.93 at step 0
    ERROR: [guild] train: check failed: file 'model/*.bin': no file matches

1 test: 0 passed, 1 failed
EOF
ok "the failed test's run is an error" test "$(cat "$GUILD_HOME/runs/$("$GUILD" select -o test:strict)/.guild/attrs/exit_status")" = 3

expect_output "all tests, flags passed to every step that has them" - 1 -- guild test -y acc=0.995 epochs=1 <<'EOF'
test quick ... ok
test strict ... FAILED
    ERROR: [guild] train: check failed: file 'model/*.bin': no file matches

2 tests: 1 passed, 1 failed
EOF
ok "a flag given to guild test wins over the step's own" grep -qx "epochs: 1" "$GUILD_HOME/runs/$("$GUILD" select -o m:train)/.guild/attrs/flags"

expect_output "--stop-on-fail" - 1 -- guild test -y --stop-on-fail strict quick <<'EOF'
test strict ... FAILED
    ERROR: [guild] train: check failed: scalar accuracy > 0.99: last 0.93 at step 0
    ERROR: [guild] train: check failed: file 'model/*.bin': no file matches

1 test: 0 passed, 1 failed, 1 not run
EOF
expect_output "a compare-to file that differs" - 1 -- sh -c 'printf "hello\nthere\n" > expected.txt; "$GUILD" test -y quick; rc=$?; printf "hello\nworld\n" > expected.txt; exit $rc' <<'EOF'
test quick ... FAILED
    ERROR: [guild] train: check failed: file 'out.txt' is the same as 'expected.txt': out.txt differs at line 2: 'world' where the expected file has 'there'

1 test: 0 passed, 1 failed
EOF
expect_output "an unknown test" - 1 -- guild test -y nope <<'EOF'
guild: no test named 'nope' in $TEST_TMP/mtest/guild.yml (tests: quick, strict)
EOF
expect_output "no -y and no answer: nothing runs" - 1 -- guild test quick <<'EOF'
You are about to run 1 test: quick
Continue? (Y/n) 
EOF

# expect: works in any pipeline; a failed check ends it with Guild's
# TEST_FAILED status, 3.
expect_output "a pipeline's failed check" - 3 -- guild run -y pipeline <<'EOF'
INFO: [guild] running train: m:train
epochs=3
loss: 0.5
accuracy: 0.93
INFO: [guild] train: check passed: output matches 'epochs=3' (in line 'epochs=3')
ERROR: [guild] train: check failed: scalar accuracy > 0.99: last 0.93 at step 0
INFO: [guild] train: 1 of 2 checks passed
guild: stopping because a check failed - see above for details
EOF
expect_output "the pipeline's steps attr keeps the checks" - -- cat "$GUILD_HOME/runs/$("$GUILD" select -o m:pipeline)/.guild/attrs/steps" <<'EOF'
- expect:
  - output: epochs=3
  - scalar: accuracy > 0.99
  run: train
EOF

mkdir -p "$TEST_TMP/empty" && printf 'train: {exec: "true"}\n' > "$TEST_TMP/empty/guild.yml"
expect_output "a project without tests" - 1 -- guild -C "$TEST_TMP/empty" test -y <<'EOF'
guild: $TEST_TMP/empty/guild.yml has no tests (add a test: item; see guildfile(5))
EOF
expect_output "which lists nothing" - -- guild -C "$TEST_TMP/empty" test --list <<'EOF'
EOF
mkdir -p "$TEST_TMP/bad" && cat > "$TEST_TMP/bad/guild.yml" <<'EOF'
- test: broken
  steps:
    - run: a
      expect:
        - scalar: acc ~ 3
- model: m
  operations:
    a: {exec: "true"}
EOF
expect_output "a broken test fails alone, with guild.yml's line" - 1 -- guild -C "$TEST_TMP/bad" test -y <<'EOF'
test broken ... FAILED
    guild.yml:5:11: invalid scalar check 'acc ~ 3': expected '[last|min|max] KEY OP NUMBER' with OP one of >=, >, <=, <, ==, !=

1 test: 0 passed, 1 failed
EOF
expect_output "the rest of guild.yml works" - -- guild -C "$TEST_TMP/bad" ops <<'EOF'
./m:a
EOF

# File names are the run's, untrusted: a check's message shows their
# control bytes (it goes to the pipeline's output, so to a terminal).
mkdir -p "$TEST_TMP/names" && cat > "$TEST_TMP/names/guild.yml" <<'EOF'
- model: m
  operations:
    make:
      exec: python3 -c "open('esc\x1b]0;title\x07.txt', 'w').write('x'); open('nl\nx.txt', 'w').write('x')"
    pipe:
      steps:
        - run: make
          expect:
            - file: 'esc*'
            - file: 'nl*'
              contains: 'y'
EOF
expect_output "file names in check messages are shown safely" - 3 -- guild -C "$TEST_TMP/names" run -y pipe <<'EOF'
INFO: [guild] running make: m:make
INFO: [guild] make: check passed: file 'esc*' (esc\e]0;title\a.txt)
ERROR: [guild] make: check failed: file 'nl*' contains 'y': nl\nx.txt has no match
INFO: [guild] make: 1 of 2 checks passed
guild: stopping because a check failed - see above for details
EOF

done_testing
