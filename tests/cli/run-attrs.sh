#!/bin/sh
# run-attrs.sh: the attrs a run gets as Guild 0.9 writes them: vcs_commit
# (git:SHA, "*" when the work tree has changes), plugins, random_seed,
# run_params and deps; and how runs info and select show them.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"
export GUILD

proj=$(make_project vcs-project <<'EOF'
train:
  exec: "sh -c 'echo trained'"
  flags:
    lr: 0.1
py:
  main: train
glob:
  main: glob
  flags-dest: globals
  flags:
    b: no
    c: yes
EOF
)
printf 'print("py")\n' > "$proj/train.py"
printf 'b = True\nc = False\nprint(b, c)\n' > "$proj/glob.py"
cd "$proj" || exit 1

attr()
{
	cat "$GUILD_HOME/runs/$("$GUILD" select)/.guild/attrs/$1"
}

# Not in a git work tree: no vcs_commit, as Guild.
ok "a run outside git" quiet guild run -y train
ok "no vcs_commit outside git" test ! -e \
    "$GUILD_HOME/runs/$("$GUILD" select)/.guild/attrs/vcs_commit"
expect_output "plugins: none for a shell command" - -- attr plugins <<'EOF'
[]
EOF

# user: $USER, else '', as Guild 0.9's util.user(); no passwd look-up.
USER=someone-else quiet guild run -y train
expect_output "user: \$USER" - -- attr user <<'EOF'
someone-else
EOF
env -u USER "$GUILD" run -y train > /dev/null 2>&1
expect_output "user: '' without \$USER" - -- attr user <<'EOF'
''
EOF
expect_output "deps: {} when there are none" - -- attr deps <<'EOF'
{}
EOF
ok "random_seed: an int Python's random.seed() takes" sh -c \
    'n=$(cat "$GUILD_HOME/runs/$("$GUILD" select)/.guild/attrs/random_seed") &&
     test "$n" -ge 0 && test "$n" -lt 4294967296'
ok "--random-seed sets it" quiet guild run -y --random-seed 42 train
expect_output "random_seed 42" - -- attr random_seed <<'EOF'
42
EOF
ok "a Python operation" quiet guild run -y py
expect_output "plugins: python_script for a Python operation" - -- attr plugins <<'EOF'
- python_script
EOF
expect_output "select --attr plugins" - -- guild select --attr plugins <<'EOF'
- python_script
EOF
expect_output "runs info -p" - -- sh -c '"$GUILD" runs info -p | sed -n "/^plugins:/,\$p"' <<'EOF'
plugins:
  - python_script
EOF

# Booleans to a globals script: YAML as Guild writes them (--b false).
expect_output "globals: --b false --c true" - -- \
    sh -c '"$GUILD" run glob --print-cmd | sed "s/.* -- //"' <<'EOF'
--b false --c true
EOF
if command -v python3 > /dev/null 2>&1; then
	expect_output "the script gets False and True" - -- guild run -y glob <<'EOF'
False True
EOF
else
	skip "the script gets False and True" "python3 not found"
fi

# run_params: the run command's options, as Guild's args.as_kw().
ok "a labelled run" quiet guild run -y -l mine -t a -t b train lr=0.2
expect_output "run_params" - -- sh -c '"$GUILD" select --attr run_params |
	    grep -E "^(label|tag|.yes.|stage|opspec|flags|optimizer|- )"' <<'EOF'
flags:
- lr=0.2
label: mine
opspec: train
optimizer: null
stage: false
stage_trials: false
tag:
- a
- b
'yes': true
EOF

# In a git work tree: git:SHA of the last commit, "*" when changed.
if command -v git > /dev/null 2>&1; then
	git_q()
	{
		git -c user.name=t -c user.email=t@example.com "$@" > /dev/null 2>&1
	}
	git_q init -q . && git_q add guild.yml train.py glob.py && git_q commit -q -m one
	sha=$(git rev-parse HEAD)
	ok "a run in a clean work tree" quiet guild run -y train
	ok "vcs_commit is git:SHA" test "$(attr vcs_commit)" = "git:$sha"
	expect_output "runs info shows it" - -- sh -c \
	    '"$GUILD" runs info | grep "^vcs_commit:" | sed "s/:[0-9a-f]\{40\}/:SHA/"' <<'EOF'
vcs_commit: git:SHA
EOF
	ok "select --attr vcs_commit" test "$("$GUILD" select --attr vcs_commit)" = "git:$sha"
	printf '# changed\n' >> train.py
	ok "a run in a changed work tree" quiet guild run -y train
	ok "vcs_commit is git:SHA*" test "$(attr vcs_commit)" = "git:$sha*"
	NO_VCS_COMMIT=1 guild run -y train > /dev/null 2>&1
	ok "NO_VCS_COMMIT=1: none, as Guild" test ! -e \
	    "$GUILD_HOME/runs/$("$GUILD" select)/.guild/attrs/vcs_commit"
else
	skip_n=6
	while [ $skip_n -gt 0 ]; do
		skip "vcs_commit" "git not found"
		skip_n=$((skip_n - 1))
	done
fi

done_testing
