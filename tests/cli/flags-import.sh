#!/bin/sh
# flags-import.sh: flags imported from an operation's Python script, as
# Guild AI 0.9 imports them (argparse options, else module globals), the
# flags-import forms, and the cache that spares a second Python start.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

command -v python3 > /dev/null 2>&1 || skip_all "no python3"

proj=$(make_project imp <<'EOT'
train:
  main: train
  flags-import: all
say:
  main: say
  flags-import: [msg]
declared:
  main: train
  flags:
    lr:
      description: Rate from guild.yml
skipped:
  main: train
  flags-import: yes
  flags-import-skip: [verbose, opt]
none:
  main: train
  flags-import: no
dict:
  main: dict
  flags-dest: global:params
  flags-import: all
ns:
  main: ns
  flags-dest: namespace:params
  flags-import: all
lists:
  main: lists
  flags-import: all
EOT
)
cd "$proj" || exit 1
cat > train.py <<'EOT'
import argparse
p = argparse.ArgumentParser()
p.add_argument("--lr", type=float, default=0.1, help="Learning rate")
p.add_argument("--epochs", type=int, default=3)
p.add_argument("--opt", choices=["adam", "sgd"], default="adam")
p.add_argument("--verbose", action="store_true")
args = p.parse_args()
print("lr", args.lr, "epochs", args.epochs, "verbose", args.verbose)
EOT
cat > say.py <<'EOT'
msg = "Hello Guild!"
count = 2
_private = 1
print(msg)
EOT
# Guild's flags example: flags-dest global:NAME / namespace:NAME.
cat > dict.py <<'EOT'
params = {"s": "hello", "i": 123, "b": True, "l": [1, 2, "foo"],
          "opt": {"lr": 0.1}}
print(sorted(params.items()))
EOT
cat > ns.py <<'EOT'
from types import SimpleNamespace
params = SimpleNamespace(i=123, s="hello")
print(params)
EOT
cat > lists.py <<'EOT'
l = [1, 2.5, "foo", True]
print(l)
EOT
# The Python that runs scripts, counting its imports.
mkdir -p "$TEST_TMP/bin"
cat > "$TEST_TMP/bin/py" <<EOT
#!/bin/sh
case "\$*" in *guild.import_flags*) echo x >> "$TEST_TMP/imports" ;; esac
exec python3 "\$@"
EOT
chmod +x "$TEST_TMP/bin/py"
GUILD_PYTHON_EXE=$TEST_TMP/bin/py
export GUILD_PYTHON_EXE

expect_output "flags-import: all, from argparse" - -- \
    env COLUMNS=80 "$GUILD" run train --help-op <<'EOT'
Usage: guild run [OPTIONS] train [FLAG]...

Use 'guild run --help' for a list of options.

Flags:
  epochs   (default is 3)
  lr       Learning rate (default is 0.1)
  opt      (default is adam)

           Choices:  adam, sgd

  verbose  (default is no)

           Choices:  yes, no

EOT
expect_output "imported flags run the script" - -- \
    guild run -y train lr=0.5 epochs=4 verbose=yes <<'EOT'
lr 0.5 epochs 4 verbose True
EOT
expect_output "a store_true option is a switch" - -- \
    sh -c '"$GUILD" run train --print-cmd | sed "s/.* -- //"' <<'EOT'
--epochs 3 --lr 0.1 --opt adam
EOT
expect_output "flags-import: [msg] from globals (Guild's hello example)" - -- \
    guild run -y say msg=hi <<'EOT'
hi
EOT
expect_output "a global not listed is not a flag" - 1 -- \
    guild run -y say count=3 <<'EOT'
guild: unsupported flag 'count'
Try 'guild run say --help-op' for a list of flags or use --force-flags to skip this check.
EOT
expect_output "not set: guild.yml's flags get the script's details" - -- \
    sh -c '"$GUILD" run declared --help-op | sed -n "/^Flags:/,\$p"' <<'EOT'
Flags:
  lr  Rate from guild.yml (default is 0.1)
EOT
expect_output "flags-import-skip" - -- \
    sh -c '"$GUILD" run skipped --help-op | sed -n "/^Flags:/,\$p"' <<'EOT'
Flags:
  epochs  (default is 3)
  lr      Learning rate (default is 0.1)
EOT
expect_output "flags-import: no" - -- \
    sh -c '"$GUILD" run none --help-op | grep -c "^Flags:"; exit 0' <<'EOT'
0
EOT

# flags-dest global:NAME: Guild imports the dict's keys (nested ones
# dotted) and gives the script the dict back, with the run's values.
expect_output "global:params: the dict's keys are the flags" - -- \
    sh -c '"$GUILD" run dict --help-op | sed -n "/^Flags:/,\$p"' <<'EOT'
Flags:
  b       (default is yes)
  i       (default is 123)
  l       (default is '1 2 foo')
  opt.lr  (default is 0.1)
  s       (default is hello)
EOT
expect_output "global:params: the script gets the run's values" - -- \
    guild run -y dict i=5 opt.lr=0.2 l='3 bar' <<'EOT'
[('b', True), ('i', 5), ('l', [3, 'bar']), ('opt', {'lr': 0.2}), ('s', 'hello')]
EOT
expect_output "namespace:params: a SimpleNamespace, as Guild" - -- \
    guild run -y ns i=7 <<'EOT'
namespace(i=7, s='hello')
EOT
# A global list is a flag of its items, split when passed (arg-split).
expect_output "a global list is a flag" - -- \
    sh -c '"$GUILD" run lists --help-op | sed -n "/^Flags:/,\$p"' <<'EOT'
Flags:
  l  (default is '1 2.5 foo true')
EOT
expect_output "and the script gets a list" - -- \
    guild run -y lists l='4 x' <<'EOT'
[4, 'x']
EOT

# guild help lists the imported flags as guild run --help-op does.
expect_output "guild help: imported flags" - -- \
    sh -c '"$GUILD" help -n | sed -n "/^        say/,/^        skipped/p"' <<'EOT'
        say

          Flags:
            msg  (default is 'Hello Guild!')

        skipped
EOT

# The cache: one import per script content.
rm -f "$TEST_TMP/imports"
guild run train --help-op > /dev/null
guild run train --help-op > /dev/null
ok "a second use of the same script does not start Python" \
    test ! -e "$TEST_TMP/imports"
echo '# changed' >> train.py
guild run train --help-op > /dev/null
ok "a changed script is imported again" \
    test "$(wc -l < "$TEST_TMP/imports")" -eq 1

# A script that cannot be read: Guild's warning, the rest works.
echo 'this is not python (' > say.py
expect_output "a broken script: a warning, no imported flags" - 1 -- \
    sh -c '"$GUILD" run -y say msg=x 2>&1 | sed "s/status [0-9]*/status N/"; exit 1' <<'EOT'
guild: warning: cannot import flags from $TEST_TMP/imp/say.py: $TEST_TMP/bin/py exited with status N
guild: unsupported flag 'msg'
Try 'guild run say --help-op' for a list of flags or use --force-flags to skip this check.
EOT

done_testing
