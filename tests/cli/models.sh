#!/bin/sh
# models.sh: guild models, guild ops and guild help on the walkthrough's
# project at each of its steps, and the other guild.yml forms.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

# Step 1 of the walkthrough: a model and its description.
proj=$(make_project sample-project <<'EOF'
model: fashion
description: Basic fashion MNIST image classifier.
EOF
)
cd "$proj" || exit 1
expect_output "walkthrough: guild models" - -- guild models <<'EOF'
./fashion  Basic fashion MNIST image classifier.
EOF
expect_output "no operations yet" - -- guild ops <<'EOF'
EOF

# Step 2: a train operation.
cat > guild.yml <<'EOF'
model: fashion
description: Basic fashion MNIST image classifier.
operations:
  train:
    description: Train classifier from scratch.
    main: train
EOF
expect_output "walkthrough: guild ops" - -- guild ops <<'EOF'
./fashion:train  Train classifier from scratch.
EOF
expect_output "operations is ops" - -- guild operations <<'EOF'
./fashion:train  Train classifier from scratch.
EOF

# Step 3: predict and a resource; columns line up.
cat > guild.yml <<'EOF'
model: fashion
description: Basic fashion MNIST image classifier.
operations:
  train:
    description: Train classifier from scratch.
    main: train
  predict:
    description: Use trained model to make predictions.
    main: predict
    requires: trained-model
resources:
  trained-model:
    path: model
    sources:
      - operation: train
EOF
expect_output "walkthrough: two operations, sorted and aligned" - -- guild ops <<'EOF'
./fashion:predict  Use trained model to make predictions.
./fashion:train    Train classifier from scratch.
EOF
expect_output "ops FILTER" - -- guild ops pred <<'EOF'
./fashion:predict  Use trained model to make predictions.
EOF
cd "$TEST_TMP" || exit 1
expect_output "-C DIR from elsewhere" - -- guild -C "$proj" models <<'EOF'
./fashion  Basic fashion MNIST image classifier.
EOF

# A list of models and configs; private operations; natural order.
proj2=$(make_project multi <<'EOF'
- config: base
  operations:
    _prepare:
      description: Internal step.
      main: prep
- model: mnist-cnn-classifier
  description: |
    A longer model name.
    Second line is not listed.
  extends: base
  operations:
    train10:
      description: Ten.
    train2:
      description: Two.
- model: b
  description: Short.
EOF
)
cd "$proj2" || exit 1
expect_output "list form: models aligned, configs hidden" - -- guild models <<'EOF'
./b                     Short.
./mnist-cnn-classifier  A longer model name.
EOF
expect_output "private operations hidden, natural order" - -- guild ops <<'EOF'
./mnist-cnn-classifier:train2   Two.
./mnist-cnn-classifier:train10  Ten.
EOF
expect_output "ops -a shows private operations" - -- guild ops -a <<'EOF'
./mnist-cnn-classifier:_prepare  Internal step.
./mnist-cnn-classifier:train2    Two.
./mnist-cnn-classifier:train10   Ten.
EOF

# A map of operations: the anonymous model.
proj3=$(make_project anon <<'EOF'
train:
  description: Train it.
  main: train
prepare: prepare_data
EOF
)
cd "$proj3" || exit 1
expect_output "anonymous model is not listed" - -- guild models <<'EOF'
EOF
expect_output "anonymous model operations" - -- guild ops <<'EOF'
./prepare
./train    Train it.
EOF

# No guild.yml.
mkdir -p "$TEST_TMP/empty"
cd "$TEST_TMP/empty" || exit 1
# Guild 0.9 lists nothing there and succeeds; running still says why.
expect_output "no guild.yml: models lists nothing" - -- guild models <<'EOF'
EOF
expect_output "no guild.yml: ops lists nothing" - -- guild ops -a <<'EOF'
EOF
expect_output "no guild.yml: -C DIR too" - -- guild -C "$TEST_TMP/empty" ops <<'EOF'
EOF
expect_output "no guild.yml: run is a clear error" - 1 -- guild run -y train <<'EOF'
guild: no guild.yml in $TEST_TMP/empty (run guild inside a project directory or use -C DIR)
EOF
mkdir -p "$TEST_TMP/broken"
printf 'model: [\n' > "$TEST_TMP/broken/guild.yml"
cd "$TEST_TMP/broken" || exit 1
expect_output "a guild.yml that is not YAML is still an error" - 1 -- \
    guild models <<'EOF'
guild: guild.yml:2:1: did not find expected node content
EOF

# One operation that cannot be read fails alone, when it is used, as in
# Guild AI 0.9; the rest of guild.yml works.
mkdir -p "$TEST_TMP/oneop"
cat > "$TEST_TMP/oneop/guild.yml" <<'EOF'
model: m
operations:
  good:
    description: Works.
    exec: "echo good"
  bad-step:
    description: Has a bad step.
    steps:
      - run: [1, 2]
  bad-main:
    main: [1]
  bad-flags:
    description: Flags not a mapping.
    flags: [1, 2]
  bad-op: [1]
EOF
cd "$TEST_TMP/oneop" || exit 1
expect_output "a broken operation: ops lists every operation" - -- guild ops <<'EOF'
./m:bad-flags  Flags not a mapping.
./m:bad-main
./m:bad-op
./m:bad-step   Has a bad step.
./m:good       Works.
EOF
expect_output "a broken operation: the others run" - -- guild run -y good <<'EOF'
good
EOF
expect_output "a broken operation fails when used, with file:line:col" - 1 -- \
    guild run -y bad-step <<'EOF'
guild: guild.yml:9:14: invalid value for 'run': expected a string
EOF
expect_output "each with its own error" - 1 -- guild run -y m:bad-main <<'EOF'
guild: guild.yml:11:11: invalid value for 'main': expected a string
EOF
expect_output "flags that are not a mapping fail that operation only" - 1 -- \
    guild run -y bad-flags <<'EOF'
guild: guild.yml:14:12: invalid value for 'flags': expected a mapping
EOF
expect_output "an operation neither a string nor a mapping: that one only" - 1 -- \
    guild run -y bad-op <<'EOF'
guild: guild.yml:15:11: invalid value for operation 'bad-op': expected a string or a mapping
EOF
expect_output "help still works" - -- sh -c '"$GUILD" help --no-pager | grep -c "bad-"' <<'EOF'
4
EOF
mkdir -p "$TEST_TMP/defop"
printf 'model: m\noperations:\n  train:\n    default: yes\n    main: [1]\n  other:\n    exec: "true"\n' \
    > "$TEST_TMP/defop/guild.yml"
expect_output "a broken default operation is still the default: its error" - 1 -- \
    guild -C "$TEST_TMP/defop" run -y m <<'EOF'
guild: guild.yml:5:11: invalid value for 'main': expected a string
EOF

done_testing
