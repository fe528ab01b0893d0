#!/bin/sh
# publish-templates.sh: guild publish --template, --index-template and an
# operation's "publish: template": Jinja2 templates rendered as Guild AI
# 0.9 renders them (its variables and filters, "_" files for includes,
# binary files copied, HTML autoescaped), and their errors (issue 13).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

python=${GUILD_PYTHON_EXE:-python3}
"$python" -c 'import jinja2' > /dev/null 2>&1 ||
	skip_all "Jinja2 not installed for $python (python3-jinja2)"

proj=$(make_project templates <<'EOF'
train:
  exec: "sh -c 'echo loss: 0.5; echo model: cnn'"
  flags:
    lr: 0.1
own:
  exec: "true"
  publish:
    template: own-tmpl
lost:
  exec: "true"
  publish:
    template: no-such-tmpl
EOF
)
cd "$proj" || exit 1
pub=$proj/published-runs
quiet guild run -y train lr=0.2
R=$(guild select)

mkdir -p tmpl/sub idx own-tmpl
cat > tmpl/README.md <<'EOF'
# {{ run.id|short_id }} {{ run.operation }}
lr={{ flags.lr|flag_val }} status={{ run.status }}
{% for row in scalars|csv_dict_rows %}{{ row.tag }}={{ row.last_val }}
{% endfor %}{% include "_part.md" %}
EOF
echo 'out: {{ output|trim }}' > tmpl/_part.md
echo '<p>{{ run.label }} {{ "<b>" }}</p>' > tmpl/sub/page.html
printf '\211PNG\0\0bin' > tmpl/logo.png
printf '{%% for r in runs %%}- {{ r.id|short_id }} {{ r.operation }}\n{%% endfor %%}' \
    > idx/README.md
echo 'own {{ run.operation }}' > own-tmpl/README.md

S=$(guild select -s)
quiet guild publish -y -t ./tmpl -i idx
expect_exact "--template: the run's variables and Guild's filters" - -- \
    cat "$pub/$R/README.md" <<EOF
# $S train
lr=0.2 status=completed
loss=0.5
out: loss: 0.5
model: cnn
EOF
expect_exact "--template: HTML autoescaped, in a subdirectory" - -- \
    cat "$pub/$R/sub/page.html" <<'EOF'
<p>lr=0.2 &lt;b&gt;</p>
EOF
ok "--template: a binary file copied as it is" cmp tmpl/logo.png "$pub/$R/logo.png"
ok "--template: files starting with _ are not published" test ! -e "$pub/$R/_part.md"
ok "--template: Guild's files and guild's pages are still written" \
    test -f "$pub/$R/run.yml" -a -f "$pub/$R/scalars.csv" -a -f "$pub/$R/index.html"
expect_exact "--index-template DIR: its README.md with the runs" - -- \
    cat "$pub/README.md" <<EOF
- $S train

EOF

quiet guild publish -y
ok "no --template: Guild's default README.md again" \
    grep -q "^| lr | 0.2 |" "$pub/$R/README.md"
quiet guild run -y own
expect_exact "an operation's publish: template, from its project" - -- \
    sh -c '"$GUILD" publish -y $("$GUILD" select) > /dev/null && cat "'"$pub"'/$("$GUILD" select)/README.md"' <<'EOF'
own own
EOF

# Errors: one message, the run not published.
# quiet_pub COMMAND...: COMMAND, without its progress lines.
quiet_pub()
{
	"$@" > "$TEST_TMP/qp" 2>&1
	_qp_rc=$?
	grep -v '^Publish' "$TEST_TMP/qp"
	return $_qp_rc
}
expect_exact "--template: a template that cannot be found" - 1 -- \
    guild publish -y -d "$TEST_TMP/e1" -t nosuch $R <<EOF
Publishing [$S] train... 
guild: error publishing run $R:
cannot find template nosuch
Published runs using 0
EOF
ok "and the run is not published" test ! -e "$TEST_TMP/e1/$R"
quiet guild run -y lost
L=$(guild select)
expect_exact "publish: template that is not there" - 1 -- \
    quiet_pub guild publish -y -d "$TEST_TMP/e2" $L <<EOF
guild: error publishing run $L:
cannot find template no-such-tmpl
EOF
mkdir -p bad
echo '{% for x in %}' > bad/README.md
expect_exact "--template: a syntax error, with its file and line" - 1 -- \
    quiet_pub guild publish -y -d "$TEST_TMP/e3" -t ./bad $R <<EOF
guild: error publishing run $R:
./bad/README.md:1: Expected an expression, got 'end of statement block'
EOF
echo '{{ 1/0 }}' > bad/README.md
expect_exact "--template: an error in the template's code, one line" - 1 -- \
    quiet_pub guild publish -y -d "$TEST_TMP/e3" -t ./bad $R <<EOF
guild: error publishing run $R:
./bad/README.md: ZeroDivisionError: division by zero
EOF
expect_exact "--index-template that does not exist" - 1 -- \
    guild publish -r -i nosuch <<'EOF'
Refreshing runs index in published-runs
guild: error refreshing index: index template 'nosuch' does not exist
EOF
expect_exact "--index-template DIR without README.md" - 1 -- \
    guild publish -r -i tmpl/sub <<'EOF'
Refreshing runs index in published-runs
guild: error refreshing index: index template 'tmpl/sub' is missing README.md
EOF
# Without Jinja2: what to install, not a traceback.
mkdir -p "$TEST_TMP/nojinja/jinja2"
echo 'raise ImportError("no jinja2 here")' > "$TEST_TMP/nojinja/jinja2/__init__.py"
expect_exact "without Jinja2: what to install" - 1 -- \
    quiet_pub env PYTHONPATH="$TEST_TMP/nojinja" GUILD_PYTHON_EXE="$python" \
    "$GUILD" publish -y -d "$TEST_TMP/e4" -t ./tmpl $R <<EOF
guild: error publishing run $R:
templates need Jinja2, which $python cannot import (Debian: apt-get install python3-jinja2)
EOF

done_testing
