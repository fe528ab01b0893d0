#!/bin/sh
# packages-cache.sh: the installed packages are found through one file of
# the home's cache (the interpreter's Python path and which of its
# directories' .dist-info name guild models), read without asking Python;
# and it is never stale: a package installed or removed, another python3
# first in PATH, the interpreter replaced, a relative PYTHONPATH from
# another directory, a user site-packages made: each is seen at once.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
export GUILD

real=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
[ -n "$real" ] || skip_all "no python3"
unset PYTHONPATH PYTHONHOME PYTHONUSERBASE PYTHONNOUSERSITE

# mkpy DIR FIRST [OPTION]: DIR/python3, a python3 that logs each call and
# puts FIRST first on its path. With -S (the default) the path is the
# standard library's and PYTHONPATH: directories whose times this test sets.
log=$TEST_TMP/python.log
: > "$log"
mkpy()
{
	mkdir -p "$1"
	printf '#!/bin/sh\necho "$0" >> "%s"\nPYTHONPATH=%s${PYTHONPATH:+:$PYTHONPATH} exec "%s" %s "$@"\n' \
	    "$log" "$2" "$real" "${3--S}" > "$1/python3.new" &&
	    chmod +x "$1/python3.new" && mv "$1/python3.new" "$1/python3"
}
calls()
{
	awk 'END { print NR }' "$log"
}
# fake_pkg DIR NAME: an installed package gpkg.NAME in DIR, as pip leaves
# it (the files Guild reads).
fake_pkg()
{
	_di=$1/gpkg_$2-1.0.dist-info
	mkdir -p "$_di" "$1/gpkg/$2"
	printf 'Metadata-Version: 2.1\nName: gpkg.%s\nVersion: 1.0\nSummary: Package %s\n' "$2" "$2" > "$_di/METADATA"
	printf '[guild.models]\nm = guild.model:PackageModel\n' > "$_di/entry_points.txt"
	printf 'gpkg/%s/guild.yml,,\n%s/RECORD,,\n' "$2" "${_di##*/}" > "$_di/RECORD"
	printf -- '- model: m\n  description: Model of %s\n' "$2" > "$1/gpkg/$2/guild.yml"
}
# Whether the answer is kept: a second call does not run python. A
# directory or an interpreter changed in the last second is not trusted
# to stay as it is, so it is kept only a second after any change.
cached()
{
	"$GUILD" packages > /dev/null && : > "$log" &&
	    "$GUILD" packages > /dev/null && [ "$(calls)" -eq 0 ]
}

lib=$TEST_TMP/lib
fake_pkg "$lib" a
mkpy "$TEST_TMP/bin1" "$lib"
PATH=$TEST_TMP/bin1:$PATH
export PATH
ok "the answer is kept in the cache" wait_for 120 cached
: > "$log"
expect_output "a package, from the cache: python is not run" - -- sh -c '"$GUILD" packages; "$GUILD" models; awk "END { print NR }" "$1"' sh "$log" <<'EOF'
gpkg.a  1.0  Package a
gpkg.a/m  Model of a
0
EOF

fake_pkg "$lib" b
expect_output "a package installed: seen at once" - -- guild models <<'EOF'
gpkg.a/m  Model of a
gpkg.b/m  Model of b
EOF
ok "by asking python again" test "$(calls)" -eq 1
ok "kept again" wait_for 120 cached
expect_output "from the cache" - -- guild models <<'EOF'
gpkg.a/m  Model of a
gpkg.b/m  Model of b
EOF
ok "python not run" test "$(calls)" -eq 0
: > "$log"
rm -r "$lib/gpkg_a-1.0.dist-info"
expect_output "a package removed: gone at once" - -- guild packages <<'EOF'
gpkg.b  1.0  Package b
EOF
ok "by asking python again" test "$(calls)" -eq 1

# Another python3 first in PATH, then the first one again.
lib2=$TEST_TMP/lib2
fake_pkg "$lib2" c
mkpy "$TEST_TMP/bin2" "$lib2"
expect_output "another python3 first in PATH: its packages" - -- env PATH="$TEST_TMP/bin2:$PATH" "$GUILD" packages <<'EOF'
gpkg.c  1.0  Package c
EOF
ok "the first one's answer kept" wait_for 120 cached
expect_output "the first python3 again: its packages" - -- guild packages <<'EOF'
gpkg.b  1.0  Package b
EOF
ok "from the cache" test "$(calls)" -eq 0
# A PATH that names a directory twice: found all the same.
expect_output "a directory twice in PATH" - -- env PATH="$TEST_TMP/nowhere:$TEST_TMP/nowhere:$TEST_TMP/bin2:$TEST_TMP/bin2:$PATH" "$GUILD" packages <<'EOF'
gpkg.c  1.0  Package c
EOF

# The interpreter replaced at the same path.
mkpy "$TEST_TMP/bin1" "$lib2"
expect_output "python3 replaced at the same path: the new one's packages" - -- guild packages <<'EOF'
gpkg.c  1.0  Package c
EOF

# Python makes a relative PYTHONPATH absolute from the current directory:
# the answer in one directory is not another's.
mkpy "$TEST_TMP/bin1" "$lib"
fake_pkg "$TEST_TMP/p1/rel" d
fake_pkg "$TEST_TMP/p2/rel" e
cd "$TEST_TMP/p1" || exit 1
PYTHONPATH=rel
export PYTHONPATH
ok "kept for a relative PYTHONPATH" wait_for 120 cached
cd "$TEST_TMP/p2" || exit 1
expect_output "a relative PYTHONPATH in another directory: its packages" - -- guild packages <<'EOF'
gpkg.b  1.0  Package b
gpkg.e  1.0  Package e
EOF
cd "$TEST_TMP/p1" || exit 1
expect_output "and the first directory's again" - -- guild packages <<'EOF'
gpkg.b  1.0  Package b
gpkg.d  1.0  Package d
EOF
unset PYTHONPATH

# A pyenv shim runs the Python that PYENV_VERSION names: here, one whose
# path starts with the directory of that name.
mkpy "$TEST_TMP/bin4" '$TEST_TMP/$PYENV_VERSION'
sed -i "1a TEST_TMP=$TEST_TMP" "$TEST_TMP/bin4/python3"
fake_pkg "$TEST_TMP/v1" v
fake_pkg "$TEST_TMP/v2" w
PYENV_VERSION=v1
export PYENV_VERSION
saved_path=$PATH
PATH=$TEST_TMP/bin4:$PATH
ok "kept for PYENV_VERSION=v1" wait_for 120 cached
expect_output "PYENV_VERSION=v2: its packages" - -- env PYENV_VERSION=v2 "$GUILD" packages <<'EOF'
gpkg.w  1.0  Package w
EOF
PATH=$saved_path
unset PYENV_VERSION

# The user site-packages (under the test's HOME) is on the path once made.
usersite=$("$real" -c 'import site; site.ENABLE_USER_SITE and print(site.getusersitepackages())')
if [ -z "$usersite" ] || [ -e "$usersite" ]; then
	skip "kept without a user site-packages" "no user site here"
	skip "a user site-packages made: seen at once" "no user site here"
else
	mkpy "$TEST_TMP/bin3" "$lib" " "
	PATH=$TEST_TMP/bin3:$PATH
	ok "kept without a user site-packages" wait_for 120 cached
	fake_pkg "$usersite" u
	expect_output "a user site-packages made: seen at once" - -- sh -c '"$GUILD" packages | grep gpkg' <<'EOF'
gpkg.b  1.0  Package b
gpkg.u  1.0  Package u
EOF
fi

done_testing
