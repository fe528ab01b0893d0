#!/bin/sh
# quickstart.sh: set up a Debian 12 machine, build guild, and then either
# start it on the example project or run every test.
#
#	sh quickstart.sh		set up, build, run the example's operations
#					once, open guild view on examples/digits
#	sh quickstart.sh check		set up, build, run the whole test suite
#
# Both are safe to rerun: packages are installed only when missing,
# ./autogen.sh runs only when configure is missing or out of date, and the
# build directories (build/, build-asan/, build-clang/) are reused.
#
# "check" runs: make check (warnings are errors), make check-remote (the
# remote tests, against an sshd and a Slurm cluster they start: once),
# make check again in an
# AddressSanitizer + UndefinedBehaviorSanitizer build, a build with clang
# (warnings are errors; the programs and the unit tests are compiled, the
# suite is not run a third time), and make distcheck.
# It needs no terminal and no input, and its last line is always
# "N passed, N failed", summed over the test-suite.log of the plain and
# the sanitizer runs. It exits non-zero if anything failed.

set -u

PACKAGES="build-essential autoconf automake pkg-config libyaml-dev
libsqlite3-dev libpcre2-dev libncurses-dev libarchive-dev libmd-dev mandoc
zlib1g-dev libbz2-dev liblzma-dev libzstd-dev nettle-dev libacl1-dev
libchafa-dev libglib2.0-dev libstb-dev libwebp-dev
tmux python3 python3-numpy python3-sklearn python3-matplotlib python3-venv python3-click
python3-jinja2 clang
libclang-rt-14-dev openssh-server rsync slurm-wlm munge"

EXAMPLE=examples/digits

# Options of the build directories. Warnings are errors in both: the code is
# kept warning-free with Debian 12's compiler, which is what this script is for.
BUILD_FLAGS="--enable-werror"
ASAN_FLAGS="--enable-werror --enable-asan"
# The code is kept warning-free under clang too, which warns about things
# gcc does not (format strings passed through va_list, for one).
CLANG_FLAGS="--enable-werror CC=clang"

mode=${1:-start}
case $mode in
start|check)
	;;
*)
	echo "usage: sh quickstart.sh [check]" >&2
	exit 2
	;;
esac

cd "$(dirname "$0")" || exit 1
top=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)

phase()
{
	printf '\n==> %s\n' "$*"
}

warn()
{
	printf 'quickstart: %s\n' "$*" >&2
}

# The packages of $PACKAGES that are not installed.
missing_packages()
{
	arch=$(dpkg --print-architecture)
	for p in $PACKAGES; do
		# Multi-Arch: same packages may only answer to "name:arch".
		dpkg-query -W -f='${db:Status-Abbrev}\n' "$p" "$p:$arch" \
		    2>/dev/null | grep -q '^ii' || printf '%s ' "$p"
	done
}

install_packages()
{
	if ! command -v dpkg-query > /dev/null 2>&1; then
		warn "not a Debian system: install the equivalents of these packages yourself:"
		warn "$(echo $PACKAGES)"
		return 0
	fi
	missing=$(missing_packages)
	if [ -z "$missing" ]; then
		echo "All packages are installed."
		return 0
	fi
	if [ "$(id -u)" -eq 0 ]; then
		sudo=
	elif command -v sudo > /dev/null 2>&1; then
		sudo=sudo
	else
		warn "not root and no sudo: as root, run apt-get install -y $missing"
		return 1
	fi
	echo "Installing: $missing"
	$sudo apt-get update &&
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y $missing
}

# Generate configure and Makefile.in when missing or older than their
# sources; a configured build directory regenerates them itself after that.
bootstrap()
{
	if [ ! -f configure ] || [ ! -f Makefile.in ] ||
	    [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
		./autogen.sh
	else
		echo "configure is up to date."
	fi
}

# configure_dir DIR FLAGS: configure DIR out of tree, unless it already is
# with the same flags.
configure_dir()
{
	mkdir -p "$1" || return 1
	if [ -f "$1/config.status" ] && [ -f "$1/Makefile" ]; then
		have=$(cd "$1" && ./config.status --config | tr -d "'")
		if [ "$(echo $have)" = "$(echo $2)" ]; then
			echo "$1/ is configured ($2)."
			return 0
		fi
	fi
	(cd "$1" && "$top/configure" -q $2)
}

# make_in DIR TARGET...
make_in()
{
	(cd "$1" && shift && make -j"$jobs" "$@" < /dev/null)
}

# The operations of the example run in Python with numpy, scikit-learn and
# matplotlib; say so early if the python3 on PATH cannot import them (a
# virtualenv or pyenv shadowing Debian's /usr/bin/python3, say).
check_python()
{
	[ -n "${GUILD_PYTHON_EXE:-}" ] && return 0
	if ! python3 -c 'import numpy, sklearn, matplotlib' > /dev/null 2>&1; then
		if /usr/bin/python3 -c 'import numpy, sklearn, matplotlib' > /dev/null 2>&1; then
			warn "$(command -v python3 || echo python3) cannot import numpy, sklearn and"
			warn "matplotlib; using /usr/bin/python3 (export GUILD_PYTHON_EXE to choose)"
			GUILD_PYTHON_EXE=/usr/bin/python3
			export GUILD_PYTHON_EXE
		else
			warn "python3 cannot import numpy, sklearn and matplotlib,"
			warn "which the operations of $EXAMPLE need"
		fi
	fi
}

setup()
{
	phase "Installing missing packages"
	install_packages || return 1
	phase "Generating configure"
	bootstrap || return 1
}

# Print "PASS FAIL" from a test-suite.log: XFAIL counts as passed, ERROR
# and XPASS as failed.
log_counts()
{
	awk '
		/^# PASS:/ { pass += $3 }
		/^# XFAIL:/ { pass += $3 }
		/^# FAIL:/ { fail += $3 }
		/^# ERROR:/ { fail += $3 }
		/^# XPASS:/ { fail += $3 }
		END { print pass + 0, fail + 0 }' "$1"
}

# log_failures LOG: the failed tests of LOG and their first diagnostics,
# so that the end of the output, which is what CI keeps, says what failed.
log_failures()
{
	awk '
		/^(FAIL|ERROR|XPASS): / {
			if (++shown > 30) exit
			print "  " $0
			diag = 0
			next
		}
		/^not ok / {
			if (++shown > 30) exit
			print "    " $0
			diag = 6
			next
		}
		diag > 0 && /^#/ { print "      " $0; diag--; next }
		{ diag = 0 }' "$1"
}

passed=0
failed=0

# count PHASE-STATUS [LOG]: add a phase's results to the totals. A phase
# that failed without a failure in its log (or without a log) counts as
# one failure, so a broken build never reads as success.
count()
{
	p=0
	f=0
	if [ $# -ge 2 ] && [ -f "$2" ]; then
		set -- "$1" "$2" $(log_counts "$2")
		p=$3
		f=$4
	fi
	if [ "$1" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
}

# Make the example's first runs, by running its operations for real, so
# that the view has something to show; only when the Guild home has no
# run of the example yet.
example_runs()
{
	if [ -n "$(build/guild -C "$EXAMPLE" runs -o '^digits:' -n 1 2>/dev/null)" ]; then
		echo "The example already has runs."
		return 0
	fi
	for op in prepare-data train predict; do
		echo "guild run -y $op"
		build/guild -C "$EXAMPLE" run -y -q "$op" || return 1
	done
}

start()
{
	setup || exit 1
	phase "Building in build/"
	configure_dir build "$BUILD_FLAGS" && make_in build || exit 1
	check_python
	phase "Running the example's operations"
	example_runs || exit 1
	phase "Starting guild view on $EXAMPLE"
	if [ ! -t 0 ] || [ ! -t 1 ]; then
		build/guild -C "$EXAMPLE" runs
		echo "Not a terminal: run 'build/guild -C $EXAMPLE view' in one."
		exit 0
	fi
	exec build/guild -C "$EXAMPLE" view
}

check()
{
	if setup; then
		phase "Building in build/ ($BUILD_FLAGS)"
		rm -f build/test-suite.log
		configure_dir build "$BUILD_FLAGS" && make_in build
		status=$?
		if [ "$status" -eq 0 ]; then
			phase "Running make check in build/"
			make_in build check
			status=$?
		fi
		count "$status" build/test-suite.log

		# Remotes against a real sshd (and Slurm): slow, so once.
		phase "Running make check-remote in build/"
		rm -f build/test-remote.log
		if [ "$status" -eq 0 ]; then
			make_in build check-remote
			count $? build/test-remote.log
		else
			count 1
		fi

		phase "Building in build-asan/ ($ASAN_FLAGS)"
		rm -f build-asan/test-suite.log
		configure_dir build-asan "$ASAN_FLAGS" && make_in build-asan
		status=$?
		if [ "$status" -eq 0 ]; then
			phase "Running make check in build-asan/"
			ASAN_OPTIONS=detect_leaks=1 \
			UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
			    make_in build-asan check
			status=$?
		fi
		count "$status" build-asan/test-suite.log

		phase "Building with clang in build-clang/ ($CLANG_FLAGS)"
		# TESTS= builds the unit tests and runs nothing.
		configure_dir build-clang "$CLANG_FLAGS" &&
		    make_in build-clang all &&
		    make_in build-clang check TESTS=
		count $?

		phase "Running make distcheck in build/"
		if [ -f build/Makefile ]; then
			make_in build distcheck DISTCHECK_CONFIGURE_FLAGS="$BUILD_FLAGS"
			count $?
		else
			count 1
		fi
	else
		count 1
	fi
	phase "Summary"
	for log in build/test-suite.log build/test-remote.log \
	    build-asan/test-suite.log; do
		[ -f "$log" ] || continue
		set -- $(log_counts "$log")
		printf '%s: %s passed, %s failed\n' "$log" "$1" "$2"
		[ "$2" -eq 0 ] || log_failures "$log"
	done
	printf '%d passed, %d failed\n' "$passed" "$failed"
	[ "$failed" -eq 0 ]
}

case $mode in
start)
	start
	;;
check)
	check
	;;
esac
