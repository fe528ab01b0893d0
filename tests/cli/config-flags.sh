#!/bin/sh
# config-flags.sh: flags-dest: config:FILE (YAML, JSON, INI) as Guild AI
# 0.9 does it: the run's copy of FILE has the flag values, nested keys by
# dots, and flags are imported from the project's FILE.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

proj=$(make_project cfg <<'EOT'
yml:
  exec: cat flags.yml
  flags-dest: config:flags.yml
  flags-import: all
json:
  exec: cat conf/flags.json
  flags-dest: config:conf/flags.json
  flags-import: all
ini:
  exec: cat flags.ini
  flags-dest: config:flags.ini
  flags-import: all
fresh:
  exec: cat new.yml
  flags-dest: config:new.yml
  flags:
    a.b: 1
res:
  exec: cat settings.yml
  flags:
    lr: 0.2
    model.layers: 8
  requires:
    - config: settings.yml
EOT
)
cd "$proj" || exit 1
printf 'lr: 0.1\nmodel:\n  layers: 2\n  act: relu\n' > flags.yml
mkdir -p conf
printf '{"lr": 0.1, "epochs": 3}\n' > conf/flags.json
printf '[train]\nlr = 0.1\nepochs = 3\n' > flags.ini

expect_output "flags imported from the config file, nested keys dotted" - -- \
    sh -c '"$GUILD" run yml --help-op | sed -n "/^Flags:/,\$p"' <<'EOT'
Flags:
  lr            (default is 0.1)
  model.act     (default is relu)
  model.layers  (default is 2)
EOT
expect_output "YAML: the run's copy has the values" - -- \
    guild run -y yml lr=0.5 model.layers=4 <<'EOT'
lr: 0.5
model:
  act: relu
  layers: 4
EOT
ok "the project's file is unchanged" grep -q "^lr: 0.1$" flags.yml
expect_output "JSON, in a subdirectory" - -- guild run -y json epochs=7 <<'EOT'
{"lr": 0.1, "epochs": 7}
EOT
expect_output "INI: section.key" - -- guild run -y ini train.lr=0.3 <<'EOT'
[train]
lr = 0.3
epochs = 3
EOT
# Guild's config-flags doctest: a list is a flag of its items, split
# into a list again in the run's file; INI values as Python's str().
printf 'b: no\nl:\n  - 1\n  - 1.2\n  - blue\n  - yes\n' > list.yml
printf '[s]\nb = yes\n' > flags2.ini
cat >> guild.yml <<'EOT'
lst:
  exec: cat list.yml
  flags-dest: config:list.yml
  flags-import: all
ini2:
  exec: cat flags2.ini
  flags-dest: config:flags2.ini
  flags-import: all
  flags:
    s.l:
      default: 1 a
      arg-split: yes
lres:
  exec: cat list.yml
  flags:
    l:
      default: x 1
      arg-split: yes
  requires:
    - config: list.yml
EOT
expect_output "a list in the config file: a flag of its items" - -- \
    sh -c '"$GUILD" run lst --help-op | sed -n "/^Flags:/,\$p"' <<'EOT'
Flags:
  b  (default is no)
  l  (default is '1 1.2 blue true')
EOT
expect_output "split into a list in the run's copy" - -- \
    guild run -y lst b=yes l='a b 123' <<'EOT'
b: true
l:
- a
- b
- 123
EOT
expect_output "INI: values as Python's str()" - -- guild run -y ini2 <<'EOT'
[s]
b = True
l = [1, 'a']
EOT
expect_output "a config resource: arg-split flags as lists too" - -- \
    sh -c '"$GUILD" run -y lres 2>&1 | grep -v "^Resolving"' <<'EOT'
b: false
l:
- x
- 1
EOT
expect_output "a config file the project does not have: made from the flags" - -- \
    guild run -y fresh <<'EOT'
a:
  b: 1
EOT

# requires: - config: FILE, Guild's config resource: generated with the
# run's flags in .guild/generated/, linked into the run.
printf 'lr: 0.1\nmodel:\n  layers: 2\n' > settings.yml
expect_output "a config resource gets the run's flags" - -- \
    sh -c '"$GUILD" run -y res lr=0.3 2>&1 | grep -v "^Resolving"' <<'EOT'
lr: 0.3
model:
  layers: 8
EOT
ok "generated under .guild/generated, linked into the run" sh -c \
    'd=$("$GUILD" select -p); [ -L "$d/settings.yml" ] &&
     ls "$d"/.guild/generated/*/settings.yml > /dev/null'

done_testing
