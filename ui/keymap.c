/* keymap.c: actions, key names and bindings (see keymap.h). */
#include "common.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keymap.h"
#include "strbuf.h"

static const struct {
	const char	*name;
	const char	*help;
} actions[ACT_COUNT] = {
	[ACT_NONE] = { "none", "Nothing (unbinds a key)" },
#define ACTION_ROW(id, n, h) [ACT_##id] = { n, h },
	ACTION_LIST(ACTION_ROW)
#undef ACTION_ROW
};

static const struct {
	const char	*name;
	const char	*title;
} keymaps[KEYMAP_COUNT] = {
#define KEYMAP_ROW(id, n, t) [KEYMAP_##id] = { n, t },
	KEYMAP_LIST(KEYMAP_ROW)
#undef KEYMAP_ROW
};

/* Named keys; the first name of a key is its canonical one. */
static const struct {
	const char	*name;
	int		 key;
} key_names[] = {
	{ "Enter", '\n' },
	{ "Return", '\n' },
	{ "Tab", '\t' },
	{ "S-Tab", KEY_SPECIAL + KEY_BTAB },
	{ "BackTab", KEY_SPECIAL + KEY_BTAB },
	{ "Esc", 27 },
	{ "Escape", 27 },
	{ "Space", ' ' },
	{ "Up", KEY_SPECIAL + KEY_UP },
	{ "Down", KEY_SPECIAL + KEY_DOWN },
	{ "Left", KEY_SPECIAL + KEY_LEFT },
	{ "Right", KEY_SPECIAL + KEY_RIGHT },
	{ "PgUp", KEY_SPECIAL + KEY_PPAGE },
	{ "PageUp", KEY_SPECIAL + KEY_PPAGE },
	{ "PgDn", KEY_SPECIAL + KEY_NPAGE },
	{ "PageDown", KEY_SPECIAL + KEY_NPAGE },
	{ "Home", KEY_SPECIAL + KEY_HOME },
	{ "End", KEY_SPECIAL + KEY_END },
	{ "Ins", KEY_SPECIAL + KEY_IC },
	{ "Insert", KEY_SPECIAL + KEY_IC },
	{ "Del", KEY_SPECIAL + KEY_DC },
	{ "Delete", KEY_SPECIAL + KEY_DC },
	{ "BS", KEY_SPECIAL + KEY_BACKSPACE },
	{ "Backspace", KEY_SPECIAL + KEY_BACKSPACE },
	{ "Lt", '<' },
	{ "Hash", '#' },
};

const char *
action_name(enum action act)
{
	return act < ACT_COUNT ? actions[act].name : "?";
}

const char *
action_help(enum action act)
{
	return act < ACT_COUNT ? actions[act].help : "";
}

enum action
action_find(const char *name)
{
	int	i;

	for (i = 0; i < ACT_COUNT; i++)
		if (strcmp(actions[i].name, name) == 0)
			return (enum action)i;
	return ACT_NONE;
}

const char *
keymap_title(enum keymap_id id)
{
	return keymaps[id].title;
}

int
keymap_find(const char *name)
{
	int	i;

	for (i = 0; i < KEYMAP_COUNT; i++)
		if (strcmp(keymaps[i].name, name) == 0)
			return i;
	return -1;
}

/* One UTF-8 character making up all of s, or -1. */
static int
single_char(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	int			 cp, n, i;

	if (p[0] < 0x80)
		return p[0] != '\0' && p[1] == '\0' ? p[0] : -1;
	if ((p[0] & 0xe0) == 0xc0) {
		cp = p[0] & 0x1f;
		n = 1;
	} else if ((p[0] & 0xf0) == 0xe0) {
		cp = p[0] & 0x0f;
		n = 2;
	} else if ((p[0] & 0xf8) == 0xf0) {
		cp = p[0] & 0x07;
		n = 3;
	} else
		return -1;
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	return p[n + 1] == '\0' ? cp : -1;
}

int
key_parse(const char *s)
{
	char	*inner;
	size_t	 len = strlen(s), i;
	int	 key = -1, n;

	if (len == 2 && s[0] == '^' && s[1] >= '@' && s[1] <= '~')
		return KEY_CTRL(s[1]);
	if (len < 3 || s[0] != '<' || s[len - 1] != '>')
		return single_char(s);
	inner = xstrndup(s + 1, len - 2);
	for (i = 0; i < ARRAY_SIZE(key_names); i++) {
		if (strcasecmp(inner, key_names[i].name) == 0) {
			key = key_names[i].key;
			goto out;
		}
	}
	if ((inner[0] == 'F' || inner[0] == 'f') && inner[1] != '\0') {
		char	*end;

		n = (int)strtol(inner + 1, &end, 10);
		if (*end == '\0' && n >= 1 && n <= 24)
			key = KEY_SPECIAL + KEY_F(n);
		goto out;
	}
	if ((inner[0] == 'C' || inner[0] == 'c') && inner[1] == '-' &&
	    inner[2] != '\0' && inner[3] == '\0') {
		int	c = inner[2];

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c >= '@' && c <= '~')
			key = KEY_CTRL(c);
	}
out:
	free(inner);
	return key;
}

void
key_format(struct strbuf *sb, int key)
{
	size_t	i;

	for (i = 0; i < ARRAY_SIZE(key_names); i++) {
		/* '<' and '#' read better as themselves. */
		if (key == '<' || key == '#')
			break;
		if (key_names[i].key == key) {
			strbuf_addf(sb, "<%s>", key_names[i].name);
			return;
		}
	}
	if (key >= KEY_SPECIAL + KEY_F(1) && key <= KEY_SPECIAL + KEY_F(24)) {
		strbuf_addf(sb, "<F%d>", key - KEY_SPECIAL - KEY_F(0));
		return;
	}
	if (key > 0 && key < 32) {
		strbuf_addf(sb, "<C-%c>", key + 'a' - 1);
		return;
	}
	if (key >= KEY_SPECIAL) {
		strbuf_addf(sb, "<key-%d>", key - KEY_SPECIAL);
		return;
	}
	if (key < 0x80)
		strbuf_addch(sb, key);
	else if (key < 0x800) {
		strbuf_addch(sb, 0xc0 | (key >> 6));
		strbuf_addch(sb, 0x80 | (key & 0x3f));
	} else if (key < 0x10000) {
		strbuf_addch(sb, 0xe0 | (key >> 12));
		strbuf_addch(sb, 0x80 | ((key >> 6) & 0x3f));
		strbuf_addch(sb, 0x80 | (key & 0x3f));
	} else {
		strbuf_addch(sb, 0xf0 | (key >> 18));
		strbuf_addch(sb, 0x80 | ((key >> 12) & 0x3f));
		strbuf_addch(sb, 0x80 | ((key >> 6) & 0x3f));
		strbuf_addch(sb, 0x80 | (key & 0x3f));
	}
}

struct binding {
	int		key;
	enum action	act;
};

struct keymap {
	struct {
		struct binding	*v;
		size_t		 n, alloc;
	} maps[KEYMAP_COUNT];
};

struct keymap *
keymap_new(void)
{
	return xcalloc(1, sizeof (struct keymap));
}

void
keymap_free(struct keymap *km)
{
	int	i;

	if (km == NULL)
		return;
	for (i = 0; i < KEYMAP_COUNT; i++)
		free(km->maps[i].v);
	free(km);
}

void
keymap_bind(struct keymap *km, enum keymap_id id, int key, enum action act)
{
	size_t	i;

	/* An unbound key stays in the table: it hides generic's binding. */
	for (i = 0; i < km->maps[id].n; i++) {
		if (km->maps[id].v[i].key == key) {
			km->maps[id].v[i].act = act;
			return;
		}
	}
	XGROW(km->maps[id].v, km->maps[id].alloc, km->maps[id].n + 1);
	km->maps[id].v[km->maps[id].n].key = key;
	km->maps[id].v[km->maps[id].n].act = act;
	km->maps[id].n++;
}

static const struct binding *
find(const struct keymap *km, enum keymap_id id, int key)
{
	size_t	i;

	for (i = 0; i < km->maps[id].n; i++)
		if (km->maps[id].v[i].key == key)
			return &km->maps[id].v[i];
	return NULL;
}

enum action
keymap_lookup(const struct keymap *km, enum keymap_id id, int key)
{
	const struct binding	*b;

	if ((b = find(km, id, key)) != NULL)
		return b->act;
	if (id != KEYMAP_GENERIC && (b = find(km, KEYMAP_GENERIC, key)) != NULL)
		return b->act;
	return ACT_NONE;
}

size_t
keymap_keys(const struct keymap *km, enum keymap_id id, enum action act,
    int *keys, size_t max)
{
	size_t	i, n = 0;

	for (i = 0; i < km->maps[id].n && n < max; i++)
		if (km->maps[id].v[i].act == act)
			keys[n++] = km->maps[id].v[i].key;
	return n;
}

int
keymap_first_key(const struct keymap *km, enum keymap_id id, enum action act)
{
	int	keys[1];

	if (keymap_keys(km, id, act, keys, 1) == 1)
		return keys[0];
	if (id != KEYMAP_GENERIC &&
	    keymap_keys(km, KEYMAP_GENERIC, act, keys, 1) == 1 &&
	    find(km, id, keys[0]) == NULL)
		return keys[0];
	return -1;
}

void
key_format_short(struct strbuf *sb, int key)
{
	struct strbuf	name = STRBUF_INIT;

	key_format(&name, key);
	if (name.len > 2 && name.buf[0] == '<' && name.buf[name.len - 1] == '>')
		strbuf_add(sb, name.buf + 1, name.len - 2);
	else
		strbuf_add(sb, name.buf, name.len);
	strbuf_release(&name);
}
