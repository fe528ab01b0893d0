#!/bin/sh
# flags-click.sh: flags imported from scripts that use click, as Guild AI
# 0.9's click_flags plugin imports them (flags-dest args:click).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

python3 -c 'import click' 2>/dev/null ||
	skip_all "python3 has no click (Debian: python3-click)"

proj=$(make_project clickp <<'EOT'
train:
  main: cgroup train
  flags-import: all
evaluate:
  main: cgroup evaluate
  flags-import: all
EOT
)
cd "$proj" || exit 1
cat > ctrain.py <<'EOT'
import click

@click.command()
@click.option("--lr", default=0.1, help="Learning rate.")
@click.option("--epochs", type=int, default=3)
@click.option("--opt", type=click.Choice(["sgd", "adam"]), default="sgd")
@click.option("--verbose", is_flag=True)
@click.option("-x", default=1)
def main(lr, epochs, opt, verbose, x):
    print("lr=%s epochs=%s opt=%s verbose=%s" % (lr, epochs, opt, verbose))

if __name__ == "__main__":
    main()
EOT
cat > cgroup.py <<'EOT'
import click

@click.group()
def cli():
    pass

@cli.command()
@click.option("--steps", default=10, help="Steps to take.")
def train(steps):
    print("train steps=%s" % steps)

@cli.command()
@click.option("--model", default="m.bin")
def evaluate(model):
    print("evaluate model=%s" % model)

if __name__ == "__main__":
    cli()
EOT

expect_output "a click script's options are its flags" - -- \
    guild run ctrain.py --help-op <<'EOT'
Usage: guild run [OPTIONS] ctrain.py [FLAG]...

Use 'guild run --help' for a list of options.

Flags:
  epochs   (default is 3)
  lr       Learning rate. (default is 0.1)
  opt      (default is sgd)

           Choices:  sgd, adam

  verbose  (default is no)
EOT
expect_output "the flags reach the command as options" - -- \
    guild run -y ctrain.py lr=0.5 verbose=yes opt=adam <<'EOT'
lr=0.5 epochs=3 opt=adam verbose=True
EOT
expect_output "a switch left off is not passed" - -- \
    guild run -y ctrain.py <<'EOT'
lr=0.1 epochs=3 opt=sgd verbose=False
EOT
expect_output "choices are checked" - 1 -- \
    guild run -y ctrain.py opt=rmsprop <<'EOT'
guild: invalid value rmsprop for opt: expected one of sgd, adam
Try 'guild run ctrain.py --help-op' for a list of flags or use --force-flags to skip this check.
EOT
expect_output "--test-flags: dest args:click, the types" - -- \
    sh -c '"$GUILD" run ctrain.py --test-flags | grep -E "^(flags-dest|  [a-z]+:|    (type|arg-switch):)"' <<'EOT'
flags-dest: args:click
  epochs:
    type: int
    arg-switch:
  lr:
    type: float
    arg-switch:
  opt:
    type:
    arg-switch:
  verbose:
    type: boolean
    arg-switch: yes
EOT
expect_output "the run's FLAGS_DEST is args:click" - -- \
    sh -c '"$GUILD" run ctrain.py --print-env | grep ^FLAGS_DEST=' <<'EOT'
FLAGS_DEST=args:click
EOT
expect_output "a group: the subcommand main names" - -- \
    guild run train --help-op <<'EOT'
Usage: guild run [OPTIONS] train [FLAG]...

Use 'guild run --help' for a list of options.

Flags:
  steps  Steps to take. (default is 10)
EOT
expect_output "a group's other subcommand" - -- \
    sh -c '"$GUILD" run -y evaluate model=x.bin && "$GUILD" run -y train steps=2' <<'EOT'
evaluate model=x.bin
train steps=2
EOT

done_testing
