#!/bin/sh
# view-images.sh: a run's pictures in the view. The run details list
# them with thumbnails where there is room; v steps through them, errors
# first (predict's NNNNN-error.png); Enter on a picture in the files opens
# it. tmux passes no sixel or kitty graphics, so what shows are block
# symbols in 256 colours, with the size in pixels and bytes.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/tui/lib-tui.sh"

command -v python3 > /dev/null 2>&1 || skip_all "python3 is not installed"

proj=$(tui_project)
cd "$proj" || exit 1
guild run -y train epochs=1 > /dev/null 2>&1
guild run -y train > /dev/null 2>&1
run=$GUILD_HOME/runs/$(guild select)

# A checkerboard whose squares do not fall on cell edges: block symbols.
python3 - "$run" <<'PY'
import struct, sys, zlib
def png(path, w, h, f):
    raw = b"".join(b"\0" + bytes(c for x in range(w) for c in f(x, y))
                   for y in range(h))
    def chunk(t, d):
        return (struct.pack(">I", len(d)) + t + d +
                struct.pack(">I", zlib.crc32(t + d) & 0xffffffff))
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" +
                  chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
                  chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
def board(x, y):
    return (250, 250, 0) if (x // 5 + y // 5) % 2 else (0, 0, 160)
png(sys.argv[1] + "/00002-error.png", 64, 64, board)
png(sys.argv[1] + "/00001-error.png", 48, 64, board)
png(sys.argv[1] + "/sample.png", 64, 32, board)
PY
cp "$top_srcdir/tests/unit/images/red-blue.jpg" "$run/b-digits.jpg"
echo "not a picture" > "$run/notes.png"

# Block elements (U+2580..U+259F) on the screen.
has_blocks()
{
	tui_screen | grep -q '[▀▁▂▃▄▅▆▇█▉▊▋▌▍▎▏▐░▒▓▔▕▖▗▘▙▚▛▜▝▞▟]'
}
wait_blocks()
{
	wait_for "$TUI_TIMEOUT" has_blocks
}

tui_start 120 40
tui_expect "the runs" "completed"
tui_keys i
tui_expect "the details count the pictures" "images: 5 (v steps through them)"
tui_expect "a thumbnail under its name, errors first" "│ 00001-error.png"
if wait_blocks; then
	pass "thumbnails in block symbols"
else
	_tui_fail_screen "thumbnails in block symbols" "no block symbols"
fi
tui_keys v
tui_expect "v: the first error image" "Image 1/5  <id>  00001-error.png"
tui_expect "its size in pixels and bytes, how it is drawn" \
    "48x64 px  $(wc -c < "$run/00001-error.png" | tr -d ' ') B  PNG  symbols, 256 colours"
if wait_blocks; then
	pass "drawn in block symbols"
else
	_tui_fail_screen "drawn in block symbols" "no block symbols"
fi
tui_keys n
tui_expect "n: the next error image" "Image 2/5  <id>  00002-error.png"
tui_keys n
tui_expect "then the others, by name: a JPEG" "b-digits.jpg"
tui_expect "its size" "16x8 px"
tui_keys n
tui_expect "a file named .png that is not one says so" \
    "notes.png: not an image"
tui_keys n
tui_expect "the last" "Image 5/5  <id>  sample.png"
tui_keys n
tui_expect "says it is the last" "The last image"
tui_keys N
tui_expect "N goes back" "Image 4/5"
tui_keys q q f
tui_expect "the files" "Files"
tui_keys g Enter
tui_expect "Enter on a picture in the files opens it" \
    "Image 1/5  <id>  00001-error.png"
tui_keys q G k Enter
tui_expect "a .png that is text opens as text" "not a picture"
tui_keys q q j v
tui_expect "a run without pictures says so" "Run <id> has no images"
tui_keys q
tui_expect_exit "q quits" 0

done_testing
