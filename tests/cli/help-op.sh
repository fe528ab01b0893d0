#!/bin/sh
# help-op.sh: guild run OP --help-op laid out as Guild AI 0.9 lays it out
# (Click's help formatter): usage, description paragraphs, a pointer to
# the options, dependencies with a description, flags sorted by name with
# their defaults and choices, wrapped to the width.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
export GUILD

proj=$(make_project helpop <<'EOT'
model: fashion
resources:
  dataset:
    description: The prepared images.
    sources:
      - file: data.txt
  other:
    sources:
      - file: other.txt
operations:
  train:
    description: |
      Train a model.
      Second line of the description that is rather long and is wrapped by the formatter.
    main: train
    requires:
      - dataset
      - other
    flags:
      optimizer:
        description: Optimizer to use
        default: adam
        choices: [adam, sgd, rmsprop]
      mode:
        description: How to train
        choices:
          - value: fast
            description: Quick and dirty
          - value: slow
            description: Careful
      lr:
        description: Learning rate
        default: 0.1
      z:
        required: yes
      n:
        null-label: auto
      flagged: {}
  bare:
    main: bare
EOT
)
cd "$proj" || exit 1

expect_output "--help-op: Guild's layout" - -- \
    env COLUMNS=80 "$GUILD" run train --help-op <<'EOT'
Usage: guild run [OPTIONS] fashion:train [FLAG]...

Train a model.

Second line of the description that is rather long and is wrapped by the
formatter.

Use 'guild run --help' for a list of options.

Dependencies:
  dataset  The prepared images.

Flags:
  flagged
  lr         Learning rate (default is 0.1)
  mode       How to train

             Choices:
               fast  Quick and dirty
               slow  Careful

  n          (default is auto)
  optimizer  Optimizer to use (default is adam)

             Choices:  adam, sgd, rmsprop

  z          (required)
EOT

expect_output "--help-op: narrow terminals wrap at 50 columns less 2" - -- \
    env COLUMNS=40 "$GUILD" run train --help-op <<'EOT'
Usage: guild run [OPTIONS] fashion:train [FLAG]...

Train a model.

Second line of the description that is rather long
and is wrapped by the formatter.

Use 'guild run --help' for a list of options.

Dependencies:
  dataset  The prepared images.

Flags:
  flagged
  lr         Learning rate (default is 0.1)
  mode       How to train

             Choices:
               fast  Quick and dirty
               slow  Careful

  n          (default is auto)
  optimizer  Optimizer to use (default is adam)

             Choices:  adam, sgd,
                       rmsprop

  z          (required)
EOT

expect_output "--help-op: no description, no flags" - -- \
    guild run bare --help-op <<'EOT'
Usage: guild run [OPTIONS] fashion:bare [FLAG]...

Use 'guild run --help' for a list of options.
EOT

# Defaults as Guild's format_flag gives them: a string with a space quoted.
hello=$(make_project hello <<'EOT'
hello:
  main: say
  flags:
    msg: Hello Guild!
    n: 3
EOT
)
expect_output "--help-op: a string default with a space is quoted" - -- \
    guild -C "$hello" run hello --help-op <<'EOT'
Usage: guild run [OPTIONS] hello [FLAG]...

Use 'guild run --help' for a list of options.

Flags:
  msg  (default is 'Hello Guild!')
  n    (default is 3)
EOT
expect_output "guild help: the same" - -- \
    sh -c '"$GUILD" -C "$1" help --no-pager | grep "default is"' sh "$hello" <<'EOT'
            msg  (default is 'Hello Guild!')
            n    (default is 3)
EOT

done_testing
