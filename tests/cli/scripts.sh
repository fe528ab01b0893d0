#!/bin/sh
# scripts.sh: any Python script is an operation, as in Guild AI 0.9:
# "guild run train.py lr=0.5" with no guild.yml, flags imported from it.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

command -v python3 > /dev/null 2>&1 || skip_all "no python3"

mkdir -p "$TEST_TMP/plain"
cd "$TEST_TMP/plain" || exit 1
cat > train.py <<'EOT'
import argparse
p = argparse.ArgumentParser()
p.add_argument("--lr", type=float, default=0.1)
p.add_argument("--epochs", type=int, default=3)
args = p.parse_args()
print("lr", args.lr, "epochs", args.epochs)
EOT
cat > say.py <<'EOT'
msg = "hello"
print(msg)
EOT

expect_output "guild run train.py without guild.yml" - -- \
    guild run -y train.py lr=0.5 <<'EOT'
lr 0.5 epochs 3
EOT
expect_output "the run: operation train.py, label the flags" - -- guild runs <<'EOT'
[0:<id>]  ./train.py  <time>  completed  epochs=3 lr=0.5
EOT
expect_output "--help-op lists the imported flags" - -- \
    env COLUMNS=80 "$GUILD" run train.py --help-op <<'EOT'
Usage: guild run [OPTIONS] train.py [FLAG]...

Use 'guild run --help' for a list of options.

Flags:
  epochs  (default is 3)
  lr      (default is 0.1)
EOT
expect_output "a script without argparse: its globals" - -- \
    guild run -y say.py msg=hi <<'EOT'
hi
EOT
expect_output "an unknown flag is refused" - 1 -- guild run -y say.py nope=1 <<'EOT'
guild: unsupported flag 'nope'
Try 'guild run say.py --help-op' for a list of flags or use --force-flags to skip this check.
EOT
id=$(guild select 1)
cd "$TEST_TMP" || exit 1
expect_output "--restart of a script run, from elsewhere" - -- \
    guild run -y --restart "$id" epochs=9 <<'EOT'
lr 0.5 epochs 9
EOT
cd "$TEST_TMP/plain" || exit 1

# A batch of a script is the script's project's too.
guild run -y --keep-batch train.py lr=[0.1,0.2] epochs=1 > /dev/null 2>&1
expect_output "a batch of a script: ./train.py+" - -- \
    sh -c '"$GUILD" runs | sed -n 3p' <<'EOT'
[2:<id>]  ./train.py+  <time>  completed
EOT
guild runs rm -y 0 1 2 > /dev/null

# Executables run through exec, named after the file.
printf '#!/bin/sh\necho "sh: $*"\n' > train.sh
chmod +x train.sh
echo data > data.txt
expect_output "guild run ./train.sh" - -- guild run -y ./train.sh <<'EOT'
sh: 
EOT
expect_output "listed as ./train.sh" - -- guild runs -n 1 <<'EOT'
[0:<id>]  ./train.sh  <time>  completed
EOT
expect_output "and restarted" - -- guild run -y --restart "$(guild select)" <<'EOT'
sh: 
EOT
expect_output "a file that is not executable: Guild's error" - 1 -- \
    guild run -y ./data.txt <<'EOT'
guild: cannot run './data.txt': must be an executable file
EOT

# In a project whose guild.yml does not declare it.
printf 'other:\n  exec: "true"\n' > guild.yml
expect_output "inside a project: the script still runs" - -- \
    guild run -y say.py <<'EOT'
hello
EOT
expect_output "a script that is not there is an operation that is not" - 1 -- \
    guild run -y nope.py <<'EOT'
guild: cannot find operation 'nope.py'
Operations: other
EOT

# A script as a step of a pipeline.
mkdir -p "$TEST_TMP/steps"
cp say.py "$TEST_TMP/steps/"
printf 'pipeline:\n  steps:\n    - say.py\n    - run: say.py msg=yo\n' \
    > "$TEST_TMP/steps/guild.yml"
expect_output "steps: [say.py] runs the script as a step" - -- \
    sh -c '"$GUILD" -C "$1" run -y pipeline 2>&1 | grep -v "^INFO"' sh "$TEST_TMP/steps" <<'EOT'
hello
yo
EOT

done_testing
