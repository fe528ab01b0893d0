#!/bin/sh
# global.sh: global options, command help, unknown commands and options,
# guild help, and guild.yml errors and warnings as the user sees them.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
export GUILD

proj=$(make_project p <<'EOF'
model: fashion
description: Basic fashion MNIST image classifier.
operations:
  train:
    description: Train classifier from scratch.
    main: train
    flags:
      lr:
        default: 0.1
        description: Learning rate
      epochs: 5
      optimizer:
        description: Optimizer
        default: adam
        choices: [adam, sgd]
      data:
        description: Data set
        required: yes
  _internal:
    description: Hidden.
  predict:
    description: |
      Use trained model to make predictions.
      More detail here.
    requires: trained-model
resources:
  trained-model:
    description: The trained model
    path: model
    sources:
      - operation: train
EOF
)
cd "$proj" || exit 1

expect_output "--version" - -- guild --version <<'EOF'
guild 0.1.0
EOF
guild --help > "$TEST_TMP/help"
ok "--help shows usage" grep -q '^Usage: guild \[OPTIONS\] COMMAND \[ARGS\]\.\.\.$' "$TEST_TMP/help"
for c in help models 'operations, ops' run watch; do
	ok "--help lists $c" grep -q "^  $c  " "$TEST_TMP/help"
done
ok "--help lists -C and -H" sh -c "grep -q '^  -C PATH' '$TEST_TMP/help' && grep -q '^  -H PATH' '$TEST_TMP/help'"
guild > "$TEST_TMP/noargs"
ok "no command shows the help" cmp -s "$TEST_TMP/help" "$TEST_TMP/noargs"
expect_output "unknown command" - 1 -- guild bogus <<'EOF'
guild: no such command 'bogus'
Try 'guild --help' for a list of commands.
EOF
expect_output "unknown long option" - 1 -- guild models --bogus <<'EOF'
guild: no such option: --bogus
Try 'guild models --help' for more information.
EOF
expect_output "unknown short option" - 1 -- guild ops -x <<'EOF'
guild: no such option: -x
Try 'guild operations --help' for more information.
EOF
expect_output "unknown global option" - 1 -- guild --bogus models <<'EOF'
guild: no such option: --bogus
Try 'guild  --help' for more information.
EOF
expect_output "option missing its value" - 1 -- guild run --label <<'EOF'
guild: option --label requires an argument
EOF
expect_output "command --help" - -- guild models --help <<'EOF'
Usage: guild models [OPTIONS] [FILTER]...

  Show available models.

  Lists the models of the project in the current directory.
  FILTER limits the list to models whose name contains it.

Options:
  -a, --all  Show all models, including private ones.
  --help     Show this message and exit.
EOF
expect_output "-C to a missing directory" - 1 -- guild -C "$TEST_TMP/nope" models <<'EOF'
guild: -C $TEST_TMP/nope: No such file or directory
EOF
expect_output "-H sets the home" - -- sh -c '"$GUILD" -H /x/y run --print-env train data=1 | grep ^GUILD_HOME=' <<'EOF'
GUILD_HOME=/x/y
EOF
expect_output "GUILD_HOME sets the home" - -- sh -c 'GUILD_HOME=/a/b "$GUILD" run --print-env train data=1 | grep ^GUILD_HOME=' <<'EOF'
GUILD_HOME=/a/b
EOF
expect_output "the home defaults to ~/.guild" - -- sh -c 'unset GUILD_HOME; "$GUILD" run --print-env train data=1 | grep ^GUILD_HOME=' <<'EOF'
GUILD_HOME=~/.guild
EOF

# guild help: models, operations, flags with defaults, resources.
expect_output "guild help" - -- guild help <<'EOF'
OVERVIEW

    You are viewing help for operations defined in the current directory.

    To run an operation use 'guild run OPERATION' where OPERATION is
    one of those listed below. If an operation belongs to a model,
    name it as MODEL:OPERATION.

    To list available operations, run 'guild operations'.

    Set operation flags using FLAG=VALUE arguments to the run
    command. Refer to the operations below for the supported flags.

    For more help, try 'guild run --help' or 'guild --help'.

MODELS

    fashion

      Basic fashion MNIST image classifier.

      Operations:

        predict
          Use trained model to make predictions.
          More detail here.

        train
          Train classifier from scratch.

          Flags:
            data       Data set (required)
            epochs     (default is 5)
            lr         Learning rate (default is 0.1)
            optimizer  Optimizer (default is adam)
                       Choices: adam, sgd

      Resources:
        trained-model  The trained model
EOF
cd "$TEST_TMP" || exit 1
guild help "$proj" > "$TEST_TMP/help-path"
ok "guild help PATH" grep -q "defined in $proj\.$" "$TEST_TMP/help-path"
cd "$proj" || exit 1

# Through $PAGER on a terminal (tmux), not otherwise.
if command -v tmux > /dev/null 2>&1; then
	cat > "$TEST_TMP/pager" <<'EOF'
#!/bin/sh
echo "PAGER GOT $(wc -l) LINES"
EOF
	chmod +x "$TEST_TMP/pager"
	sock=$TEST_TMP/tmux.sock
	tmux -S "$sock" -f /dev/null new-session -d -s t -x 80 -y 24 \
	    "cd '$proj' && PAGER='$TEST_TMP/pager' '$GUILD' help; exec cat > /dev/null"
	wait_for 120 sh -c "tmux -S '$sock' capture-pane -p -t t | grep -q 'PAGER GOT'"
	tmux -S "$sock" capture-pane -p -t t > "$TEST_TMP/screen"
	tmux -S "$sock" kill-server
	ok "guild help on a terminal goes through \$PAGER" grep -q '^PAGER GOT [0-9]* LINES$' "$TEST_TMP/screen"
else
	skip "guild help through \$PAGER" "tmux is not installed"
fi
PAGER="$TEST_TMP/pager" guild help > "$TEST_TMP/nopager"
ok "not through \$PAGER when not a terminal" grep -q '^OVERVIEW$' "$TEST_TMP/nopager"

# guild.yml errors: file, line and column; exit 1; an unknown attribute fails
# its operation when it is used.
cat > guild.yml <<'EOF'
train:
  main: train
  flags: [1, 2]
EOF
expect_output "wrong type: file:line:col, when the operation is used" - 1 -- \
    guild run -y train <<'EOF'
guild: guild.yml:3:10: invalid value for 'flags': expected a mapping
EOF
printf 'train:\n  main: train\n   bad: indent\n' > guild.yml
expect_output "bad YAML: file:line:col" - 1 -- guild ops <<'EOF'
guild: guild.yml:3:7: mapping values are not allowed in this context
EOF
cat > guild.yml <<'EOF'
- model: a
  extends: b
- config: b
  extends: a
EOF
expect_output "extends cycle" - 1 -- guild models <<'EOF'
guild: guild.yml:4:12: cycle in 'extends' (a -> b -> a)
EOF
cat > guild.yml <<'EOF'
- description: no type here
EOF
expect_output "item without a type" - 1 -- guild models <<'EOF'
guild: guild.yml:1:3: missing required type (one of: config, include, model, package, test)
EOF
cat > guild.yml <<'EOF'
train:
  main: train
  colour: blue
  flags:
    lr:
      default: 0.1
      sharpness: 3
eval:
  main: train
  flags:
    lr:
      default: 0.1
      sharpness: 3
good:
  main: train
EOF
expect_output "unknown attributes: guild ops lists every operation, silently" \
    - -- guild ops <<'EOF'
./eval
./good
./train
EOF
expect_output "an unknown operation attribute fails that operation" - 1 -- \
    guild run -y train <<'EOF'
guild: guild.yml:3:3: unknown operation attribute 'colour'
EOF
expect_output "an unknown flag attribute fails its operation" - 1 -- \
    guild run -y eval <<'EOF'
guild: guild.yml:13:7: unknown flag attribute 'sharpness'
EOF
printf 'print("good ran")\n' > train.py
expect_output "the other operations still run" - -- guild run -y good <<'EOF'
good ran
EOF
rm -f train.py
cat > guild.yml <<'EOF'
- model: m
  operations:
    $include: nothere
EOF
guild ops > "$TEST_TMP/out" 2>&1
ok "missing \$include target: exit 1" test $? -eq 1
ok "missing \$include target: one line naming it" sh -c "test \$(wc -l < '$TEST_TMP/out') -eq 1 && grep -q '^guild: guild.yml:3:[0-9]*: .*nothere' '$TEST_TMP/out'"
printf '\0\1\2\377garbage' > guild.yml
guild ops > "$TEST_TMP/out" 2>&1
ok "binary guild.yml is a clear error" sh -c "test \$(wc -l < '$TEST_TMP/out') -eq 1 && grep -q '^guild: guild.yml:' '$TEST_TMP/out'"

done_testing
