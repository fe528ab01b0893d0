/*
 * guildfile-int.h: what the parts of the guild.yml loader share (not an
 * API: only src/guildfile*.c include it). guildfile.c loads and looks up;
 * guildfile-util.c has the containers, errors, the budget and typed access
 * to attributes; guildfile-resolve.c the top-level items, include:,
 * extends, params and $include (stages 1 and 2, and $include of stage 3);
 * guildfile-read.c reads attributes into the structs (stage 3).
 */
#ifndef GUILD_GUILDFILE_INT_H
#define GUILD_GUILDFILE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guildfile.h"
#include "strvec.h"
#include "value.h"
#include "yamlnode.h"

#define GF_NAME			GUILDFILE_NAME
#define GF_MAX_NODES		4000000
#define GF_MAX_BYTES		(64u * 1024 * 1024)
#define GF_MAX_NESTING		64	/* include:, extends, $include */
#define GF_PARAM_ROUNDS		100
#define GF_MAX_INCLUDES		1000	/* files read through include: */

/* A string set and map-key index: open addressing on FNV-1a. */
struct strset {
	char	**slots;
	size_t	  n, cap;
};

/* Names to indexes. */
struct smap {
	char	**keys;
	size_t	 *vals;
	size_t	  n, cap;
};

struct kindex {
	const struct ynode *map;
	size_t	*slots;		/* pair index + 1; 0 is empty */
	size_t	 n, cap;
};

struct gload;

/*
 * An installed package's guild.yml that extends: PKG/MODEL named, loaded
 * once per load (stage 1 only): its items stay for extends and $include.
 * Its nodes' file name is its absolute path, so an error in it names it
 * and an operation read from it is known to be the package's.
 */
struct gpkg {
	char		*name;		/* as written: "gpkg.base" */
	char		*path;		/* its guild.yml */
	char		*dir;
	struct gload	*g;
};

struct gload {
	struct guildfile *gf;
	struct gload	*top;		/* the project's load (itself there) */
	const char	*pkg;		/* a package's load: its name */
	struct gpkg	**pkgs;		/* top only */
	size_t		  npkgs;
	/* While a model is read: its parents (package guild.yml dirs). */
	const struct strvec *parents;
	struct ynode	**roots;	/* parsed files, freed at the end */
	size_t		  nroots, roots_alloc;
	struct ynode	**items;	/* coerced top-level items */
	size_t		  nitems, items_alloc;
	struct strvec	  included;	/* real paths, outermost first */
	/*
	 * included's first is the path as given, made real at the first
	 * include: most projects include nothing, and realpath(3) is a
	 * readlink(2) a component.
	 */
	bool		  first_unreal;
	struct strvec	  included_names;
	size_t		  nincludes;
	struct strset	  warned;
	struct smap	  item_names;	/* model/config name -> first item */
	/*
	 * Name -> extended data in memo_data and its packages' guild.yml
	 * directories in memo_parents (top only; names in a package's load
	 * are "PKG/NAME").
	 */
	struct smap	  memo;
	struct ynode	**memo_data;
	struct strvec	 *memo_parents;
	size_t		  nmemo;
	size_t		  nodes, bytes;
	bool		  over_budget;	/* an error no operation is alone in */
	/*
	 * While an operation is read: the first unknown attribute in it,
	 * which fails that operation (when used) instead of warning.
	 */
	bool		  in_op;
	char		 *op_unknown;
	char		**cause;
};

/*
 * Building a value map without value_map_set's linear search, which would
 * make a hostile map of many keys quadratic.
 */
struct vbuild {
	struct value	*map;
	size_t		*slots;		/* index + 1; 0 is empty */
	size_t		 cap;
};

/* What gf_get_value accepts. */
enum vshape {
	SHAPE_ANY,
	SHAPE_MAP,
	SHAPE_SCALAR,
};

/* guildfile-util.c: containers (keys are copied; clear frees them). */
bool		 gf_strset_add(struct strset *, const char *);
void		 gf_strset_clear(struct strset *);
void		 gf_smap_add(struct smap *, const char *, size_t);
bool		 gf_smap_get(const struct smap *, const char *, size_t *);
void		 gf_smap_clear(struct smap *);
void		 gf_kindex_init(struct kindex *, const struct ynode *);
ssize_t		 gf_kindex_find(const struct kindex *, const char *, size_t);
void		 gf_kindex_added(struct kindex *);
void		 gf_kindex_free(struct kindex *);
void		 gf_vbuild_init(struct vbuild *);
void		 gf_vbuild_set(struct vbuild *, const char *, struct value *);
struct value	*gf_vbuild_done(struct vbuild *);
bool		 gf_name_in(const char *, const char *const *, size_t);

/*
 * The key under which stage 1 leaves an error that fails one operation
 * only (its flags not a mapping): read_op reports it when the op is read.
 */
#define GF_OP_ERROR_KEY	"$error"

/* guildfile-util.c: errors (-1 with g->cause set), warnings, the budget. */
int		 gf_error(struct gload *, const struct ynode *, const char *,
		     ...) PRINTFLIKE(3, 4);
void		 gf_check_attrs(struct gload *, const struct ynode *,
		     const char *, const char *const *, size_t);
int		 gf_charge(struct gload *, const struct ynode *);
int		 gf_charge_bytes(struct gload *, const struct ynode *, size_t);
struct ynode	*gf_dup(struct gload *, const struct ynode *);

/* guildfile-util.c: typed access to attributes (0, or -1 with cause). */
bool		 gf_is_null(const struct ynode *);
bool		 gf_is_string(const struct ynode *);
int		 gf_type_error(struct gload *, const struct ynode *,
		     const char *, const char *);
int		 gf_get_string(struct gload *, const struct ynode *,
		     const char *, char **);
int		 gf_get_description(struct gload *, const struct ynode *,
		     char **, bool);
int		 gf_get_bool(struct gload *, const struct ynode *, const char *,
		     bool *);
int		 gf_get_long(struct gload *, const struct ynode *, const char *,
		     long *);
int		 gf_node_strlist(struct gload *, const struct ynode *,
		     const char *, struct strvec *);
int		 gf_get_strlist(struct gload *, const struct ynode *,
		     const char *, struct strvec *);
int		 gf_get_value(struct gload *, const struct ynode *,
		     const char *, enum vshape, struct value **);
int		 gf_get_target_path(struct gload *, const struct ynode *,
		     char **);
int		 gf_get_target_type(struct gload *, const struct ynode *,
		     char **);

/* guildfile-resolve.c: stages 1 and 2, and $include. */
const char	*gf_item_name(const struct ynode *);
char		*gf_dir_of(const char *);
int		 gf_load_root(struct gload *, struct ynode *, const char *,
		     const char *, unsigned);
struct ynode	*gf_extended_data(struct gload *, const struct ynode *,
		     struct strvec *, struct strvec *);
void		 gf_pkgs_free(struct gload *);
const char	*gf_origin_dir(const struct gload *, const struct ynode *);
int		 gf_apply_params(struct gload *, struct ynode *);
struct ynode	*gf_resolve_includes(struct gload *, const struct ynode *,
		     const char *, bool take);

/* guildfile-read.c: stage 3. */
void		 gf_modeldef_free(struct modeldef *);
int		 gf_read_models(struct gload *);
int		 gf_read_tests(struct gload *);
int		 gf_read_package(struct gload *);
void		 gf_pkgdef_free(struct pkgdef *);

#endif
