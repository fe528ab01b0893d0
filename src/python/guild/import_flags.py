"""Read the flags a Python script takes, as Guild AI 0.9 imports them.

Usage: python -m guild.import_flags SCRIPT OUTPUT [BASE_ARG...]

Writes JSON to OUTPUT: {"dest": "args" or "globals", "flags": {NAME: ATTRS}}
where ATTRS has Guild's flag attributes (default, description, choices,
required, type, arg-switch, arg-name, arg-split).

A script that imports argparse is run as __main__ with BASE_ARGs and
--help, its parser's options read when it parses them (long options
only, as Guild: "--batch-size" is the flag "batch-size"), and it never
gets to run its own code past that point. A script that imports click
(and not argparse) is run the same way up to the call of its command
(Guild's click_flags plugin): the command's options are the flags, of
the subcommand BASE_ARGs name in a group (dest "args:click"). Other
scripts are not run:
their module-level assignments of a number, a string or a boolean to a
public name are the flags, with the assigned value as the default.
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


def _global_flags(source):
    flags = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target = node.targets[0]
        if not isinstance(target, ast.Name) or target.id.startswith("_"):
            continue
        value = node.value
        neg = False
        if (isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.USub)
                and isinstance(value.operand, ast.Constant)):
            value, neg = value.operand, True
        if not isinstance(value, ast.Constant):
            continue
        v = value.value
        if isinstance(v, bool):
            t = "boolean"
        elif isinstance(v, (int, float)):
            t = "number"
            v = -v if neg else v
        elif isinstance(v, str) and not neg:
            t = "string"
        else:
            continue
        flags[target.id] = {"default": v, "type": t}
    return flags


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
    with open(output, "w") as f:
        json.dump(data, f, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
