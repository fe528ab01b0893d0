"""An operation that does nothing: main: guild.pass, as in Guild AI.

Arguments after the module (main: guild.pass hello world) are printed,
shell-quoted, on one line, so it can also just say something.
"""

import shlex
import sys

if __name__ == "__main__":
    if sys.argv[1:]:
        print(" ".join(shlex.quote(a) for a in sys.argv[1:]))
