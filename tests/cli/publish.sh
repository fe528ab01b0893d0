#!/bin/sh
# publish.sh: guild publish: Guild 0.9's published-runs layout (run.yml,
# flags.yml, output.txt, scalars.csv, runfiles.csv, sourcecode.csv,
# README.md, the index), the HTML pages and SVG plots, escaping of what
# comes from runs, the file options, batch runs, the question, the index
# refresh and errors.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

proj=$(make_project sample-project <<'EOF'
model: fashion
operations:
  train:
    main: train
  fit:
    exec: sh .guild/sourcecode/fit.sh
    flags:
      lr: 0.1
      epochs: 3
    publish:
      files:
        - exclude: '*.log'
  pick:
    exec: sh .guild/sourcecode/fit.sh
    publish:
      files: [out.txt]
EOF
)
cat > "$proj/fit.sh" <<'EOF'
i=0
while [ $i -lt 3 ]; do
	printf 'loss: 0.%s\nacc: 0.%s\n' $((9 - i)) $i
	i=$((i + 1))
done
echo 'x<i>y: 2'
echo '</pre><script>alert(1)</script> & done'
echo out > out.txt
echo log > x.log
mkdir -p sub
echo s > sub/s.txt
echo hostile > '<img src=x onerror=alert(1)>.txt'
ln -s out.txt link.txt
EOF
RUNS_PROJECT=$proj
cd "$proj" || exit 1
runs=$GUILD_HOME/runs
pub=$proj/published-runs

# sizes SIZE: "using 1.2K" varies with file times and paths.
sized()
{
	"$@" > "$TEST_TMP/sized" 2>&1
	_sz_rc=$?
	sed -e 's/using [0-9.]*[KMG]*$/using <size>/' \
	    -e 's/\[[0-9a-f]\{8\}\]/[<id>]/g' "$TEST_TMP/sized"
	return $_sz_rc
}

expect_output "no runs: nothing to publish" - -- guild publish -y <<'EOF'
No runs to publish.
EOF
ok "no runs: nothing written" test ! -e "$pub"

expect_output "--files and --all-files together" - 1 -- guild publish -f -a -y <<'EOF'
guild: --files and --all-files cannot both be used
EOF

# A hand-made run of Guild 0.9 with a hostile label, and a real run.
HOSTILE=1451e20cd18611e88f52d017c2ab916f
mkrun $HOSTILE train 1539705443 1 "'<script>alert(\"l\")</script> | [x](javascript:y)'"
setattr $HOSTILE flags "{a: 1, b: '<b>x</b>'}"
setoutput $HOSTILE 'guild: No module named train\n'
guild run -y fit > /dev/null 2>&1
FIT=$(guild select 0 2>/dev/null)
ok "a real run to publish" test -n "$FIT" -a -d "$runs/$FIT"

EXPECT_STDIN=/dev/null
printf 'n\n' > "$TEST_TMP/no"
# with_nl COMMAND...: COMMAND, then a newline (after a question).
with_nl()
{
	"$@"
	_wn_rc=$?
	echo
	return $_wn_rc
}
EXPECT_STDIN=$TEST_TMP/no expect_output "the question, answered no" - -- \
    with_nl normed guild publish -o train <<'EOF'
You are about to publish the following run(s) to published-runs:
  [<id>]  ./fashion:train  <time>  error  <script>alert("l")</script> | [x](javascript:y)
Continue? (Y/n) 
EOF
ok "answered no: nothing written" test ! -e "$pub"

expect_output "publish every run" - -- sized guild publish -y <<'EOF'
Publishing [<id>] fashion:fit... using <size>
Publishing [<id>] fashion:train... using <size>
Refreshing runs index
Published runs using <size>
EOF

(cd "$pub" && find . | sed -e "s/$FIT/FIT/" -e "s/$HOSTILE/HOSTILE/" | LC_ALL=C sort) \
    > "$TEST_TMP/layout"
cat > "$TEST_TMP/expected" <<'EOF'
.
./.guild-nocopy
./FIT
./FIT/README.md
./FIT/flags.yml
./FIT/index.html
./FIT/output.txt
./FIT/plots
./FIT/plots/1.svg
./FIT/plots/2.svg
./FIT/plots/3.svg
./FIT/run.yml
./FIT/runfiles.csv
./FIT/scalars.csv
./FIT/sourcecode
./FIT/sourcecode.csv
./FIT/sourcecode/fit.sh
./FIT/sourcecode/guild.yml
./HOSTILE
./HOSTILE/README.md
./HOSTILE/flags.yml
./HOSTILE/index.html
./HOSTILE/output.txt
./HOSTILE/run.yml
./HOSTILE/runfiles.csv
./HOSTILE/scalars.csv
./HOSTILE/sourcecode.csv
./README.md
./index.html
EOF
if diff -u "$TEST_TMP/expected" "$TEST_TMP/layout" > "$TEST_TMP/diff"; then
	pass "the published layout (Guild's, plus index.html and plots)"
else
	fail "the published layout (Guild's, plus index.html and plots)"
	sed 's/^/# /' "$TEST_TMP/diff"
fi

expect_exact "run.yml as Guild writes it" - -- cat "$pub/$HOSTILE/run.yml" <<'EOF'
id: 1451e20cd18611e88f52d017c2ab916f
operation: fashion:train
status: error
started: 2018-10-16 15:57:23 UTC
started_epoch: 1539705443000000
stopped: 2018-10-16 15:57:23 UTC
stopped_epoch: 1539705443500000
time: 0:00:00
marked: 'no'
label: <script>alert("l")</script> | [x](javascript:y)
command: /usr/bin/python -um guild.op_main train
exit_status: 1
EOF
expect_exact "flags.yml" - -- cat "$pub/$HOSTILE/flags.yml" <<'EOF'
a: 1
b: <b>x</b>
EOF
expect_exact "output.txt" - -- cat "$pub/$HOSTILE/output.txt" <<'EOF'
guild: No module named train
EOF
expect_exact "scalars.csv: Guild's columns, a row per key" - -- cat "$pub/$FIT/scalars.csv" <<'EOF'
prefix,tag,count,total,avg_val,first_val,first_step,last_val,last_step,min_val,min_step,max_val,max_step
.guild,acc,3,0.30000000000000004,0.10000000000000002,0.0,0,0.2,2,0.0,0,0.2,2
.guild,loss,3,2.4000000000000004,0.8000000000000002,0.9,0,0.7,2,0.7,2,0.9,0
.guild,x<i>y,1,2.0,2.0,2.0,2,2.0,2,2.0,2,2.0,2
EOF
expect_exact "a run without scalars: the header only" - -- cat "$pub/$HOSTILE/scalars.csv" <<'EOF'
prefix,tag,count,total,avg_val,first_val,first_step,last_val,last_step,min_val,min_step,max_val,max_step
EOF
sed 's/,[0-9]*,[0-9a-f]*$/,<mtime>,<md5>/' "$pub/$FIT/runfiles.csv" > "$TEST_TMP/rf"
expect_exact "runfiles.csv: every file but source code, links too" - -- cat "$TEST_TMP/rf" <<'EOF'
path,type,size,mtime,md5
<img src=x onerror=alert(1)>.txt,file,8,<mtime>,<md5>
link.txt,file link,4,<mtime>,<md5>
out.txt,file,4,<mtime>,<md5>
sub/s.txt,file,2,<mtime>,<md5>
x.log,file,4,<mtime>,<md5>
EOF
ok "runfiles.csv: MD5 of the file" grep -q "^out.txt,file,4,[0-9]*,$(md5sum < "$runs/$FIT/out.txt" | cut -c1-32)\$" "$pub/$FIT/runfiles.csv"
sed 's/,[0-9]*,[0-9]*,[0-9a-f]*$/,<size>,<mtime>,<md5>/' "$pub/$FIT/sourcecode.csv" > "$TEST_TMP/sc"
expect_exact "sourcecode.csv: paths under sourcecode/" - -- cat "$TEST_TMP/sc" <<'EOF'
path,type,size,mtime,md5
fit.sh,file,<size>,<mtime>,<md5>
guild.yml,file,<size>,<mtime>,<md5>
EOF
ok "source code copied" cmp "$proj/fit.sh" "$pub/$FIT/sourcecode/fit.sh"
ok "run files not copied by default" test ! -e "$pub/$FIT/runfiles"

# The index: newest first, with the hostile label escaped.
expect_exact "README.md: Guild's runs index" - -- sed -e "s/$FIT/FIT/g" -e "s/${FIT%"${FIT#????????}"}/FIT8/" \
    -e '/FIT8/s/| 20[0-9-]* [0-9:]* UTC | [0-9:]* |/| <started> | <time> |/' "$pub/README.md" <<'EOF'
# Published runs

| ID | Operation | Started | Time | Status | Label |
| -- | --------- | ------- | ---- | ------ | ----- |
| [FIT8](FIT/README.md) | fashion:fit | <started> | <time> | completed | epochs=3 lr=0.1 |
| [1451e20c](1451e20cd18611e88f52d017c2ab916f/README.md) | fashion:train | 2018-10-16 15:57:23 UTC | 0:00:00 | error | &lt;script&gt;alert("l")&lt;/script&gt; &#124; &#91;x&#93;(javascript:y) |

EOF

# Nothing from a run reaches a page unescaped.
for f in "$pub/index.html" "$pub/README.md" "$pub"/*/index.html "$pub"/*/README.md \
    "$pub"/*/plots/*.svg; do
	rel=${f#"$pub"/}
	# Markdown links from runs, too: only in Markdown are they markup;
	# the output's code fence holds text.
	case $f in
	*.md)	md='|\]\(javascript'
		sed -n '1,/^## Output/p' "$f" > "$TEST_TMP/page" ;;
	*)	md=
		cp "$f" "$TEST_TMP/page" ;;
	esac
	if grep -Eq "<script|<img src=x|<b>|<i>$md" "$TEST_TMP/page"; then
		fail "no raw markup from runs in $rel" "$(grep -En "<script|<img src=x|<b>|<i>$md" "$TEST_TMP/page" | head -3)"
	else
		pass "no raw markup from runs in $rel"
	fi
done
ok "the label, escaped in the run's page" grep -qF '<td>&lt;script&gt;alert(&quot;l&quot;)&lt;/script&gt; | [x](javascript:y)</td>' "$pub/$HOSTILE/index.html"
ok "a flag value, escaped" grep -qF '<td>b</td><td>&lt;b&gt;x&lt;/b&gt;</td>' "$pub/$HOSTILE/index.html"
ok "the output, escaped" grep -qF '&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; done' "$pub/$FIT/index.html"
ok "a file name, escaped" grep -qF '<td>&lt;img src=x onerror=alert(1)&gt;.txt</td>' "$pub/$FIT/index.html"
ok "a scalar key, escaped in its plot" grep -qF '<title>x&lt;i&gt;y</title>' "$pub/$FIT/plots/3.svg"
ok "the page forbids scripts" grep -qF "script-src 'none'" "$pub/$FIT/index.html"
ok "the index links the run's page" grep -qF "<a href=\"$FIT/index.html\">" "$pub/index.html"
ok "the run's page shows each plot" grep -qF '<img src="plots/2.svg" width="480" height="240" alt="loss">' "$pub/$FIT/index.html"
ok "a plot: the loss series as a line" grep -q '<polyline .*points="64.0,28.0 264.0,116.0 464.0,204.0"' "$pub/$FIT/plots/2.svg"
ok "a plot of one point: a dot" grep -q '<circle ' "$pub/$FIT/plots/3.svg"
ok "a plot is SVG (XML)" python3 -c "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])" "$pub/$FIT/plots/3.svg"
ok "the run's page is well formed enough for an XML parser" \
    python3 -c "
import sys, html.parser
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.stack = []
    def handle_starttag(s, t, a):
        if t not in ('meta', 'img', 'br', 'link'): s.stack.append(t)
    def handle_endtag(s, t):
        assert s.stack.pop() == t, t
p = P(); p.feed(open(sys.argv[1]).read()); assert p.stack == [], p.stack
" "$pub/$FIT/index.html"

# Guild's README.md for a run (its default template, rendered).
expect_exact "a run's README.md" - -- sed -n '1,/^## Scalars/p' "$pub/$HOSTILE/README.md" <<'EOF'
[Published runs](../README.md)

# fashion:train

| ID                   | Operation           | Started                  | Time                | Status           | Label                |
| --                   | ---------           | ---------                | ----                | ------           | -----                |
| 1451e20c | fashion:train | 2018&#8209;10&#8209;16 15:57:23 UTC | 0:00:00 | error | &lt;script&gt;alert("l")&lt;/script&gt; &#124; &#91;x&#93;(javascript:y) |

[run.yml](run.yml)

## Contents

- [Flags](#flags)
- [Scalars](#scalars)
- [Run Files](#run-files)
- [Source Code](#source-code)
- [Output](#output)

## Flags

| Name | Value |
| ---- | ----- |
| a | 1 |
| b | &lt;b&gt;x&lt;/b&gt; |

[flags.yml](flags.yml)
## Scalars
EOF
expect_exact "a run's README.md: output in a fence" - -- sed -n '/^## Output/,$p' "$pub/$HOSTILE/README.md" <<'EOF'
## Output

```
guild: No module named train
```

[output.txt](output.txt)

EOF

# File options: --files follows the operation's publish: files.
echo stale > "$pub/$FIT/stale"
quiet guild publish -f -y "$FIT"
(cd "$pub/$FIT/runfiles" && find . -type f | LC_ALL=C sort) > "$TEST_TMP/copied"
expect_exact "--files: the operation's rules (exclude *.log), no links" - -- cat "$TEST_TMP/copied" <<'EOF'
./<img src=x onerror=alert(1)>.txt
./out.txt
./sub/s.txt
EOF
ok "publishing again replaces the run's directory" test ! -e "$pub/$FIT/stale"
ok "--files: copies are the run's files" cmp "$runs/$FIT/sub/s.txt" "$pub/$FIT/runfiles/sub/s.txt"
ok "--files: copied files are linked, percent-encoded" \
    grep -qF '<a href="runfiles/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.txt">' "$pub/$FIT/index.html"
ok "--files: a file not copied is not linked" grep -qF '<tr><td>x.log</td>' "$pub/$FIT/index.html"
quiet guild publish -a -y "$FIT"
(cd "$pub/$FIT/runfiles" && find . -type f | LC_ALL=C sort) > "$TEST_TMP/copied"
expect_exact "--all-files: every file but links" - -- cat "$TEST_TMP/copied" <<'EOF'
./<img src=x onerror=alert(1)>.txt
./out.txt
./sub/s.txt
./x.log
EOF
quiet guild publish -a -L -y "$FIT"
ok "--include-links: links are copied (as files)" test -f "$pub/$FIT/runfiles/link.txt" -a ! -L "$pub/$FIT/runfiles/link.txt"
guild run -y pick > /dev/null 2>&1
PICK=$(guild select 0 2>/dev/null)
quiet guild publish -f -y "$PICK"
(cd "$pub/$PICK/runfiles" && find . -type f | LC_ALL=C sort) > "$TEST_TMP/copied"
expect_exact "--files: a list of names copies only those" - -- cat "$TEST_TMP/copied" <<'EOF'
./out.txt
EOF
quiet guild publish --no-md5 -y "$FIT"
ok "--no-md5: no digests" grep -q '^out.txt,file,4,[0-9]*,$' "$pub/$FIT/runfiles.csv"

# Batch runs: left out unless --include-batch.
BATCH=2222e20cd18611e88f52d017c2ab916f
mkrun $BATCH fit+ 1539705400 0
quiet guild publish -y -d "$TEST_TMP/b1"
ok "a batch run is left out" test ! -e "$TEST_TMP/b1/$BATCH"
quiet guild publish -y -d "$TEST_TMP/b2" --include-batch
ok "--include-batch publishes it" test -f "$TEST_TMP/b2/$BATCH/run.yml"

# -r: the index from what DEST holds.
rm -rf "$pub/$HOSTILE"
expect_output "--refresh-index" - -- sized guild publish -r <<'EOF'
Refreshing runs index in published-runs
Published runs using <size>
EOF
ok "--refresh-index: a removed run leaves the index" sh -c "! grep -q 1451e20c '$pub/README.md' '$pub/index.html'"
ok "--refresh-index: the others stay" grep -q "$FIT" "$pub/index.html"
expect_output "--refresh-index without published runs" - 1 -- guild publish -r -d "$TEST_TMP/none" <<'EOF'
Refreshing runs index in $TEST_TMP/none
guild: $TEST_TMP/none: no published runs there
EOF

# A destination that cannot be a directory: an error, nothing written.
echo file > "$TEST_TMP/afile"
expect_output "a destination that is a file" - 1 -- sized guild publish -y -d "$TEST_TMP/afile" "$FIT" <<'EOF'
guild: $TEST_TMP/afile: not a directory
EOF
ok "the file is left as it was" grep -qx file "$TEST_TMP/afile"

done_testing
