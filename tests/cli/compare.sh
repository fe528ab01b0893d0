#!/bin/sh
# compare.sh: guild compare --table and --csv: core, flag and scalar
# columns, column specs, sorting, limits, -u, cell formats and errors.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/cli/runs-lib.sh"

proj=$(make_project sample-project <<'EOF'
model: fashion
operations:
  train:
    main: train
  fit:
    exec: sh .guild/sourcecode/fit.sh ${a} ${b} ${c}
    flags:
      a: 0.5
      b: 0.1
      c: 0.25
      big: no
EOF
)
# loss: a (step 0), acc: b, loss: c (step 1, the key came again).
cat > "$proj/fit.sh" <<'EOF'
printf 'loss: %s\nacc: %s\nloss: %s\nsys/gpu: 7\n' "$1" "$2" "$3"
EOF
RUNS_PROJECT=$proj
cd "$proj" || exit 1
runs=$GUILD_HOME/runs

expect_exact "no runs: an empty table" - -- guild compare -t <<'EOF'
EOF
expect_exact "no runs: an empty CSV" - -- guild compare --csv "$TEST_TMP/none.csv" <<'EOF'
Wrote 0 row(s) to $TEST_TMP/none.csv
EOF
ok "no runs: the CSV file is empty" test -f "$TEST_TMP/none.csv" -a ! -s "$TEST_TMP/none.csv"
# A column to sort by that no heading has: with no run, nothing to sort.
for sortopt in --min --max; do
	for col in x 'min loss' =lr .exit_status; do
		expect_exact "no runs: $sortopt '$col'" - -- guild compare -t $sortopt "$col" <<'EOF'
EOF
	done
	expect_exact "no runs: $sortopt to CSV" - -- guild compare --csv - $sortopt x <<'EOF'
EOF
	expect_exact "no runs: $sortopt with -u and -n" - -- guild compare -t -u -n 1 $sortopt x <<'EOF'
EOF
	expect_exact "no runs: $sortopt of a bad column is still an error" - 1 -- guild compare -t $sortopt 'x y' <<'EOF'
guild: invalid sort column 'x y': unexpected 'y'
EOF
done

# Hand-written runs in Guild's format: core columns and flags.
mkwalkthrough
setattr $WT_OK flags '{epochs: 5, lr: 0.1}'
setattr $WT_ERR flags '{epochs: 2, lr: 0.1}'
setattr $WT_OK label 'epochs=5'
expect_exact "core and flag columns, newest first" - -- guild compare -t <<'EOF'
run       operation        started              time     status     label     epochs  lr
19c67a72  ./fashion:train  2018-10-16 15:57:32  0:00:00  completed  epochs=5  5       0.1
1451e20c  ./fashion:train  2018-10-16 15:57:23  0:00:00  error                2       0.1
EOF
expect_exact "without --table or --csv: the table" - -- guild compare <<'EOF'
run       operation        started              time     status     label     epochs  lr
19c67a72  ./fashion:train  2018-10-16 15:57:32  0:00:00  completed  epochs=5  5       0.1
1451e20c  ./fashion:train  2018-10-16 15:57:23  0:00:00  error                2       0.1
EOF
expect_exact "-u leaves out unchanged columns" - -- guild compare -t -u <<'EOF'
run       started              status     label     epochs
19c67a72  2018-10-16 15:57:32  completed  epochs=5  5
1451e20c  2018-10-16 15:57:23  error                2
EOF
expect_exact "run specs select rows" - -- guild compare -t 1 <<'EOF'
run       operation        started              time     status  label  epochs  lr
1451e20c  ./fashion:train  2018-10-16 15:57:23  0:00:00  error          2       0.1
EOF
expect_exact "-u with one run changes nothing" - -- guild compare -t -u 0 <<'EOF'
run       operation        started              time     status     label     epochs  lr
19c67a72  ./fashion:train  2018-10-16 15:57:32  0:00:00  completed  epochs=5  5       0.1
EOF
expect_exact "filters select rows" - -- guild compare -t -E <<'EOF'
run       operation        started              time     status  label  epochs  lr
1451e20c  ./fashion:train  2018-10-16 15:57:23  0:00:00  error          2       0.1
EOF
expect_exact "-r: only the run column of the core" - -- guild compare -t -r <<'EOF'
run       epochs  lr
19c67a72  5       0.1
1451e20c  2       0.1
EOF
expect_exact "-p: no flag or scalar columns" - -- guild compare -t -p -r <<'EOF'
run
19c67a72
1451e20c
EOF
expect_exact "--min sorts ascending" - -- guild compare -t -r --min epochs <<'EOF'
run       epochs  lr
1451e20c  2       0.1
19c67a72  5       0.1
EOF
expect_exact "--max sorts descending" - -- guild compare -t -r --max epochs <<'EOF'
run       epochs  lr
19c67a72  5       0.1
1451e20c  2       0.1
EOF
expect_exact "--min on a heading made with 'as'" - -- guild compare -t -r -p -cc '=epochs as "n e"' --min 'n e' <<'EOF'
run       n e
1451e20c  2
19c67a72  5
EOF
expect_exact "an invalid sort column" - 1 -- guild compare -t --min 'x y z' <<'EOF'
guild: invalid sort column 'x y z': unexpected 'y'
EOF
expect_exact "-n: the top runs after sorting" - -- guild compare -t -r --min epochs -n 1 <<'EOF'
run       epochs  lr
1451e20c  2       0.1
EOF
expect_exact "--top is -n" - -- guild compare -t -r --top 1 <<'EOF'
run       epochs  lr
19c67a72  5       0.1
EOF
expect_exact "attribute columns and headings" - -- guild compare -t -cc '.exit_status as rc,.stopped,attr:id,=lr as "learning rate",flag:epochs' <<'EOF'
run       rc  stopped              id                                learning rate  epochs
19c67a72  0   2018-10-16 15:57:32  19c67a72d18611e88f52d017c2ab916f  0.1            5
1451e20c  1   2018-10-16 15:57:23  1451e20cd18611e88f52d017c2ab916f  0.1            2
EOF
setattr $WT_OK cmd '[python, train.py]'
expect_exact "any stored attribute" - -- guild compare -t -cc .cmd <<'EOF'
run       cmd
19c67a72  [python, train.py]
1451e20c  [/usr/bin/python, -um, guild.op_main, train]
EOF
setattr $WT_OK marked 'true'
expect_exact "a marked run's operation" - -- guild compare -t -cc .operation,.marked <<'EOF'
run       operation                 marked
19c67a72  ./fashion:train [marked]  yes
1451e20c  ./fashion:train           no
EOF
rm "$runs/$WT_OK/.guild/attrs/marked"

# Cell formats: floats cut to 6 decimals in tables, full in CSV.
setattr $WT_OK flags "{epochs: 5, lr: 0.9999999999, name: 'a, \"b\"', big: 1.0e-07, on: yes, none: null, l: [1, 2]}"
expect_exact "table cells" - -- guild compare -t -cc =lr,=name,=big,=on,=none,=l 0 <<'EOF'
run       lr        name    big      on   none  l
19c67a72  0.999999  a, "b"  1.0e-07  yes        [1, 2]
EOF
expect_exact "CSV cells, RFC 4180 quoting" - -- guild compare -cc =lr,=name,=big,=on,=none,=l --csv - 0 <<'EOF'
run,lr,name,big,on,none,l
19c67a72,0.9999999999,"a, ""b""",1e-07,True,,"[1, 2]"
EOF
expect_exact "CSV to a file, directories created" - -- guild compare -r --csv "$TEST_TMP/out/sub/runs.csv" <<'EOF'
Wrote 2 row(s) to $TEST_TMP/out/sub/runs.csv
EOF
expect_exact "the CSV file" - -- cat "$TEST_TMP/out/sub/runs.csv" <<'EOF'
run,big,epochs,l,lr,name,none,on
19c67a72,1e-07,5,"[1, 2]",0.9999999999,"a, ""b""",,True
1451e20c,,2,,0.1,,,
EOF

# Errors.
expect_exact "--table and --csv" - 1 -- guild compare -t --csv - <<'EOF'
guild: --table and --csv cannot be used together
EOF
expect_exact "--min and --max" - 1 -- guild compare --min a --max b <<'EOF'
guild: --min and --max cannot be used together
EOF
expect_exact "a bad --top" - 1 -- guild compare -n x <<'EOF'
guild: invalid value for --top: 'x' is not a valid integer
EOF
expect_exact "a bad column" - 1 -- guild compare -t -c '=lr,min' <<'EOF'
guild: invalid column 'min' in '=lr,min': expected a scalar name
EOF
expect_exact "an unclosed quote" - 1 -- guild compare -t -c "=lr as 'x" <<'EOF'
guild: invalid column '=lr as 'x' in '=lr as 'x': unclosed quote
EOF
expect_exact "--cols with --strict-cols" - 1 -- guild compare -c =a -cc =b <<'EOF'
guild: --cols cannot be used with --strict-cols
EOF
expect_exact "an unknown run" - 1 -- guild compare -t ffff <<'EOF'
guild: could not find a run matching 'ffff'
Try 'guild runs list' for a list.
EOF

# Real runs, with scalars logged from their output.
rm -rf "$runs"/*
# One after the other: guild orders them by their start times (in µs).
guild run -y fit a=0.5 b=0.1 c=0.25 > /dev/null 2>&1
guild run -y fit a=0.75 b=0.2 c=0.125456789 > /dev/null 2>&1
n=$(ls "$runs" | wc -l)
ok "two fit runs" test "$n" -eq 2
# Short ids, newest first, to name the rows.
ids=$(guild compare -cc .id --csv - | sed 1d)
new=$(printf '%s\n' "$ids" | sed -n 1p | cut -c1-8)
old=$(printf '%s\n' "$ids" | sed -n 2p | cut -c1-8)
names()
{
	"$@" | sed -e "s/$new/NEW     /" -e "s/$old/OLD     /" -e 's/ *$//'
}
expect_output "flag, step and last-scalar columns" - -- names guild compare -t -r <<'EOF'
run       a     b    big  c         step  acc  loss
NEW       0.75  0.2  no   0.125456  1     0.2  0.125456
OLD       0.5   0.1  no   0.25      1     0.1  0.25
EOF
expect_output "-s adds system scalars" - -- names guild compare -t -r -s -cc 'sys/gpu' <<'EOF'
run       sys/gpu
NEW       7.0
OLD       7.0
EOF
expect_output "scalar qualifiers" - -- names guild compare -t -cc 'first loss,min loss,max loss,loss,avg loss as mean,total loss,count loss,min loss step,scalar:acc' <<'EOF'
run       first loss  min loss  max loss  loss      mean      total loss  count loss  min loss step  acc
NEW       0.75        0.125456  0.75      0.125456  0.437728  0.875456    2           1              0.2
OLD       0.5         0.25      0.5       0.25      0.375     0.75        2           1              0.1
EOF
expect_output "--min on a column not shown" - -- names guild compare -t -r -p --min 'min loss' <<'EOF'
run
NEW
OLD
EOF
expect_output "--max on a scalar column" - -- names guild compare -cc loss --max loss -t <<'EOF'
run       loss
OLD       0.25
NEW       0.125456
EOF
expect_output "-u on real runs" - -- names guild compare -t -r -u <<'EOF'
run       a     b    c         acc  loss
NEW       0.75  0.2  0.125456  0.2  0.125456
OLD       0.5   0.1  0.25      0.1  0.25
EOF
expect_output "--print-scalars" - -- names guild compare --print-scalars <<'EOF'
[NEW     ] ./fashion:fit
  acc: 0.200000 (step 0)
  loss: 0.125457 (step 1)
  sys/gpu: 7.000000 (step 1)
[OLD     ] ./fashion:fit
  acc: 0.100000 (step 0)
  loss: 0.250000 (step 1)
  sys/gpu: 7.000000 (step 1)
EOF
expect_output "CSV keeps full scalar values" - -- names guild compare -cc loss --csv - <<'EOF'
run,loss
NEW     ,0.125456789
OLD     ,0.25
EOF

# A wide label keeps the columns after it aligned: its width comes from
# the environment's character set, which guild reads only when a string
# is not ASCII (util.c locale_ctype). In the C locale a byte is a column.
guild label -y --set '日本語' "$old" > /dev/null
guild label -y --set ab "$new" > /dev/null
expect_output "a wide label in a UTF-8 locale" - -- names \
    env LC_ALL= LC_CTYPE= LANG=C.UTF-8 "$GUILD" compare -t -cc .label,=a <<'EOF'
run       label   a
NEW       ab      0.75
OLD       日本語  0.5
EOF
expect_output "a wide label in the C locale: a byte a column" - -- names \
    env LC_ALL=C "$GUILD" compare -t -cc .label,=a <<'EOF'
run       label      a
NEW       ab         0.75
OLD       日本語  0.5
EOF

done_testing
