#!/bin/sh
# compat.sh: Guild 0.9 mode (GUILD_COMPAT=0.9 or compat: "0.9" in Guild's
# user config file): runs numbered from 1, no "./" before the current
# project's operations, sources at the run's root; the default is the
# walkthrough's.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

proj=$(make_project compat <<'EOT'
train:
  exec: "true"
  flags:
    lr: 0.1
EOT
)
echo 'print("hi")' > "$proj/train.py"
cd "$proj" || exit 1
guild run -y train lr=1 > /dev/null
guild run -y train lr=2 > /dev/null

expect_output "default: from 0, with ./" - -- guild runs <<'EOT'
[0:<id>]  ./train  <time>  completed  lr=2
[1:<id>]  ./train  <time>  completed  lr=1
EOT
expect_output "GUILD_COMPAT=0.9: from 1, no ./" - -- \
    env GUILD_COMPAT=0.9 "$GUILD" runs <<'EOT'
[1:<id>]  train  <time>  completed  lr=2
[2:<id>]  train  <time>  completed  lr=1
EOT
expect_output "selections count from 1 too" - -- \
    sh -c 'GUILD_COMPAT=0.9 "$GUILD" runs info 2 | grep "^flags:" -A1' <<'EOT'
flags:
  lr: 1
EOT
expect_output "ranges too" - -- \
    sh -c 'GUILD_COMPAT=0.9 "$GUILD" select -A 1:2 | wc -l | tr -d " "' <<'EOT'
2
EOT
expect_output "the default run is still the newest" - -- \
    sh -c 'GUILD_COMPAT=0.9 "$GUILD" runs info | grep "^flags:" -A1' <<'EOT'
flags:
  lr: 2
EOT

# The setting from Guild's user config files, in Guild's order.
printf 'compat: "0.9"\n' > "$GUILD_HOME/config.yml"
expect_output "GUILD_HOME/config.yml" - -- guild runs -n 1 <<'EOT'
[1:<id>]  train  <time>  completed  lr=2
EOT
printf 'compat: default\n' > guild-config.yml
expect_output "./guild-config.yml comes first" - -- guild runs -n 1 <<'EOT'
[0:<id>]  ./train  <time>  completed  lr=2
EOT
printf 'compat: 0.9\n' > "$TEST_TMP/my-config.yml"
expect_output "GUILD_CONFIG comes before them" - -- \
    env GUILD_CONFIG="$TEST_TMP/my-config.yml" "$GUILD" runs -n 1 <<'EOT'
[1:<id>]  train  <time>  completed  lr=2
EOT
expect_output "GUILD_COMPAT overrides the file" - -- \
    env GUILD_CONFIG="$TEST_TMP/my-config.yml" GUILD_COMPAT= "$GUILD" runs -n 1 <<'EOT'
[0:<id>]  ./train  <time>  completed  lr=2
EOT
expect_output "Guild 0.9 mode: ops without ./ too" - -- \
    env GUILD_COMPAT=0.9 "$GUILD" ops <<'EOT'
train
EOT
expect_output "a GUILD_CONFIG that does not exist is no config" - -- \
    env GUILD_CONFIG="$TEST_TMP/nonexistent.yml" "$GUILD" runs -n 1 <<'EOT'
[0:<id>]  ./train  <time>  completed  lr=2
EOT
printf 'compat: [\n' > "$TEST_TMP/broken.yml"
expect_output "one that is not YAML: a warning, and the default" - -- \
    env GUILD_CONFIG="$TEST_TMP/broken.yml" "$GUILD" runs -n 1 <<'EOT'
guild: warning: $TEST_TMP/broken.yml:2:1: did not find expected node content
[0:<id>]  ./train  <time>  completed  lr=2
EOT
rm guild-config.yml "$GUILD_HOME/config.yml"
# ~/.guild/config.yml: the Guild home's own when it is the default one
# (looked at once), and still read with another home.
mkdir -p "$HOME/.guild"
printf 'compat: "0.9"\n' > "$HOME/.guild/config.yml"
expect_output "~/.guild/config.yml, the default home" - -- \
    env GUILD_HOME="$HOME/.guild" "$GUILD" ops <<'EOT'
train
EOT
expect_output "~/.guild/config.yml with another home" - -- \
    env GUILD_HOME="$TEST_TMP/other-home" "$GUILD" ops <<'EOT'
train
EOT
rm "$HOME/.guild/config.yml"
expect_output "a value that is not a mode: an error" - 1 -- \
    env GUILD_COMPAT=0.8 "$GUILD" runs <<'EOT'
guild: GUILD_COMPAT: unsupported compat '0.8' (expected "0.9")
EOT
printf 'compat: [1]\n' > "$TEST_TMP/bad.yml"
expect_output "a bad config file: file, line and column" - 1 -- \
    env GUILD_CONFIG="$TEST_TMP/bad.yml" "$GUILD" runs <<'EOT'
guild: $TEST_TMP/bad.yml:1:9: invalid value for 'compat': expected "0.9"
EOT

# Sources where Guild 0.9 puts them: the run's root.
GUILD_COMPAT=0.9 guild run -y train > /dev/null
id=$(guild select)
ok "Guild 0.9 mode: the sources at the run's root" \
    test -f "$GUILD_HOME/runs/$id/train.py"
ok "and not in .guild/sourcecode" \
    test ! -e "$GUILD_HOME/runs/$id/.guild/sourcecode"
expect_output "guild ls lists them as Guild 0.9 does" - -- \
    sh -c '"$GUILD" ls | grep -c "train.py"' <<'EOT'
1
EOT
ok "default mode: .guild/sourcecode" sh -c \
    'guild_id=$("$GUILD" select 1); test -f "$GUILD_HOME/runs/$guild_id/.guild/sourcecode/train.py"'

done_testing
