/*
 * publish-template.h: guild publish's --template and --index-template,
 * Jinja2 templates rendered as Guild AI 0.9 renders them, by guild's
 * Python helper (guild.publish_render, which needs Jinja2: Debian's
 * python3-jinja2) with the same variables and filters.
 */
#ifndef GUILD_PUBLISH_TEMPLATE_H
#define GUILD_PUBLISH_TEMPLATE_H

struct value;

/*
 * The run template for a run of opref: spec (--template), else its
 * operation's "publish: template", else "default", found as Guild finds
 * it (a path starting with "." that exists, "default", a path under the
 * project's directory). 0 with *dirp NULL for "default" (guild's own
 * pages), or the template's path; -1 with "cannot find template NAME".
 */
int	publish_template_find(const char *spec, const char *opref,
	    char **dirp, char **cause);

/*
 * Render template (a directory) into run_dest, whose run.yml, flags.yml,
 * output.txt and CSV files are written. 0, or -1 with the helper's error.
 */
int	publish_template_run(const char *template, const char *run_dest,
	    char **cause);

/*
 * --index-template path (relative to the working directory; a directory
 * means its README.md) into dest/README.md, with runs (a list of run.yml
 * maps, newest first). 0, or -1 with the error.
 */
int	publish_template_index(const char *path, const char *dest,
	    const struct value *runs, char **cause);

#endif
