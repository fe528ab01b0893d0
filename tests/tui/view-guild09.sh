#!/bin/sh
# view-guild09.sh: guild view with Guild AI 0.9 projects and habits: the
# run form has the flags imported from the operation's script, and in
# Guild 0.9 mode (GUILD_COMPAT=0.9) runs are numbered from 1 and the
# project's operations have no ./, as in the command line.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"

command -v python3 > /dev/null 2>&1 || skip_all "no python3"

proj=$(make_project g09 <<'EOT'
train:
  description: Train from a script.
  main: train
  flags-import: all
EOT
)
cd "$proj" || exit 1
cat > train.py <<'EOT'
import argparse
p = argparse.ArgumentParser()
p.add_argument("--lr", type=float, default=0.1, help="Learning rate")
p.add_argument("--epochs", type=int, default=3, help="Epochs")
a = p.parse_args()
print("lr=%s epochs=%s" % (a.lr, a.epochs))
EOT

# The form: the script's flags, with their types and help.
tui_start 80 24
tui_keys Tab Tab Tab
tui_expect "the operations pane" "Enter run"
tui_keys Enter
tui_expect "the form of a script operation" "Run train"
tui_expect "an imported flag with its default" "epochs 3"
tui_expect "its type and help" "int Epochs"
tui_expect "the other imported flag" "lr     0.1"
tui_keys Enter Enter
tui_expect "the run starts with them" "lr=0.1 epochs=3"
tui_keys q
tui_expect_exit "q quits" 0

# Guild 0.9 mode: numbered from 1, no ./, as guild runs shows them.
guild run -y train lr=0.2 > /dev/null 2>&1
expect_output "guild runs in Guild 0.9 mode" - -- \
    sh -c 'GUILD_COMPAT=0.9 "$GUILD" runs | cut -c1-19' <<'EOT'
[1:<id>]  train
[2:<id>]  train
EOT
tui_start 100 24 GUILD_COMPAT=0.9
tui_expect "the newest run is 1 in the view too" "[1:<id>]  train"
tui_expect "the older one 2" "[2:<id>]  train"
tui_expect_not "no run 0" "[0:<id>]"
tui_keys q
tui_expect_exit "q quits" 0

# The walkthrough's default: from 0, with ./.
tui_start 100 24
tui_expect "by default the newest run is 0" "[0:<id>]  ./train"
tui_keys q
tui_expect_exit "q quits" 0

done_testing
