/*
 * flags.h: flag values, from "NAME=VAL" on the command line to the
 * operation's argv, environment and run label.
 *
 * Decoding, coercion, validation and encoding follow Guild AI 0.9
 * (flag_util.py, op_util.py, op_cmd.py) so that runs and their labels
 * look the same as Guild's:
 *
 *	flags_resolve(op, argv, argc, force, &flags, &user_flags, &cause);
 *	flags_args(op, flags, FLAGS_DEST_ARGS, &cmd, &argv_out);
 *	flags_env(op, flags, &env);
 *	label = flags_label(op->label, flags);
 *
 * Flag sets are struct value maps (name -> value). Values that are flag
 * functions (uniform[0:1], [1:10]) stay strings: flag_is_function()
 * recognises them when batches are planned.
 */
#ifndef GUILD_FLAGS_H
#define GUILD_FLAGS_H

#include <stdbool.h>
#include <stddef.h>

#include "guildfile.h"
#include "strvec.h"
#include "value.h"

struct strbuf;

/*
 * Split "NAME=VAL" at the first '='; *name and *val are allocated. An
 * argument without '=' is an error ("invalid argument 'x': expected
 * NAME=VAL").
 */
int		 flag_assign_split(const char *arg, char **name, char **val,
		     char **cause);

/*
 * Decode the text of a flag value (flag_util.decode_flag_val). For
 * FLAG_TYPE_AUTO: "" stays a string, then Python int() and float()
 * syntax, flag functions (range/linspace/logspace expand to lists, the
 * others and [a:b] stay strings), list repetition "[1, 2]*3", YAML, and
 * finally the text itself. Numbers read from text containing '_' or ':'
 * stay strings (2018_06_26, 1:12). A declared type changes the first
 * decoders (string types keep the text unless it starts with [ ' " {).
 * Never fails.
 */
struct value	*flag_decode(const char *text, enum flag_type type);

/*
 * Coerce a decoded value to the flag's type (op_util.coerce_flag_value):
 * lists item by item, arg-split values part by part, paths made
 * absolute. Null values and flag functions are left alone. NULL with a
 * cause like "invalid value for type 'int'" when the value does not fit.
 */
struct value	*flag_coerce(const struct flagdef *, const struct value *,
		     char **cause);

/*
 * Flag functions: "NAME[A:B:...]" or anonymous "[A:B...]" (at least two
 * arguments). On success *name is the function name (NULL when
 * anonymous) and *args a list of decoded arguments; either pointer may
 * be NULL when not wanted.
 */
bool		 flag_function_parse(const char *s, char **name,
		     struct value **args);
/* A string value that is a flag function. */
bool		 flag_is_function(const struct value *);
/*
 * Expand the sequence functions range[start:end:step] (end inclusive),
 * linspace[start:end:count] and logspace[start:end:count:base] into a
 * list, as Guild does with numpy. 1 when expanded, 0 when name is not a
 * sequence function, -1 with cause for bad arguments.
 */
int		 flag_function_expand(const char *name, const struct value *args,
		     struct value **out, char **cause);

/*
 * Parse the user's assignments for an operation: names may be flag names
 * or aliases (stored under the flag name), values are decoded with the
 * flag's type. The map holds what the user typed, decoded (the
 * "user_flags" attribute). Later assignments of a name win.
 */
int		 flags_parse_assigns(const struct opdef *,
		     const char *const *assigns, size_t n,
		     struct value **user_flags, char **cause);

/*
 * The flags of a run (op_util.flag_vals_for_opdef): user values over
 * guild.yml defaults (null when there is none), flags of operation
 * dependencies (null until resolved), coercion, then unless force:
 * "unsupported flag 'x'", choices ("invalid value 4 for x: expected one
 * of 1, 2, 3"), existing paths, min/max ("invalid value 0 for lr: out of
 * range (less than min 0.1)"), required flags ("missing required flag
 * 'data'"). Choice aliases become their values and a choice's flags are
 * set unless the user gave them.
 */
int		 flags_apply(const struct opdef *, const struct value *user_flags,
		     bool force, struct value **flags, char **cause);

/* flags_parse_assigns() and flags_apply() together. */
int		 flags_resolve(const struct opdef *, const char *const *assigns,
		     size_t n, bool force, struct value **flags,
		     struct value **user_flags, char **cause);

/* How flags reach the process (the operation's flags-dest). */
enum flags_dest {
	FLAGS_DEST_ARGS,	/* args, args:click: argparse-style text */
	FLAGS_DEST_GLOBALS,	/* globals, global:X, dict:X, namespace:X */
	FLAGS_DEST_NONE,	/* none: no arguments at all */
};
enum flags_dest	 flags_dest_parse(const char *);

/*
 * A value as an argparse argument (op_cmd.py): true is "1", false is
 * "", null is "", floats are Python repr (0.001, 1e-05), strings as they
 * are, lists joined by the flag's arg-split (shell-quoted and
 * space-separated by default). The flag's arg-encoding map, when it has
 * the value, wins. fd may be NULL.
 */
void		 flag_encode_arg(struct strbuf *, const struct flagdef *fd,
		     const struct value *);

/*
 * Append "--name value" pairs for every flag, in name order: flags with
 * arg-skip (or the operation's default), null values and names already
 * given as --name in cmd (may be NULL) are left out; arg-name renames;
 * arg-switch flags give a bare --name when the value equals the switch;
 * arg-split values become several arguments. FLAGS_DEST_GLOBALS values
 * are in YAML flow style instead (Guild's _encode_flag_arg_for_globals:
 * true and false, strings quoted when YAML would read them otherwise).
 */
void		 flags_args(const struct opdef *, const struct value *flags,
		     enum flags_dest, const struct strvec *cmd,
		     struct strvec *out);

/*
 * A copy of flags with the string value of every arg-split flag split into
 * a list of its parts, each decoded ("a b 123" is [a, b, 123]), as Guild
 * writes them to a config file (flags-dest config:FILE).
 */
struct value	*flags_split_values(const struct opdef *, const struct value *);

/* FLAG_<NAME> with [^A-Z0-9_] as _, or the flag's env-name. Caller frees. */
char		*flag_env_name(const struct flagdef *, const char *name);
/* Set the environment variable of every flag (flag_encode_arg text). */
void		 flags_env(const struct opdef *, const struct value *flags,
		     struct strvec *env);

/*
 * A value in a run label or a flag list (flag_util.format_flag):
 * value_format_flag() text, floats cut to 5 decimals when truncate, and
 * strings with spaces quoted Python-style ('a b').
 */
void		 flag_format(struct strbuf *, const struct value *,
		     bool truncate);
/* "lr=0.1 x='a b'": non-null flags in name order, floats truncated. */
char		*flags_default_label(const struct value *flags);
/*
 * Render a label template: ${flag}, ${flag|default:X}, ${flag|%.3f},
 * ${flag|basename}, ${flag|unquote}, ${default_label}. Unknown and null
 * flags render as "". A NULL template gives the default label.
 */
char		*flags_label(const char *tmpl, const struct value *flags);

#endif
