"""Read the flags a Python script takes, as Guild AI 0.9 imports them.

Usage: python -m guild.import_flags SCRIPT OUTPUT [BASE_ARG...]

Writes JSON to OUTPUT: {"dest": "args" or "globals", "flags": {NAME: ATTRS},
"params": {GLOBAL: {NAME: ATTRS}}} where params are the flags of each
module-level dict or SimpleNamespace (flags-dest global:GLOBAL), and ATTRS has Guild's flag attributes (default, description, choices,
required, type, arg-switch, arg-name, arg-split).

A script that imports argparse is run as __main__ with BASE_ARGs and
--help, its parser's options read when it parses them (long options
only, as Guild: "--batch-size" is the flag "batch-size"), and it never
gets to run its own code past that point. A script that imports click
(and not argparse) is run the same way up to the call of its command
(Guild's click_flags plugin): the command's options are the flags, of
the subcommand BASE_ARGs name in a group (dest "args:click"). Other
scripts are not run:
their module-level assignments of a number, a string, a boolean or a list
of them to a public name are the flags, with the assigned value as the
default (a list as its items joined, arg-split, as Guild does).
"""

import ast
import json
import re
import runpy
import sys

_STORE_ACTIONS = (
    "_StoreAction", "_StoreTrueAction", "_StoreFalseAction",
    "BooleanOptionalAction",
)


class _Done(Exception):
    pass


def _json_value(x):
    try:
        json.dumps(x)
    except (TypeError, ValueError):
        return str(x)
    return x


def _flag_type(t):
    return {str: "string", float: "float", int: "int", bool: "boolean"}.get(t)


def _action_flag(action):
    name = None
    for opt in action.option_strings:
        if opt.startswith("--"):
            name = opt[2:]
            break
    if name is None or type(action).__name__ not in _STORE_ACTIONS:
        return None, None
    attrs = {}
    if action.help:
        attrs["description"] = action.help
    if action.default is not None:
        attrs["default"] = _json_value(action.default)
    if action.choices:
        attrs["choices"] = _json_value(list(action.choices))
    if action.required:
        attrs["required"] = True
    if action.type and _flag_type(action.type):
        attrs["type"] = _flag_type(action.type)
    kind = type(action).__name__
    if kind == "_StoreTrueAction":
        attrs["arg-switch"] = True
        attrs["choices"] = [True, False]
    elif kind == "_StoreFalseAction":
        attrs["arg-switch"] = False
        attrs["choices"] = [True, False]
    elif kind == "BooleanOptionalAction" and len(action.option_strings) == 2:
        attrs["choices"] = [True, False]
        if action.default:
            attrs["arg-name"] = action.option_strings[1][2:]
            attrs["arg-switch"] = False
        else:
            attrs["arg-name"] = action.option_strings[0][2:]
            attrs["arg-switch"] = True
    if action.nargs in ("+", "*") or (
            isinstance(action.nargs, int) and action.nargs > 1):
        attrs["arg-split"] = True
        if isinstance(attrs.get("default"), list):
            attrs["default"] = " ".join(str(x) for x in attrs["default"])
    return name, attrs


def _argparse_flags(script, base_args):
    import argparse
    found = {}
    original = argparse.ArgumentParser.parse_known_args

    def parse_known_args(self, *args, **kw):
        for action in self._actions:
            name, attrs = _action_flag(action)
            if name is not None:
                found[name] = attrs
        raise _Done()

    argparse.ArgumentParser.parse_known_args = parse_known_args
    sys.argv = [script] + base_args + ["--help"]
    try:
        runpy.run_path(script, run_name="__main__")
    except _Done:
        pass
    except SystemExit:
        pass
    finally:
        argparse.ArgumentParser.parse_known_args = original
    return found


def _click_option_flag(click, param):
    # As Guild's click_flags: long options only, its help, default,
    # choices, required, type; a switch (is_flag) is arg-switch.
    name = None
    for opt in param.opts:
        if opt.startswith("--"):
            name = opt[2:]
            break
    if name is None or not isinstance(param, click.Option):
        return None, None
    attrs = {}
    if param.help:
        attrs["help"] = param.help
    default = param.default
    # Click 8.2+ marks "no default" with a sentinel of its own.
    if default is not None and not callable(default) and \
            type(default).__name__ != "Sentinel":
        attrs["default"] = _json_value(default)
    if isinstance(param.type, click.Choice):
        attrs["choices"] = _json_value(list(param.type.choices))
    if param.required:
        attrs["required"] = True
    if param.is_flag:
        attrs["arg-switch"] = not attrs.get("default")
    t = param.type
    if isinstance(t, click.types.BoolParamType):
        attrs["type"] = "boolean"
    elif isinstance(t, click.types.IntParamType):
        attrs["type"] = "int"
    elif isinstance(t, click.types.FloatParamType):
        attrs["type"] = "float"
    elif isinstance(t, click.types.StringParamType):
        attrs["type"] = "string"
    if "help" in attrs:
        attrs["description"] = attrs.pop("help")
    return name, attrs


def _click_flags(script, base_args):
    import click
    found = {}
    # Command (Group is one) as Guild patches it; put back as it was.
    had = "__call__" in click.Command.__dict__
    original = click.Command.__dict__.get("__call__")

    def call(self, *args, **kw):
        cmd = self
        for arg in base_args:
            sub = getattr(cmd, "commands", {}).get(arg)
            if sub is None:
                break
            cmd = sub
        for param in cmd.params:
            name, attrs = _click_option_flag(click, param)
            if name is not None:
                found[name] = attrs
        raise _Done()

    click.Command.__call__ = call
    sys.argv = [script] + base_args
    try:
        runpy.run_path(script, run_name="__main__")
    except _Done:
        pass
    except SystemExit:
        pass
    finally:
        if had:
            click.Command.__call__ = original
        else:
            del click.Command.__call__
    return found


class _NotParam(Exception):
    pass


def _param_val(node):
    """A literal's value as Guild's python_util.ast_param_val reads it:
    numbers, strings, booleans, None, lists, dicts, SimpleNamespace(...)
    calls (as dicts, marked by _NS)."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, (bool, int, float, str)) or node.value is None:
            return node.value
        raise _NotParam()
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd))
            and isinstance(node.operand, ast.Constant)
            and isinstance(node.operand.value, (int, float))
            and not isinstance(node.operand.value, bool)):
        v = node.operand.value
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.List):
        return [_param_val(x) for x in node.elts]
    if isinstance(node, ast.Dict):
        if None in node.keys:
            raise _NotParam()
        return {_param_val(k): _param_val(v)
                for k, v in zip(node.keys, node.values)}
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id.endswith("SimpleNamespace")):
        if node.args or any(kw.arg is None for kw in node.keywords):
            raise _NotParam()
        return {kw.arg: _param_val(kw.value) for kw in node.keywords}
    raise _NotParam()


def _module_params(source):
    """Module-level assignments of literals, the first of each name (as
    Guild: later ones redefine the value the script starts from)."""
    params = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.Assign):
            continue
        try:
            val = _param_val(node.value)
        except _NotParam:
            continue
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id not in params:
                params[target.id] = val
    return params


def _yaml_scalar(x):
    if x is True:
        return "true"
    if x is False:
        return "false"
    if x is None:
        return "null"
    if isinstance(x, str):
        if x == "" or _looks_typed(x) or re.search(r"[:#\[\]{},'\"&*!|>%@`\s]", x):
            return "'" + x.replace("'", "''") + "'"
        return x
    return repr(x)


def _looks_typed(s):
    try:
        float(s)
        return True
    except ValueError:
        return s.lower() in ("true", "false", "yes", "no", "on", "off",
                             "null", "~")


def _shell_quote(s):
    if s and re.fullmatch(r"[\w@%+=:,./-]+", s):
        return s
    return "'" + s.replace("'", "'\"'\"'") + "'"


def _flag_for_val(v):
    """Guild's flags_import_util.flag_data_for_val: a list is a string of
    its items, split when passed (arg-split)."""
    if isinstance(v, list):
        return {"default": " ".join(_shell_quote(_yaml_scalar(x)) for x in v),
                "arg-split": True}
    if isinstance(v, bool):
        return {"default": v, "type": "boolean"}
    if isinstance(v, (int, float)):
        return {"default": v, "type": "number"}
    if isinstance(v, str):
        return {"default": v, "type": "string"}
    return {"default": v}


def _flags_of(params):
    return {name: _flag_for_val(v) for name, v in params.items()
            if not name.startswith("_") and not isinstance(v, dict)}


def _flatten(d, prefix=""):
    out = {}
    for k, v in d.items():
        name = prefix + str(k)
        if isinstance(v, dict):
            out.update(_flatten(v, name + "."))
        else:
            out[name] = v
    return out


def _global_flags(source):
    return _flags_of(_module_params(source))


def _dict_params(source):
    """The flags of each module-level dict or SimpleNamespace, nested
    keys dotted (flags-dest global:NAME, dict:NAME, namespace:NAME)."""
    return {name: _flags_of(_flatten(v))
            for name, v in _module_params(source).items()
            if isinstance(v, dict)}


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: python -m guild.import_flags SCRIPT OUTPUT "
                         "[BASE_ARG...]\n")
        return 2
    script, output, base_args = argv[0], argv[1], argv[2:]
    with open(script) as f:
        source = f.read()
    if re.search(r"^\s*(import\s+argparse|from\s+argparse\s+import)", source,
                 re.MULTILINE):
        data = {"dest": "args", "flags": _argparse_flags(script, base_args)}
    elif re.search(r"^\s*(import\s+click|from\s+click\s+import)", source,
                   re.MULTILINE):
        data = {"dest": "args:click", "flags": _click_flags(script, base_args)}
    else:
        data = {"dest": "globals", "flags": _global_flags(source)}
    try:
        data["params"] = _dict_params(source)
    except SyntaxError:
        data["params"] = {}
    with open(output, "w") as f:
        json.dump(data, f, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
