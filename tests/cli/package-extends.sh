#!/bin/sh
# package-extends.sh: code reuse across packages, as Guild 0.9 documents
# it: a project's model extends a model of an installed package
# (extends: gpkg.base/base), inherits its operations, flags and
# resources, and runs the package's files; $include and config: items
# across packages; include: of a package; errors for a missing package
# or model and for a cycle through packages.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
export GUILD

base=$(make_project base <<'EOF'
- package: gpkg.base
  version: 1.0
  data-files: [words.txt]
- config: base-flags
  flags:
    lr: 0.1
- config: base-ops
  operations:
    prepare:
      description: Prepare from a config
      main: prepare
- model: base
  description: A base model
  extends: base-ops
  resources:
    words:
      sources:
        - file: words.txt
  operations:
    train:
      description: Train from the package
      main: train
      flags:
        $include: base-flags
        epochs: 1
      requires: words
    evaluate:
      description: Evaluate (the package's)
      main: evaluate
EOF
)
cat > "$base/train.py" <<'EOF'
lr = 0.0
epochs = 0
print("package train lr=%s epochs=%s words=%s" % (lr, epochs, open("words.txt").read().strip()))
EOF
echo 'print("package evaluate")' > "$base/evaluate.py"
echo 'print("package prepare")' > "$base/prepare.py"
echo "from the package" > "$base/words.txt"
expect_output "guild package builds the base package" - -- guild -C "$base" package <<'EOF'
Created $TEST_TMP/base/dist/gpkg_base-1.0-py2.py3-none-any.whl (5 project files)
EOF

venv=$TEST_TMP/venv
if ! /usr/bin/python3 -m venv "$venv" > "$TEST_TMP/venv.log" 2>&1; then
	diag "$(cat "$TEST_TMP/venv.log")"
	skip_all "python3 -m venv does not work here (python3-venv)"
fi
GUILD_PYTHON_EXE=$venv/bin/python3
export GUILD_PYTHON_EXE
ok "pip installs it, offline" sh -c '"$GUILD" install --no-deps "$1" > "$TEST_TMP/pip.log" 2>&1 || { cat "$TEST_TMP/pip.log"; exit 1; }' sh "$base/dist/gpkg_base-1.0-py2.py3-none-any.whl"
# The package's files are the installed ones from here on.
rm -rf "$base"

proj=$(make_project proj <<'EOF'
- model: mine
  description: My model
  extends: gpkg.base/base
  operations:
    train:
      flags:
        epochs: 3
    evaluate:
      description: Evaluate (mine)
      main: evaluate
EOF
)
cd "$proj" || exit 1
cat > train.py <<'EOF'
print("the project's train: not run")
EOF
echo 'print("project evaluate")' > evaluate.py

expect_output "the inherited operations are listed" - -- guild ops <<'EOF'
./mine:evaluate          Evaluate (mine)
./mine:prepare           Prepare from a config
./mine:train             Train from the package
gpkg.base/base:evaluate  Evaluate (the package's)
gpkg.base/base:prepare   Prepare from a config
gpkg.base/base:train     Train from the package
EOF
expect_output "an inherited operation runs the package's files" - -- guild run -y mine:train <<'EOF'
Resolving words
package train lr=0.1 epochs=3 words=from the package
EOF
run=$("$GUILD" select)
pkgdir=$(echo "$venv"/lib/python3*/site-packages/gpkg/base)
ok "the run's source code is the package's" cmp "$pkgdir/train.py" \
    "$GUILD_HOME/runs/$run/.guild/sourcecode/train.py"
expect_output "and its opref is the project's model" - -- cut -d" " -f1,3- "$GUILD_HOME/runs/$run/.guild/opref" <<'EOF'
guildfile:$TEST_TMP/proj/guild.yml mine train
EOF
expect_output "an operation the project redefines runs the project's" - -- guild run -y mine:evaluate <<'EOF'
project evaluate
EOF
expect_output "one from a config of the package" - -- guild run -y mine:prepare <<'EOF'
package prepare
EOF
expect_output "the project's own resource file comes first" - -- sh -c 'echo "from the project" > words.txt && "$GUILD" run -y mine:train epochs=4' <<'EOF'
Resolving words
package train lr=0.1 epochs=4 words=from the project
EOF
rm words.txt

# include: of a package puts its items in the project; $include of its
# config then works in the project's own operations.
cat > guild.yml <<'EOF'
- include: base
- model: own
  operations:
    op:
      main: op
      flags:
        $include: base-flags
EOF
echo 'lr = 0
print("lr=%s" % lr)' > op.py
expect_output "include: of a package (by its name without gpkg.)" - -- guild run -y own:op <<'EOF'
lr=0.1
EOF

# Errors name the line of the extends.
cat > guild.yml <<'EOF'
- model: m
  extends: gpkg.nope/base
EOF
expect_output "a package that is not installed" - 1 -- guild ops <<'EOF'
guild: guild.yml:2:12: cannot find Guild file for package 'gpkg.nope' (guild packages lists those installed)
EOF
cat > guild.yml <<'EOF'
- model: m
  extends: gpkg.base/nope
EOF
expect_output "a model the package does not have" - 1 -- sh -c '"$GUILD" ops > out 2>&1; rc=$?; sed "s/python3[.0-9]*/python3.X/" out; rm out; exit $rc' <<'EOF'
guild: guild.yml:2:12: undefined model or config 'nope' in package 'gpkg.base' ($TEST_TMP/venv/lib/python3.X/site-packages/gpkg/base/guild.yml)
EOF
cat > guild.yml <<'EOF'
- model: m
  extends: gpkg.base/
EOF
expect_output "no model name" - 1 -- guild ops <<'EOF'
guild: guild.yml:2:12: invalid model or config reference 'gpkg.base/': expected PACKAGE/MODEL
EOF

# A cycle through two packages (on PYTHONPATH, as Guild's own test has
# them on sys.path).
mkdir -p "$TEST_TMP/pp/cyc/a" "$TEST_TMP/pp/cyc/b"
cat > "$TEST_TMP/pp/cyc/a/guild.yml" <<'EOF'
- model: model
  extends: cyc.b/model
EOF
cat > "$TEST_TMP/pp/cyc/b/guild.yml" <<'EOF'
- model: model
  extends: cyc.a/model
  operations:
    op: {main: op}
EOF
cat > guild.yml <<'EOF'
- model: m
  extends: cyc.a/model
EOF
expect_output "a cycle through packages" - 1 -- env PYTHONPATH="$TEST_TMP/pp" "$GUILD" ops <<'EOF'
guild: $TEST_TMP/pp/cyc/b/guild.yml:2:12: cycle in 'extends' (m -> cyc.a/model -> cyc.b/model -> cyc.a/model)
EOF
printf -- '- model: other\n  extends: [nested\n' > "$TEST_TMP/pp/cyc/a/guild.yml"
cat > guild.yml <<'EOF'
- model: m
  extends: cyc.a/other
EOF
expect_output "an error in the package's guild.yml names that file" - 1 -- env PYTHONPATH="$TEST_TMP/pp" "$GUILD" ops <<'EOF'
guild: $TEST_TMP/pp/cyc/a/guild.yml:3:1: did not find expected ',' or ']' (while parsing a flow sequence at line 2)
EOF

done_testing
