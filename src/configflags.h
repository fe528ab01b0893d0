/*
 * configflags.h: flags-dest: config:FILE, as Guild AI 0.9 does it. The
 * run gets FILE (relative to the project, and so to the run directory,
 * where the operation starts) with the flag values written into it, in
 * the file's own format: YAML (.yml, .yaml), JSON (.json) or INI (.cfg,
 * .ini). The project's FILE, if there is one, gives the rest of its
 * content. A flag name with dots sets a nested key ("train.lr" is lr
 * under train; in an INI file, key lr of section [train]); flags are
 * imported from the project's FILE the same way, flattened.
 */
#ifndef GUILD_CONFIGFLAGS_H
#define GUILD_CONFIGFLAGS_H

struct value;

/* FILE of a flags-dest "config:FILE", or NULL. */
const char	*config_flags_file(const char *flags_dest);
/* A config file as a map (INI: sections of keys); NULL with cause. */
struct value	*config_flags_read(const char *path, char **cause);
/* Nested maps as one map of dotted names. */
struct value	*config_flags_flatten(const struct value *config);
/* Write run_dir/file: project_dir/file updated with flags. -1 with cause. */
int		 config_flags_write(const char *project_dir,
		    const char *run_dir, const char *file,
		    const struct value *flags, char **cause);
/* The same written to dst (a config source's generated file). */
int		 config_flags_write_to(const char *project_dir,
		    const char *file, const char *dst,
		    const struct value *flags, char **cause);

#endif
