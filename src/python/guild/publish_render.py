# guild.publish_render: guild publish's --template and --index-template,
# rendered with Jinja2 as Guild AI 0.9 renders them (guild/publish.py):
# the same variables and filters, files starting with "_" left out (they
# are for {% include %}), binary files copied, a newline after each
# rendered file, HTML and XML autoescaped.
#
#   python -m guild.publish_render run TEMPLATE RUN_DEST < VARS_JSON
#   python -m guild.publish_render index TEMPLATE_FILE DEST < RUNS_JSON
#
# run: every file of the directory TEMPLATE into RUN_DEST (the published
# run's directory, its files already written), with the variables run
# and flags (VARS_JSON on stdin: what run.yml and flags.yml hold), output
# (output.txt), scalars, runfiles and sourcecode (the rows of their CSV
# files). index: TEMPLATE_FILE into DEST/README.md with runs (RUNS_JSON:
# each published run's run.yml, newest first).
#
# Errors go to stderr as one message; the exit status is then 2. Without
# Jinja2 the status is 3.
import csv
import datetime
import json
import os
import shutil
import sys

try:
    import jinja2
except ImportError:
    sys.stderr.write("Jinja2 is not installed for %s\n" % sys.executable)
    sys.exit(3)

_TEXT_EXT = {".md", ".txt", ".html", ".htm", ".xml", ".csv", ".yml",
             ".yaml", ".json", ".css", ".js", ".svg", ".tex", ".rst"}
_BINARY_EXT = {".png", ".gif", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp",
               ".webp", ".ico", ".pdf", ".zip", ".gz", ".tgz", ".bz2",
               ".xz", ".woff", ".woff2", ".ttf", ".otf", ".pyc"}


class TemplateError(Exception):
    pass


def _is_text_file(path):
    ext = os.path.splitext(path)[1].lower()
    if ext in _TEXT_EXT:
        return True
    if ext in _BINARY_EXT:
        return False
    with open(path, "rb") as f:
        sample = f.read(1024)
    if b"\0" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as e:
        # A sample may end inside a character.
        return e.start >= len(sample) - 3
    return True


def _encode_flag_val(val):
    if val is True:
        return "yes"
    if val is False:
        return "no"
    return repr(val) if isinstance(val, float) else str(val)


def _format_attr(val):
    if val is None:
        return ""
    if isinstance(val, str):
        return val
    if isinstance(val, (bool, int, float)):
        return _encode_flag_val(val)
    if isinstance(val, list):
        return "\n" + "\n".join("  %s" % _format_attr(x) for x in val)
    if isinstance(val, dict):
        return "\n" + "\n".join(
            "  %s: %s" % (k, _format_attr(val[k])) for k in sorted(val))
    return str(val)


def _format_bytes(n):
    units = [None, "K", "M", "G", "T", "P", "E", "Z"]
    for unit in units[:-1]:
        if abs(n) < 1024:
            if not unit:
                return str(n)
            return "%.1f%s" % (n, unit)
        n /= 1024.0
    return "%.1f%s" % (n, units[-1])


class Filters:
    def __init__(self, run_dest):
        self.run_dest = run_dest

    def install(self, env):
        env.filters.update({
            "csv_dict_rows": self.csv_dict_rows,
            "empty": self.empty,
            "file_size": self.file_size,
            "flag_val": self.flag_val,
            "nbhyph": self.nbhyph,
            "nbsp": self.nbsp,
            "runfile_link": self.runfile_link,
            "scalar_key": self.scalar_key,
            "short_id": self.short_id,
            "utc_date": self.utc_date,
        })

    @staticmethod
    def empty(val):
        if val in (None, "") or isinstance(val, jinja2.Undefined):
            return ""
        return val

    @staticmethod
    def flag_val(val):
        if isinstance(val, jinja2.Undefined):
            return ""
        return _format_attr(val)

    def runfile_link(self, path):
        if self.run_dest is None:
            raise TemplateError("runfile_link cannot be used in this "
                                "context (not publishing a run")
        if not isinstance(path, str):
            return ""
        if os.path.isfile(os.path.join(self.run_dest, "runfiles", path)):
            return "runfiles/" + path
        return None

    @staticmethod
    def utc_date(val, unit="s"):
        if not isinstance(val, (int, float, str)):
            return ""
        try:
            val = int(val)
        except (ValueError, TypeError):
            return ""
        scale = {"s": 1000000, "ms": 1000, "us": 1}.get(unit)
        if scale is None:
            raise ValueError("unsupported unit %r (expected s, ms, or us)"
                             % unit)
        ts = val * scale
        if not ts:
            return None
        dt = datetime.datetime.fromtimestamp(ts / 1000000,
                                             datetime.timezone.utc)
        return dt.strftime("%Y-%m-%d %H:%M:%S UTC")

    @staticmethod
    def file_size(val):
        if not isinstance(val, (int, float, str)):
            return ""
        try:
            return _format_bytes(int(val))
        except (ValueError, TypeError):
            return ""

    @staticmethod
    def scalar_key(s):
        if not isinstance(s, dict):
            return ""
        prefix, tag = s.get("prefix"), s.get("tag")
        if not prefix or prefix == ".guild":
            return tag
        return "%s#%s" % (prefix, tag)

    @staticmethod
    def csv_dict_rows(rows):
        keys = rows[0]
        return [dict(zip(keys, row)) for row in rows[1:]]

    @staticmethod
    def nbsp(x):
        return x if x else "&nbsp;"

    @staticmethod
    def short_id(id):
        return id[:8] if isinstance(id, str) else ""

    @staticmethod
    def nbhyph(s):
        return s.replace("-", "&#8209;") if s else s


def _file_template(path, run_dest=None):
    if not _is_text_file(path):
        return None
    dirname, basename = os.path.split(path)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([dirname]),
        autoescape=jinja2.select_autoescape(["html", "xml"]))
    Filters(run_dest).install(env)
    try:
        return env.get_template(basename)
    except jinja2.TemplateError as e:
        raise TemplateError(_error_text(e, path)) from e


def _error_text(e, path):
    msg = getattr(e, "message", None) or str(e)
    lineno = getattr(e, "lineno", None)
    if lineno:
        return "%s:%s: %s" % (path, lineno, msg)
    return "%s: %s" % (path, msg)


def _render(template, variables, dest, src):
    try:
        text = "".join(template.generate(variables))
    except jinja2.exceptions.TemplateNotFound as e:
        raise TemplateError("%s: template not found: %s" % (src, e)) from e
    except (jinja2.TemplateError, TemplateError) as e:
        raise TemplateError(_error_text(e, src)) from e
    except Exception as e:
        # What a template's code raises: one line, no traceback.
        raise TemplateError("%s: %s: %s" % (src, type(e).__name__, e)) from e
    with open(dest, "w") as f:
        f.write(text)
        f.write(os.linesep)


class RunVars:
    """The variables of Guild's PublishRunVars, loaded when used."""

    _KEYS = ["flags", "output", "run", "runfiles", "scalars", "sourcecode"]

    def __init__(self, run_dest, data):
        self._dest = run_dest
        self._data = data
        self._cache = {}

    def keys(self):
        return self._KEYS

    def __contains__(self, name):
        return name in self._KEYS

    def __getitem__(self, name):
        if name not in self._cache:
            self._cache[name] = self._load(name)
        return self._cache[name]

    def _load(self, name):
        if name in self._data:
            return self._data[name]
        path = os.path.join(self._dest, name + ".csv")
        if os.path.exists(path):
            with open(path, "r", newline="") as f:
                return list(csv.reader(f))
        path = os.path.join(self._dest, name + ".txt")
        if os.path.exists(path):
            with open(path, "r", errors="replace") as f:
                return f.read()
        return None


def render_run(template_dir, run_dest):
    data = json.load(sys.stdin)
    files = []
    for root, _dirs, names in os.walk(template_dir):
        for name in names:
            if name[:1] == "_":
                continue
            src = os.path.join(root, name)
            rel = os.path.relpath(src, template_dir)
            files.append((rel, src, _file_template(src, run_dest)))
    variables = RunVars(run_dest, data)
    for rel, src, template in sorted(files, key=lambda f: f[0]):
        dest = os.path.join(run_dest, rel)
        os.makedirs(os.path.dirname(dest) or ".", exist_ok=True)
        if template is None:
            shutil.copyfile(src, dest)
        else:
            _render(template, variables, dest, src)


def render_index(template_path, dest):
    runs = json.load(sys.stdin)
    template = _file_template(template_path)
    if template is None:
        raise TemplateError("%s: not a text file" % template_path)
    _render(template, {"runs": runs}, os.path.join(dest, "README.md"),
            template_path)


def main(argv):
    if len(argv) != 3 or argv[0] not in ("run", "index"):
        sys.stderr.write("usage: python -m guild.publish_render run|index "
                         "TEMPLATE DEST < JSON\n")
        return 2
    try:
        if argv[0] == "run":
            render_run(argv[1], argv[2])
        else:
            render_index(argv[1], argv[2])
    except (TemplateError, OSError) as e:
        sys.stderr.write("%s\n" % e)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
