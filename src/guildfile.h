/*
 * guildfile.h: a project's guild.yml as data.
 *
 * guildfile_load() reads guild.yml (all three top-level forms, include:
 * items, $include, extends, params, operation-defaults) into the
 * structures below. Errors are "FILE:LINE:COL: message"; unknown
 * attributes are warnings (warnx_core) naming file, line and attribute.
 *
 * Everything is owned by the struct guildfile and freed with it. Arrays of
 * pointers keep addresses stable; back pointers (opdef->model,
 * modeldef->gf) are valid for the guildfile's lifetime.
 *
 * Conventions: descriptions of models, operations and flags are never NULL
 * ("" when absent); other strings are NULL when absent; struct value
 * fields are NULL when absent or null. Names are as written in guild.yml.
 * Input is untrusted: the loader bounds what extends, $include and params
 * may expand to, and never prints (warnings go through warnx_core).
 */
#ifndef GUILD_GUILDFILE_H
#define GUILD_GUILDFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "strvec.h"
#include "value.h"

/* The project file guildfile_find() reads. */
#define GUILDFILE_NAME	"guild.yml"

struct guildfile;
struct modeldef;

enum flag_type {
	FLAG_TYPE_AUTO,		/* no type: decode as YAML, keep what comes */
	FLAG_TYPE_STRING,
	FLAG_TYPE_INT,
	FLAG_TYPE_FLOAT,
	FLAG_TYPE_NUMBER,
	FLAG_TYPE_BOOLEAN,
	FLAG_TYPE_PATH,
	FLAG_TYPE_EXISTING_PATH,
};

struct flag_choice {
	struct value	*value;
	char		*description;
	char		*alias;
	struct value	*flags;		/* map of flag values the choice sets */
};

struct flagdef {
	char		*name;
	unsigned	 line;
	struct value	*default_value;	/* NULL: no default */
	char		*description;
	enum flag_type	 type;
	bool		 required;
	char		*alias;
	char		*arg_name;	/* NULL: the flag name */
	bool		 arg_skip;
	struct value	*arg_switch;	/* NULL: not a switch */
	char		*arg_split;	/* NULL, "shlex" or a delimiter */
	/*
	 * Maps value -> text, or NULL. Keys are normalised to the flag text
	 * of the key's YAML value (value_format_flag: "yes", "1.0", "'x'"),
	 * so a flag value is looked up by formatting it the same way.
	 */
	struct value	*arg_encoding;
	struct value	*env_encoding;
	char		*env_name;	/* NULL: FLAG_<NAME> */
	struct flag_choice *choices;
	size_t		 nchoices;
	bool		 allow_other;
	char		*null_label;
	struct value	*min;
	struct value	*max;
	char		*distribution;
};

enum source_kind {
	SOURCE_FILE,
	SOURCE_URL,
	SOURCE_MODULE,
	SOURCE_CONFIG,
	SOURCE_OPERATION,
};

struct source {
	enum source_kind kind;
	char		*uri;		/* the value of file:, url:, operation:, ... */
	unsigned	 line;
	char		*name;		/* default: "file:URI", "operation:URI", URL */
	char		*flag_name;
	char		*sha256;
	bool		 unpack;	/* default: the resource's default-unpack */
	char		*type;
	struct strvec	 select;	/* patterns; empty: everything */
	char		*select_min;
	char		*select_max;
	bool		 warn_if_empty;	/* default true */
	bool		 optional;
	bool		 fail_if_empty;
	char		*rename_pattern;	/* "rename: PATTERN REPL" */
	char		*rename_repl;
	char		*help;
	char		*post_process;
	char		*target_path;	/* also "path" */
	char		*target_type;	/* "link", "copy" or NULL */
	bool		 replace_existing;
	bool		 always_resolve;
	bool		 preserve_path;
	struct value	*params;
};

struct resdef {
	char		*name;		/* NULL for an unnamed inline resource */
	unsigned	 line;
	char		*description;
	struct source	**sources;
	size_t		 nsources;
	char		*target_path;	/* also "path" */
	char		*target_type;
	bool		 default_unpack;	/* default true */
	bool		 private_;
	bool		 preserve_path;
	char		*flag_name;
	struct value	*references;
};

/* One item of an operation's requires: a reference or an inline resource. */
struct opdep {
	char		*resource_ref;	/* "RES" or "MODEL:RES"; NULL when inline */
	struct resdef	*inline_res;	/* owned; NULL for references */
	unsigned	 line;
};

struct step {
	char		*run;		/* "[MODEL:]OP [FLAG=VAL ...]" */
	char		*name;		/* NULL: the operation name */
	struct value	*flags;		/* map, or NULL */
	bool		 isolate_runs;	/* default true */
	struct value	*params;	/* other run params (label, tags, ...) */
	struct value	*expect;	/* list of checks (runcheck.h), or NULL */
	unsigned	 line;
};

/* output-scalars / output-attrs */
enum capture_mode {
	CAPTURE_DEFAULT,	/* attribute absent: Guild's default patterns */
	CAPTURE_NONE,		/* "no" */
	CAPTURE_CUSTOM,
};

struct capture_spec {
	char		*key;		/* map form: the key; NULL: from the groups */
	char		*pattern;	/* the regex, aliases (\key ...) unexpanded */
};

struct capture {
	enum capture_mode	 mode;
	struct capture_spec	*specs;
	size_t			 nspecs;
};

enum select_match {
	SELECT_ANY,
	SELECT_DIR,
	SELECT_TEXT,
	SELECT_BINARY,
};

struct select_rule {
	bool		 include;	/* false: exclude */
	enum select_match match;
	struct strvec	 patterns;
};

struct sourcecode_spec {
	bool		 set;		/* sourcecode: appeared in guild.yml */
	bool		 disabled;	/* no or [] */
	struct select_rule *rules;
	size_t		 nrules;
	char		*root;
	char		*dest;
	bool		 digest;	/* default true */
};

struct opdef {
	struct modeldef	*model;
	char		*name;
	unsigned	 line;
	/*
	 * The directory its files come from (source code, main module, flags
	 * of its script, config files of flags-dest): the project's, or the
	 * installed package's when its main, exec or notebook was inherited
	 * from a model of that package (extends: PKG/MODEL).
	 */
	char		*dir;
	/*
	 * Not NULL: the operation could not be read (guild.yml:LINE:COL:
	 * why). As in Guild AI 0.9 only it fails, when it is used
	 * (opspec_resolve); it is listed, with its description if it has
	 * one, and the rest of guild.yml works.
	 */
	char		*error;
	bool		 flags_imported;	/* flags_import_apply() done */
	char		*description;
	bool		 default_;
	char		*main;		/* "MODULE [ARGS]"; NULL when not given */
	char		*exec;		/* "COMMAND ${flag_args}" */
	struct step	**steps;
	size_t		 nsteps;
	char		*notebook;
	struct flagdef	**flags;	/* in guild.yml order */
	size_t		 nflags;
	char		*flags_dest;	/* NULL: decided at run time */
	/* true (yes/all), a list of names (no: empty), or NULL (absent) */
	struct value	*flags_import;
	struct strvec	 flags_import_skip;
	struct opdep	**requires;
	size_t		 nrequires;
	struct value	*env;		/* map name -> value, or NULL */
	struct strvec	 env_secrets;
	char		*python_requires;
	struct strvec	 python_path;
	bool		 stoppable;
	char		*label;		/* label template */
	struct strvec	 tags;
	struct strvec	 compare;
	bool		 handle_keyboard_interrupt;
	char		*flag_encoder;
	long		 default_max_trials;	/* 0: unset */
	struct capture	 output_scalars;
	struct capture	 output_attrs;
	struct value	*objective;
	struct value	*optimizers;	/* optimizer/optimizers */
	struct value	*publish;
	struct sourcecode_spec sourcecode;
	bool		 delete_on_success;
	bool		 can_stage_trials;
	bool		 pip_freeze;
	struct value	*run_attrs;
	bool		 default_flag_arg_skip;
	/*
	 * A model test (a test: item, of the hidden model "test"): a
	 * pipeline that takes any flag and passes each to the steps whose
	 * operation has it (steps.h).
	 */
	bool		 test;
};

struct modeldef {
	struct guildfile *gf;
	char		*name;		/* "" for the anonymous model */
	unsigned	 line;
	char		*description;
	bool		 default_;
	struct opdef	**ops;		/* in guild.yml order */
	size_t		 nops;
	struct resdef	**resources;
	size_t		 nresources;
	struct sourcecode_spec sourcecode;
	struct strvec	 extends;	/* as written */
	/*
	 * The directories of the installed packages' guild.yml files it
	 * inherits from, through extends: PKG/MODEL at any depth, in Guild's
	 * order (a parent's parents before the parent); resources and config
	 * files not in the project are looked for there.
	 */
	struct strvec	 parents;
	struct value	*references;
	struct value	*extra;
	char		*python_requires;
};

/* The package: item: what guild package puts in a wheel's metadata. */
struct pkgdef {
	char		*name;		/* "gpkg.hello" */
	unsigned	 line;
	char		*version;	/* default "0.0.0" */
	char		*description;
	char		*url;
	char		*author;
	char		*author_email;
	char		*license;
	struct strvec	 tags;
	char		*python_tag;	/* NULL: py2.py3 */
	struct strvec	 data_files;	/* globs or directories */
	char		*python_requires;
	struct strvec	 requires;	/* pip requirements */
	struct value	*packages;	/* map python package -> dir, or NULL */
};

struct guildfile {
	char		*path;		/* absolute path of guild.yml */
	char		*dir;		/* absolute project directory */
	struct modeldef	**models;	/* models only, not config: items */
	size_t		 nmodels;
	/*
	 * The test: items, as the operations of a model named "test" that
	 * is not among models (not listed); NULL when there are none.
	 * guildfile_model() and opspec_resolve() find it by that name.
	 */
	struct modeldef	*test_model;
	struct pkgdef	*package;	/* the package: item, or NULL */
	/*
	 * The guild.yml of an installed package (package.h): its name and
	 * version, for the opref of its runs; NULL for a project's.
	 */
	char		*installed_name;
	char		*installed_version;
	/*
	 * Made for a script run as an operation ("guild run train.py"): its
	 * runs' opref is Guild's "script:DIR '' '' train.py", not this
	 * guild.yml, which does not exist.
	 */
	bool		 script;
};

#define GUILDFILE_TEST_MODEL	"test"

/*
 * Find guild.yml in dir (or the current directory when dir is NULL) and
 * load it. A directory without guild.yml is an error naming it.
 */
struct guildfile	*guildfile_find(const char *dir, char **cause);
struct guildfile	*guildfile_load(const char *path, char **cause);
/* Load from memory (tests, fuzzing); name is used in messages. */
struct guildfile	*guildfile_load_buf(const char *buf, size_t len,
			    const char *name, const char *dir, char **cause);
void			 guildfile_free(struct guildfile *);

/* The default model: the only one, else the one marked default, or NULL. */
struct modeldef		*guildfile_default_model(const struct guildfile *);
struct modeldef		*guildfile_model(const struct guildfile *, const char *name);
struct opdef		*modeldef_op(const struct modeldef *, const char *name);
struct resdef		*modeldef_resource(const struct modeldef *, const char *name);
struct flagdef		*opdef_flag(const struct opdef *, const char *name);
/* The default op: marked default, else the only public one, or NULL. */
struct opdef		*modeldef_default_op(const struct modeldef *);

/*
 * Resolve an operation spec: "OP", "MODEL:OP" or "" (the default op of
 * the default model). Model names match exactly, else by substring when
 * unique. Unknown or ambiguous specs are errors that list what exists.
 */
struct opdef		*opspec_resolve(const struct guildfile *, const char *spec,
			    char **cause);

/*
 * Private models and operations (names starting with '_') are left out
 * of listings unless all are asked for, as Guild does; they still run.
 * guildfile_listed_model(gf, i) is the i-th model that is listed
 * (private ones too when all), NULL past the end; the same for ops.
 */
bool			 guildfile_private_name(const char *name);
size_t			 guildfile_listed_models(const struct guildfile *,
			    bool all);
struct modeldef		*guildfile_listed_model(const struct guildfile *,
			    size_t i, bool all);
size_t			 modeldef_listed_ops(const struct modeldef *, bool all);
struct opdef		*modeldef_listed_op(const struct modeldef *, size_t i,
			    bool all);

/*
 * The directory a file a model's resource or config source names (rel)
 * is in: the project's, else the first of its parents' that has it
 * (Guild's search); the project's when none has it.
 */
const char		*modeldef_file_dir(const struct modeldef *, const char *rel);

/*
 * extends: PKG/MODEL and include: PKG find an installed package's
 * guild.yml through this function (package.h has one), given the
 * package's name as written: the path of its guild.yml, or NULL when it
 * is not installed. Without one, no package is found. The CLI and the
 * view set it once, before loading anything.
 */
typedef char		*(*guildfile_pkg_finder)(const char *pkg, void *arg);
void			 guildfile_set_pkg_finder(guildfile_pkg_finder, void *arg);

/* The directory of an operation's files (its dir, else the project's). */
const char		*opdef_dir(const struct opdef *);

/* "fashion:train", or "train" for the anonymous model. Caller frees. */
char			*opdef_fullname(const struct opdef *);

const char		*flag_type_name(enum flag_type);

#endif
