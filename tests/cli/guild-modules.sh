#!/bin/sh
# guild-modules.sh: the modules of Guild AI's guild package that projects
# name in guild.yml, run as operations' main modules.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

command -v python3 > /dev/null 2>&1 || skip_all "no python3"

proj=$(make_project modules <<'EOT'
noop:
  main: guild.pass
say:
  main: guild.pass hello "big world"
EOT
)
cd "$proj" || exit 1

expect_output "main: guild.pass does nothing and succeeds" - -- \
    guild run -y noop <<'EOT'
EOT
expect_output "the run is completed" - -- guild runs <<'EOT'
[0:<id>]  ./noop  <time>  completed
EOT
expect_output "main: guild.pass ARGS prints them, shell-quoted" - -- \
    guild run -y say <<'EOT'
hello 'big world'
EOT
expect_output "and the run's output has them" - -- guild cat --output <<'EOT'
hello 'big world'
EOT

done_testing
