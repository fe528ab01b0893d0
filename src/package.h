/*
 * package.h: guild packages, as Guild AI 0.9 makes and finds them.
 *
 * A package is a Python wheel holding a project: its guild.yml, its
 * Python modules and packages, README and LICENSE files and the package:
 * item's data-files, all under the Python package named after the
 * package ("gpkg.hello" -> gpkg/hello/), and in its dist-info an
 * entry_points.txt with a [guild.models] group naming its models. guild
 * writes the wheel itself (libarchive, runarchive.h), with the metadata
 * pip needs (METADATA, WHEEL, RECORD with sha256 digests): `pip install`
 * of it works offline.
 *
 * Installed packages are those whose dist-info, in a directory of the
 * Python path of runner_python_exe(), has a [guild.models] entry point
 * group. The Python path is asked of the interpreter once and kept in one
 * file of the Guild home's cache with the .dist-info of each directory
 * that name guild models, keyed by the interpreter (path, change time)
 * and the environment that moves the path, and used while every
 * directory has the times recorded (one stat each), so a `pip install`
 * is seen at once.
 */
#ifndef GUILD_PACKAGE_H
#define GUILD_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>

struct guild_home;
struct guildfile;

struct package_build {
	char	*wheel;		/* the path written */
	size_t	 nfiles;	/* files of the project in it */
};

/*
 * The package is named by the package: item, else after the default
 * model, else "gpkg.anonymous_<md5 of guild.yml's path, 8 digits>"
 * (Guild's). Write the project's wheel into dist_dir (relative to the project
 * directory unless absolute), replacing one of the same name; with clean,
 * first remove the package's other wheels there. -1 with cause.
 */
int	package_build(const struct guildfile *, const char *dist_dir,
	    bool clean, struct package_build *, char **cause);
void	package_build_clear(struct package_build *);

struct installed_pkg {
	char	*name;		/* "gpkg.hello" (METADATA's Name) */
	char	*version;
	char	*dir;		/* the directory holding its guild.yml */
	char	*dist_info;	/* its dist-info directory */
	char	*summary;	/* METADATA's Summary, or "" */
};

/*
 * The guild packages installed for the Python guild runs, sorted by name.
 * A Python that cannot be run has none (not an error: guild works without
 * packages). -1 with cause only when the home's cache cannot be used and
 * nothing else can be found either.
 */
int	packages_installed(const struct guild_home *, struct installed_pkg **,
	    size_t *n, char **cause);
void	packages_free(struct installed_pkg *, size_t n);
/* The one named name (exactly, or with '-' for '_'), or NULL. */
const struct installed_pkg *packages_find(const struct installed_pkg *,
	    size_t n, const char *name);
/*
 * The guild.yml of the package named pkg ("gpkg.base") in a directory of
 * the Python path (Guild's search for extends: PKG/MODEL and include:),
 * or NULL. Caller frees.
 */
char	*package_guildfile_path(const struct guild_home *, const char *pkg);
/*
 * Load an installed package's guild.yml, its installed_name and
 * installed_version set (the opref of its runs names the package).
 */
struct guildfile *package_guildfile(const struct installed_pkg *,
	    char **cause);

#endif
