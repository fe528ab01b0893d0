#!/bin/sh
# check.sh: guild check, Guild AI's report on the set-up, with fake Python
# and GPU tools so that every line is known.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

version=$(guild --version | sed 's/^guild //')
bin=$TEST_TMP/bin
mkdir -p "$bin"
# The Python that runs scripts, answering the probe as a real one would.
cat > "$bin/fakepy" <<'EOT'
#!/bin/sh
printf 'python_version\t3.99.0 (fake)\npython_exe\t/fake/bin/python\n'
printf 'python_path\t/fake/lib:/fake/site\ntensorboard_version\t2.99.0\n'
for a; do
	case $a in
	tensorflow) printf 'tensorflow_version\t2.99.1\ntensorflow_cuda_support\tno\ntensorflow_gpu_available\tno\n' ;;
	pytorch) printf 'pytorch_version\t9.1.0\npytorch_cuda_version\tNone\npytorch_cuda_available\tno\npytorch_cuda_devices\tnone\n' ;;
	esac
done
EOT
cat > "$bin/nvidia-smi" <<'EOT'
#!/bin/sh
if [ "$1" = --query ]; then
	printf '==NVSMI LOG==\nCUDA Version                              : 12.2\n'
else
	printf '| NVIDIA-SMI 535.104.05   Driver Version: 535.104.05   CUDA Version: 12.2 |\n'
fi
EOT
chmod +x "$bin/fakepy" "$bin/nvidia-smi"
export GUILD_PYTHON_EXE="$bin/fakepy"
PATH=$bin:/usr/bin:/bin
export PATH
guild_dir=$(dirname "$(command -v "$GUILD" || echo "$GUILD")")
guild_dir=$(cd "$guild_dir" && pwd -P)

expect_output "check: Guild's fields, in its order and column" - -- \
    sh -c '"$GUILD" check | sed "s|$1|<guild dir>|; s|^platform: *.*|platform: <uname>|"' \
    sh "$guild_dir" <<EOT
guild_version:             $version
guild_install_location:    <guild dir>
guild_home:                ~/.guild (not created yet)
guild_resource_cache:      ~/.guild/cache/resources
python_version:            3.99.0 (fake)
python_exe:                /fake/bin/python
platform: <uname>
tensorboard_version:       2.99.0
cuda_version:              12.2
nvidia_smi_version:        535.104.05
EOT

uname_line=$(guild check | grep '^platform:')
ok "platform: system, release, machine" \
    test "$uname_line" = "platform:                  $(uname -s) $(uname -r) $(uname -m)"

# The home's line says what is in it.
mkdir -p "$GUILD_HOME/runs/aaa" "$GUILD_HOME/runs/bbb" "$GUILD_HOME/trash/runs/ccc"
expect_output "check: guild_home counts runs and deleted runs" - -- \
    sh -c '"$GUILD" check | grep "^guild_home:"' <<'EOT'
guild_home:                ~/.guild (2 runs, 1 deleted)
EOT

expect_output "check --env: environment only" - -- \
    sh -c '"$GUILD" check --env | cut -d: -f1' <<'EOT'
guild_version
guild_install_location
guild_home
guild_resource_cache
python_version
python_exe
EOT

expect_output "check -v: python_path" - -- \
    sh -c '"$GUILD" check -v | grep "^python_path:"' <<'EOT'
python_path:               /fake/lib:/fake/site
EOT

expect_output "check --tensorflow --pytorch: their lines" - -- \
    sh -c '"$GUILD" check --tensorflow --pytorch | grep -E "^(tensorflow|pytorch)_"' <<'EOT'
tensorflow_version:        2.99.1
tensorflow_cuda_support:   no
tensorflow_gpu_available:  no
pytorch_version:           9.1.0
pytorch_cuda_version:      None
pytorch_cuda_available:    no
pytorch_cuda_devices:      none
EOT

# Missing tools are "not installed", and the check still succeeds.
rm "$bin/nvidia-smi"
expect_output "check: no Python, no GPU tools" - -- \
    env GUILD_PYTHON_EXE="$bin/nopython" \
    sh -c '"$GUILD" check | grep -E "^(python|tensorboard|cuda|nvidia)"' <<EOT
python_version:            not installed
python_exe:                \$TEST_TMP/bin/nopython not found
tensorboard_version:       not installed
cuda_version:              not installed
nvidia_smi_version:        not installed
EOT

# --space: Guild's sizes (1024-based, one decimal) and paths.
dd if=/dev/zero of="$GUILD_HOME/runs/aaa/big" bs=1024 count=3072 2>/dev/null
expect_output "check --space: disk use of runs, trash, remotes and cache" - -- \
    sh -c '"$GUILD" check --space | sed -n "/^disk_space:/,\$p" |
        sed "s/^\(  guild_home: *\)[0-9.]*M */\13.xM /;
             s/^\(  deleted_runs: *\)[0-9.]*K* */\1<small> /"' <<'EOT'
disk_space:
  guild_home:              3.xM ~/.guild
  runs:                    3.0M ~/.guild/runs
  deleted_runs:            <small> ~/.guild/trash/runs
  remote_state:            0    ~/.guild/remotes
  cache:                   0    ~/.guild/cache
EOT

# --version REQUIRED: Guild's requirement specs.
for spec in "$version" ">=0.1" ">=0.1,<99" "==${version%.*}.*" "~=${version%.*}.0" \
    "!=99.0" "<99" ">0.0.1" "===$version" "==$version " " >=0.1 , <99 "; do
	ok "check --version '$spec' matches $version" \
	    sh -c '"$GUILD" check --version "$1" > /dev/null' sh "$spec"
done
expect_output "check --version: a mismatch" - 1 -- guild check --version '>=99' <<EOT
guild: version mismatch: current version '$version' does not match '>=99'
EOT
expect_output "check --version: a mismatch in one clause" - 1 -- \
    guild check --version ">=0.1,!=$version" <<EOT
guild: version mismatch: current version '$version' does not match '>=0.1,!=$version'
EOT
expect_output "check --version: not a spec" - 1 -- guild check --version 'x1' <<'EOT'
guild: invalid requirement spec 'x1'
EOT
expect_output "check --version: an empty clause" - 1 -- guild check --version '>=0.1,' <<'EOT'
guild: invalid requirement spec '>=0.1,'
EOT
expect_output "check: no arguments" - 1 -- guild check extra <<'EOT'
guild: unexpected extra argument 'extra'
EOT

# The real Python, when there is one: what the probe finds.
unset GUILD_PYTHON_EXE
PATH=$bin:/usr/local/bin:/usr/bin:/bin
if command -v python3 > /dev/null 2>&1; then
	py=$(guild check | sed -n 's/^python_version: *//p')
	exe=$(guild check | sed -n 's/^python_exe: *//p')
	ok "check: the real Python's version" \
	    test "$py" = "$(python3 -c 'import sys; print(sys.version.replace("\n", " "))')"
	ok "check: the real Python's executable" \
	    test "$exe" = "$(python3 -c 'import sys; print(sys.executable)')"
else
	skip "check: the real Python's version" "no python3"
	skip "check: the real Python's executable" "no python3"
fi

done_testing
