#!/bin/sh
# dep-flags.sh: a dependency on an operation is a flag as Guild 0.9 makes
# it: "- operation: prepare" is operation:prepare (FLAG_OPERATION_PREPARE),
# given as operation:prepare=ID or prepare=ID, listed by --help-op, shown
# in the default label with the run's short id; attrs/op keeps the label
# template.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"
export GUILD

proj=$(make_project dep-project <<'EOF'
prepare:
  exec: "sh -c 'echo data > data.txt'"
train:
  exec: "sh -c 'echo \"env $FLAG_OPERATION_PREPARE\"; cat data.txt'"
  flags:
    lr: 0.1
  requires:
    - operation: prepare
EOF
)
cd "$proj" || exit 1

attr()
{
	cat "$GUILD_HOME/runs/$("$GUILD" select)/.guild/attrs/$1"
}

ok "an upstream run" quiet guild run -y prepare
p1=$("$GUILD" select)
ok "another" quiet guild run -y prepare
p2=$("$GUILD" select)

expect_output "--help-op lists operation:prepare" - -- guild run train --help-op <<'EOF'
Usage: guild run [OPTIONS] train [FLAG]...

Use 'guild run --help' for a list of options.

Flags:
  lr                 (default is 0.1)
  operation:prepare
EOF

guild run -y train > "$TEST_TMP/out" 2>&1
ok "FLAG_OPERATION_PREPARE is the upstream run" grep -qx "env $p2" "$TEST_TMP/out"
ok "the flag operation:prepare" grep -qx "operation:prepare: $p2" \
    "$GUILD_HOME/runs/$("$GUILD" select)/.guild/attrs/flags"
# A short id that reads as a number (12345678, 12e45678) is quoted, as
# Guild's YAML encoder quotes it.
short=$(printf %.8s "$p2")
if printf '%s\n' "$short" | grep -Eq '^[0-9]+([eE][0-9]+)?$'; then
	short="'$short'"
fi
expect_output "the default label shows it with the short id" - -- attr label <<EOF
lr=0.1 operation:prepare=$short
EOF
expect_output "attrs/op keeps the label template (none: null)" - -- \
    sh -c 'cat "$GUILD_HOME/runs/$("$GUILD" select)/.guild/attrs/op" | grep "^label-template:"' <<'EOF'
label-template: null
EOF

guild run -y train operation:prepare=$(printf %.8s "$p1") > "$TEST_TMP/out" 2>&1
ok "operation:prepare=ID" grep -qx "env $p1" "$TEST_TMP/out"
guild run -y train prepare=$(printf %.8s "$p1") > "$TEST_TMP/out" 2>&1
ok "prepare=ID is operation:prepare=ID" grep -qx "env $p1" "$TEST_TMP/out"
ok "stored as operation:prepare" grep -qx "operation:prepare: $p1" \
    "$GUILD_HOME/runs/$("$GUILD" select)/.guild/attrs/flags"
expect_output "an unknown flag is still refused" - 1 -- guild run -y train nosuch=1 <<'EOF'
guild: unsupported flag 'nosuch'
Try 'guild run train --help-op' for a list of flags or use --force-flags to skip this check.
EOF

guild run -y -l 'L ${operation:prepare}' train > /dev/null 2>&1
expect_output "a label template" - -- \
    sh -c 'cat "$GUILD_HOME/runs/$("$GUILD" select)/.guild/attrs/op" | grep "^label-template:"' <<'EOF'
label-template: L ${operation:prepare}
EOF

# A run whose short id reads as a number: given as the flag's value it
# still names the run, and the label quotes it.
num=12e45678${p1#????????}
mv "$GUILD_HOME/runs/$p1" "$GUILD_HOME/runs/$num"
[ -f "$GUILD_HOME/runs/$num/.guild/attrs/id" ] &&
    printf '%s\n' "$num" > "$GUILD_HOME/runs/$num/.guild/attrs/id"
guild run -y train prepare=12e45678 > "$TEST_TMP/out" 2>&1
ok "a numeric-looking short id names its run" grep -qx "env $num" "$TEST_TMP/out"
expect_output "the label quotes it as Guild does" - -- attr label <<'EOF'
lr=0.1 operation:prepare='12e45678'
EOF

done_testing
