#!/bin/sh
# package.sh: guild package writes a wheel that pip installs offline
# into a fresh virtual environment; the package's models are then listed,
# helped and run from anywhere; guild packages, install and uninstall.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
export GUILD

proj=$(make_project hello <<'EOF'
- package: gpkg.hello
  version: 0.1
  description: |
    A greeting package
    with a second line.
  author: A. Author
  author-email: a@example.com
  license: MIT
  tags: [greeting]
  data-files: [data]
- model: hello
  description: Says hello
  operations:
    say:
      description: Say something
      main: say
      flags:
        msg: hi
    _private:
      main: say
EOF
)
cd "$proj" || exit 1
cat > say.py <<'EOF'
import os
from util import helpers
msg = "hi"
print("say: %s %s" % (msg, helpers.SUFFIX))
print("data: %s" % open(os.path.join(os.path.dirname(__file__), "data", "words.txt")).read().strip())
EOF
mkdir -p util data && : > util/__init__.py && echo 'SUFFIX = "!"' > util/helpers.py
echo "hello world" > data/words.txt
echo "A greeting" > README.md
echo "not packaged" > notes.txt

expect_output "guild package writes the wheel into dist/" - -- guild package <<'EOF'
Created $TEST_TMP/hello/dist/gpkg_hello-0.1-py2.py3-none-any.whl (6 project files)
EOF
wheel=$proj/dist/gpkg_hello-0.1-py2.py3-none-any.whl
expect_output "what is in it" - -- python3 -c 'import sys, zipfile; print("\n".join(sorted(zipfile.ZipFile(sys.argv[1]).namelist())))' "$wheel" <<'EOF'
gpkg/hello/README.md
gpkg/hello/data/words.txt
gpkg/hello/guild.yml
gpkg/hello/say.py
gpkg/hello/util/__init__.py
gpkg/hello/util/helpers.py
gpkg_hello-0.1.dist-info/METADATA
gpkg_hello-0.1.dist-info/RECORD
gpkg_hello-0.1.dist-info/WHEEL
gpkg_hello-0.1.dist-info/entry_points.txt
gpkg_hello-0.1.dist-info/top_level.txt
EOF
expect_output "its metadata" - -- python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.read("gpkg_hello-0.1.dist-info/METADATA").decode(), end=""); print(z.read("gpkg_hello-0.1.dist-info/entry_points.txt").decode(), end="")' "$wheel" <<'EOF'
Metadata-Version: 2.1
Name: gpkg.hello
Version: 0.1
Summary: A greeting package
Author: A. Author
Author-email: a@example.com
License: MIT
Keywords: greeting gpkg

A greeting package
with a second line.
[guild.models]
hello = guild.model:PackageModel
EOF
# RECORD: every file with its sha256 (urlsafe base64) and size, as pip
# checks them.
ok "RECORD's digests are right" python3 -c '
import base64, csv, hashlib, io, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
rows = list(csv.reader(io.StringIO(z.read("gpkg_hello-0.1.dist-info/RECORD").decode())))
assert sorted(r[0] for r in rows) == sorted(z.namelist()), rows
for name, h, size in rows:
    if name.endswith("RECORD"):
        assert h == "" and size == ""
        continue
    data = z.read(name)
    want = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    assert h == want and int(size) == len(data), (name, h, want)
' "$wheel"

expect_output "--upload says what to do instead" - 1 -- guild package --upload <<'EOF'
guild: guild does not upload packages: build the wheel, then upload it with twine (twine upload dist/*.whl)
EOF
touch dist/gpkg_hello-0.0.9-py2.py3-none-any.whl dist/other-1.0-py3-none-any.whl
expect_output "--clean and --dist-dir" - -- sh -c '"$GUILD" package --clean && ls dist && "$GUILD" package -d out >/dev/null && ls out' <<'EOF'
Created $TEST_TMP/hello/dist/gpkg_hello-0.1-py2.py3-none-any.whl (6 project files)
gpkg_hello-0.1-py2.py3-none-any.whl
other-1.0-py3-none-any.whl
gpkg_hello-0.1-py2.py3-none-any.whl
EOF

# A data file that cannot be read, with packages: given: an error, and
# neither a wheel nor its temporary file is left in dist/.
bad=$(make_project bad <<'EOF'
- package: gpkg.bad
  packages:
    gpkg.bad: .
  data-files: [fifo]
- model: m
EOF
)
mkfifo "$bad/fifo" && echo 'print(1)' > "$bad/m.py"
expect_output "an unreadable data file is an error" - 1 -- guild -C "$bad" package <<'EOF'
guild: $TEST_TMP/bad/fifo: not a regular file
EOF
expect_output "and dist/ is empty" - -- ls -A "$bad/dist" <<'EOF'
EOF

# data-files name the project's files only: not "../x", nor a link out.
echo secret > "$TEST_TMP/secret.txt"
printf -- '- package: gpkg.out\n  data-files: [data/../../secret.txt]\n- model: m\n' > "$bad/guild.yml"
expect_output "a data file outside the project is refused" - 1 -- guild -C "$bad" package <<'EOF'
guild: data-files: 'data/../../secret.txt' is outside the project (data files are relative to $TEST_TMP/bad, without '..')
EOF
ln -s ../secret.txt "$bad/link.txt"
printf -- '- package: gpkg.out\n  data-files: ["*.txt"]\n- model: m\n' > "$bad/guild.yml"
expect_output "and so is a link out of it" - 1 -- guild -C "$bad" package <<'EOF'
guild: data-files: 'link.txt' is outside the project (a link out of it)
EOF
expect_output "no wheel either way" - -- ls -A "$bad/dist" <<'EOF'
EOF
rm "$bad/link.txt"

# Versions and names pip would refuse (the wheel's file name splits on
# '-'): errors, no wheel.
bad=$(make_project badversion <<'EOF'
- package: gpkg.v
  version: 1.0-beta
- model: m
EOF
)
expect_output "a version not in PEP 440's normal form" - 1 -- guild -C "$bad" package <<'EOF'
guild: invalid package version '1.0-beta': expected a PEP 440 version in its normal form, such as 1.0, 1.0b1, 1.0rc1, 1.0.post1 or 1.0.dev1
EOF
printf -- '- package: "my pkg"\n- model: m\n' > "$bad/guild.yml"
expect_output "a name with a blank" - 1 -- guild -C "$bad" package <<'EOF'
guild: invalid package name 'my pkg': expected letters, digits and . _ - (starting and ending with a letter or digit)
EOF
ok "and no wheel" test ! -e "$bad/dist"
printf -- '- package: gpkg.v\n  version: 2!1.0rc2.post3.dev4+ubuntu.1\n- model: m\n' > "$bad/guild.yml"
expect_output "every part of a normal-form version" - -- guild -C "$bad" package <<'EOF'
Created $TEST_TMP/badversion/dist/gpkg_v-2!1.0rc2.post3.dev4+ubuntu.1-py2.py3-none-any.whl (1 project file)
EOF

# A license of more than one line: its other lines folded, so that the
# header block stays whole.
printf -- '- package: gpkg.v\n  license: |\n    MIT\n    Author: not a header\n- model: m\n' > "$bad/guild.yml"
"$GUILD" -C "$bad" package > /dev/null
expect_output "a multi-line license in METADATA" - -- python3 -c '
import email, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
m = email.message_from_bytes(z.read("gpkg_v-0.0.0.dist-info/METADATA"))
print(m.get_all("Author"), m["License"].split(), not m.defects)
' "$bad/dist/gpkg_v-0.0.0-py2.py3-none-any.whl" <<'EOF'
None ['MIT', 'Author:', 'not', 'a', 'header'] True
EOF

# A fresh virtual environment with pip, offline: the wheel installs.
venv=$TEST_TMP/venv
if ! /usr/bin/python3 -m venv "$venv" > "$TEST_TMP/venv.log" 2>&1; then
	diag "$(cat "$TEST_TMP/venv.log")"
	skip_all "python3 -m venv does not work here (python3-venv)"
fi
GUILD_PYTHON_EXE=$venv/bin/python3
export GUILD_PYTHON_EXE
mkdir -p "$TEST_TMP/elsewhere"
cd "$TEST_TMP/elsewhere" || exit 1

# Which .dist-info directories name guild models is kept in the cache,
# by the directory's time; installing changes that time, so the new
# package is found (the directory is made older first: a time of the last
# second is never cached).
site=$("$venv/bin/python3" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
touch -d '2000-01-01 00:00:00' "$site"
expect_output "no packages yet" - -- guild packages <<'EOF'
EOF
# (An interpreter made in the last second is not trusted either: the venv's
# link may be that new.)
ok "the scan of site-packages is cached" wait_for 120 \
    sh -c '"$GUILD" packages > /dev/null &&
    ls "$1"/cache/python-packages/* > /dev/null' sh "$GUILD_HOME"
ok "guild install of the wheel, offline" "$GUILD" install --no-deps "$wheel"
expect_output "guild packages lists it" - -- guild packages <<'EOF'
gpkg.hello  0.1  A greeting package
EOF
expect_output "guild models, outside any project" - -- guild models <<'EOF'
gpkg.hello/hello  Says hello
EOF
expect_output "guild ops: public operations, Guild's names" - -- guild ops <<'EOF'
gpkg.hello/hello:say  Say something
EOF
expect_output "guild help PACKAGE" - -- sh -c '"$GUILD" help -n gpkg.hello | sed -n "3p;18,100p"' <<'EOF'
    You are viewing help for operations defined in package gpkg.hello.
    hello

      Says hello

      Operations:

        say
          Say something

          Flags:
            msg  (default is hi)
EOF
expect_output "a run of the package's operation, from elsewhere" - -- guild run -y gpkg.hello/hello:say msg=hey <<'EOF'
say: hey !
data: hello world
EOF
expect_output "listed with the package's name" - -- guild runs <<'EOF'
[0:<id>]  gpkg.hello/hello:say  <time>  completed  msg=hey
EOF
run=$("$GUILD" select)
expect_output "the opref names the package, as Guild's" - -- sh -c 'cat "$1"; echo' sh "$GUILD_HOME/runs/$run/.guild/opref" <<'EOF'
package:gpkg.hello 0.1 hello say
EOF
expect_output "a restart finds the package again" - -- guild run -y --restart "$run" msg=again <<'EOF'
say: again !
data: hello world
EOF
cd "$proj" || exit 1
expect_output "in a project: its own operations, then the packages'" - -- guild ops <<'EOF'
./hello:say           Say something
gpkg.hello/hello:say  Say something
EOF
expect_output "an unknown package" - 1 -- guild run -y gpkg.nope/x:y <<'EOF'
guild: cannot find package 'gpkg.nope' (guild packages lists those installed)
EOF
ok "guild uninstall" "$GUILD" uninstall -y gpkg.hello
expect_output "and it is gone" - -- guild packages <<'EOF'
EOF

# The Python path is cached until one of its directories changes: a .pth
# file added to site-packages is seen at once. (Its mtime is set in the
# past, so that the cache is written: a directory changed this second is
# not trusted to stay as it is.)
site=$(echo "$venv"/lib/python3*/site-packages)
touch -d 2020-01-01 "$site"
expect_output "nothing installed" - -- guild packages <<'EOF'
EOF
ok "the path is cached" sh -c 'ls "$GUILD_HOME"/cache/python-packages/* > /dev/null'
# A package installed elsewhere, its guild.yml where its RECORD says (not
# where its name would put it), as Guild finds it.
extra=$TEST_TMP/extra
mkdir -p "$extra/gpkg_extra-1.0.dist-info" "$extra/gpkg/extra_files"
printf 'Metadata-Version: 2.1\nName: gpkg.extra\nVersion: 1.0\nSummary: Found through RECORD\n' > "$extra/gpkg_extra-1.0.dist-info/METADATA"
printf '[guild.models]\nm = guild.model:PackageModel\n' > "$extra/gpkg_extra-1.0.dist-info/entry_points.txt"
printf '"gpkg/extra_files/guild.yml",,\ngpkg_extra-1.0.dist-info/RECORD,,\n' > "$extra/gpkg_extra-1.0.dist-info/RECORD"
printf -- '- model: m\n  description: Extra model\n  operations:\n    op: {exec: "echo extra"}\n' > "$extra/gpkg/extra_files/guild.yml"
echo "$extra" > "$site/extra.pth"
expect_output "a .pth added: seen at once" - -- guild packages <<'EOF'
gpkg.extra  1.0  Found through RECORD
EOF
expect_output "its models, from the guild.yml its RECORD lists" - -- guild models <<'EOF'
./hello       Says hello
gpkg.extra/m  Extra model
EOF
expect_output "and run from there" - -- guild run -y gpkg.extra/m:op <<'EOF'
extra
EOF
rm "$site/extra.pth"

done_testing
