/*
 * runattrs.c: a run's declared and logged attrs (runattrs.h).
 */
#include "common.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "runattrs.h"
#include "scalars.h"
#include "strbuf.h"
#include "util.h"
#include "value.h"
#include "yamlnode.h"

bool
runattrs_is_core(const char *name)
{
	static const char *const core[] = {
		"id", "run", "operation", "from", "op", "op_model",
		"short_id", "sourcecode", "started", "stopped", "status",
		"time",
	};
	size_t	i;

	for (i = 0; i < ARRAY_SIZE(core); i++)
		if (strcmp(core[i], name) == 0)
			return true;
	return false;
}

struct value *
runattrs_read(const char *run_dir)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct value	*m, *logged, *opdef = NULL;
	char		*path;
	size_t		 i;

	/* A missing or unreadable opdef_attrs is none, as Guild's run.get. */
	path = path_join(run_dir, ".guild/attrs/opdef_attrs");
	if (file_read_regular(AT_FDCWD, path, 0, FILE_ATTR_MAX, &sb, NULL,
	    NULL) == 0)
		opdef = yaml_parse_value(sb.buf, sb.len, NULL);
	free(path);
	strbuf_release(&sb);
	if (opdef != NULL && opdef->type == VALUE_MAP)
		m = opdef;
	else {
		value_free(opdef);
		m = value_map();
	}
	logged = scalars_logged_attrs(run_dir);
	for (i = 0; i < logged->u.map.n; i++)
		value_map_set(m, logged->u.map.k[i],
		    value_dup(logged->u.map.v[i]));
	value_free(logged);
	return m;
}
