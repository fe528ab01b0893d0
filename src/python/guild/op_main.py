"""Run a Python main module for guild.

Usage: python -um guild.op_main MODULE [ARG...] [-- FLAG_ARG...]

MODULE may be a dotted module or a path-like spec (pkg/sub/mod). Flag
arguments come after the last "--" as "--name value" pairs. FLAGS_DEST in
the environment says how they reach the module:

  args (default when the module uses argparse): appended to sys.argv
  globals: set as module globals, replacing the module's first top-level
           assignment of each name (so the script's literal is the default)
  global:NAME / dict:NAME: a dict assigned to the global NAME (a.b nested)
  namespace:NAME: the same as a types.SimpleNamespace
  none: not passed at all
"""

import ast
import importlib.util
import os
import sys


def _error(msg):
    sys.stderr.write("guild: %s\n" % msg)
    sys.stderr.flush()
    sys.exit(1)


def _split_args(argv):
    if "--" in argv:
        i = len(argv) - 1 - argv[::-1].index("--")
        return argv[:i], argv[i + 1:]
    return argv, []


_BOOLS = {
    "yes": True, "Yes": True, "YES": True, "true": True, "True": True,
    "TRUE": True, "on": True, "On": True, "ON": True,
    "no": False, "No": False, "NO": False, "false": False, "False": False,
    "FALSE": False, "off": False, "Off": False, "OFF": False,
}


def _split_flow(s):
    items, depth, cur, quote = [], 0, "", None
    for c in s:
        if quote:
            cur += c
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
            cur += c
        elif c in "[{":
            depth += 1
            cur += c
        elif c in "]}":
            depth -= 1
            cur += c
        elif c == "," and depth == 0:
            items.append(cur)
            cur = ""
        else:
            cur += c
    if cur.strip():
        items.append(cur)
    return items


def _decode(s):
    """Decode a flow-style YAML scalar or list as guild encodes flags."""
    try:
        import yaml  # pylint: disable=import-outside-toplevel
        return yaml.safe_load(s)
    except ImportError:
        pass
    except Exception:  # pylint: disable=broad-except
        return s
    t = s.strip()
    if t in ("", "~", "null", "Null", "NULL"):
        return None if t else ""
    if t in _BOOLS:
        return _BOOLS[t]
    if len(t) >= 2 and t[0] == t[-1] and t[0] in "'\"":
        body = t[1:-1]
        return body.replace("''", "'") if t[0] == "'" else body
    if t.startswith("[") and t.endswith("]"):
        return [_decode(x) for x in _split_flow(t[1:-1])]
    for conv in (int, float):
        try:
            return conv(t)
        except ValueError:
            pass
    return s


def _flags_from_args(args):
    flags, i = {}, 0
    while i < len(args):
        a = args[i]
        if a.startswith("--"):
            name = a[2:]
            if i + 1 < len(args) and not args[i + 1].startswith("--"):
                flags[name] = _decode(args[i + 1])
                i += 2
                continue
            flags[name] = True
        i += 1
    return flags


def _nested(flags):
    """Dotted names as nested dicts, as Guild's apply_nested_config."""
    out = {}
    for name, val in flags.items():
        d = out
        parts = name.split(".")
        for part in parts[:-1]:
            if not isinstance(d.get(part), dict):
                d[part] = {}
            d = d[part]
        d[parts[-1]] = val
    return out


def _namespace(d):
    from types import SimpleNamespace  # pylint: disable=import-outside-toplevel
    return SimpleNamespace(**{
        k: _namespace(v) if isinstance(v, dict) else v for k, v in d.items()})


def _strip_first_assigns(tree, names):
    """Remove the first top-level assignment of each name in names."""
    todo = set(names)
    body = []
    for node in tree.body:
        target = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        elif isinstance(node, ast.AnnAssign):
            target = node.target
        if isinstance(target, ast.Name) and target.id in todo:
            todo.discard(target.id)
            continue
        body.append(node)
    tree.body = body
    return tree


def _find(spec):
    if "/" in spec:
        head, spec = spec.rsplit("/", 1)
        for p in [os.getcwd()] + sys.path:
            d = os.path.join(p or ".", head)
            if os.path.isdir(d):
                sys.path.insert(1, d)
                break
    try:
        found = importlib.util.find_spec(spec)
    except (ImportError, ValueError):
        found = None
    if found is None or found.origin in (None, "built-in", "frozen"):
        _error("No module named %s" % spec)
    if found.submodule_search_locations:
        main = spec + ".__main__"
        found = importlib.util.find_spec(main)
        if found is None:
            _error("No module named %s" % main)
    return spec, found.origin


def main():
    if len(sys.argv) < 2:
        _error("usage: python -m guild.op_main MODULE [ARG...] [-- FLAGS]")
    # sys.path[0] is the run directory: files the run writes must not
    # shadow the project's modules.
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    base, flag_args = _split_args(sys.argv[2:])
    modname, path = _find(sys.argv[1])
    dest = os.environ.get("FLAGS_DEST", "args")
    with open(path, "rb") as f:
        source = f.read()
    tree = ast.parse(source, path)
    scope = {"__name__": "__main__", "__file__": path, "__builtins__": __builtins__}
    if dest == "args" or dest.startswith("args:"):
        sys.argv = [path] + base + flag_args
    else:
        sys.argv = [path] + base
        flags = _flags_from_args(flag_args)
        if dest == "globals":
            tree = _strip_first_assigns(tree, flags)
            scope.update(flags)
        elif dest.startswith(("global:", "dict:", "namespace:")):
            name = dest.split(":", 1)[1]
            tree = _strip_first_assigns(tree, [name])
            scope[name] = _nested(flags)
            if dest.startswith("namespace:"):
                scope[name] = _namespace(scope[name])
    del modname
    code = compile(tree, path, "exec")
    sys.modules["__main__"].__dict__.update(scope)
    exec(code, sys.modules["__main__"].__dict__)  # pylint: disable=exec-used


def _main_break_on_error():
    # guild run --break-on-error: as Guild's op_main, the traceback, then
    # pdb's post mortem in the run's terminal, then exit 1.
    import pdb
    import traceback
    try:
        main()
    except (Exception, KeyboardInterrupt):  # pylint: disable=broad-except
        traceback.print_exc()
        sys.stderr.write("Entering post mortem debug session\n")
        pdb.post_mortem()
        sys.exit(1)


if __name__ == "__main__":
    if os.environ.get("BREAK_ON_ERROR") == "1":
        _main_break_on_error()
    else:
        main()
