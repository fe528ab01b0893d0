/* filterexpr.c: run filter expressions (see filterexpr.h). */
#include "common.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filterexpr.h"
#include "strbuf.h"
#include "value.h"

enum tok_type {
	T_END,
	T_LPAREN,
	T_RPAREN,
	T_LBRACKET,
	T_RBRACKET,
	T_COMMA,
	T_EQ,
	T_NEQ,
	T_LT,
	T_LTE,
	T_GT,
	T_GTE,
	T_ID,
	T_NUMBER,
	T_STRING,
	T_AND,
	T_OR,
	T_NOT,
	T_IN,
	T_IS,
	T_CONTAINS,
	T_TRUE,
	T_FALSE,
	T_UNDEFINED,
};

static const struct {
	const char	*word;
	enum tok_type	 type;
} keywords[] = {
	{ "and", T_AND },
	{ "or", T_OR },
	{ "not", T_NOT },
	{ "in", T_IN },
	{ "is", T_IS },
	{ "contains", T_CONTAINS },
	{ "true", T_TRUE },
	{ "false", T_FALSE },
	{ "undefined", T_UNDEFINED },
};

struct tok {
	enum tok_type	 type;
	size_t		 pos, len;
	char		*text;		/* T_ID, T_STRING: the (decoded) text */
};

enum node_type {
	N_TERM,		/* a constant, tested for truth */
	N_CMP,		/* name OP term */
	N_IN,		/* name [not] in list */
	N_CONTAINS,	/* name [not] contains term */
	N_AND,
	N_OR,
	N_NOT,
};

enum cmp {
	CMP_EQ,
	CMP_NE,
	CMP_LT,
	CMP_LE,
	CMP_GT,
	CMP_GE,
};

struct node {
	enum node_type		 type;
	struct node		*a, *b;
	struct value		*term;
	enum cmp		 cmp;
	bool			 negate;
	enum filterexpr_source	 src;
	char			*name;
	char			*needle;	/* contains: str(term), lowercase */
};

struct filterexpr {
	struct node	*root;
};

/*
 * Parentheses, "not" and lists nest at most this deep: the parser and the
 * evaluator recurse, and a command-line argument (128 KiB) of "(((" would
 * otherwise overflow the stack.
 */
#define FILTEREXPR_DEPTH_MAX	100

struct parser {
	const char	*text;
	struct tok	*toks;
	size_t		 ntoks, alloc, at;
	char		**cause;
	bool		 failed;
	unsigned	 depth;
};

static bool	too_deep(struct parser *);

/* Errors: the message, then the expression with a caret under pos. */
static void
syntax_error(struct parser *p, size_t pos, const char *fmt, ...)
    PRINTFLIKE(3, 4);

static void
syntax_error(struct parser *p, size_t pos, const char *fmt, ...)
{
	struct strbuf	 sb = STRBUF_INIT;
	va_list		 ap;
	const char	*s;
	size_t		 col = 0, i;

	if (p->failed)
		return;
	p->failed = true;
	/* Columns count characters, not the bytes of UTF-8 sequences. */
	for (i = 0; i < pos && p->text[i] != '\0'; i++) {
		if (((unsigned char)p->text[i] & 0xc0) != 0x80)
			col++;
	}
	strbuf_addf(&sb, "syntax error in filter at column %zu: ", col + 1);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strbuf_addstr(&sb, "\n  ");
	for (s = p->text; *s != '\0'; s++)
		strbuf_addch(&sb, *s == '\n' || *s == '\t' ? ' ' : *s);
	strbuf_addstr(&sb, "\n  ");
	strbuf_addchars(&sb, ' ', col);
	strbuf_addch(&sb, '^');
	set_cause(p->cause, "%s", sb.buf);
	strbuf_release(&sb);
}

/* Enter one more level of nesting; false (and an error) past the limit. */
static bool
too_deep(struct parser *p)
{
	if (p->depth >= FILTEREXPR_DEPTH_MAX) {
		syntax_error(p, p->toks[p->at].pos, "nesting deeper than %d levels",
		    FILTEREXPR_DEPTH_MAX);
		return true;
	}
	p->depth++;
	return false;
}

static void
unexpected(struct parser *p, const struct tok *t)
{
	if (t->type == T_END)
		syntax_error(p, t->pos, "unexpected end of expression");
	else
		syntax_error(p, t->pos, "unexpected '%.*s'", (int)t->len,
		    p->text + t->pos);
}

/* Guild's NUMBER: -?\.?\d+(\.\d+)?(e[+-]?\d+)?; returns its length. */
static size_t
number_len(const char *s)
{
	const char	*p = s, *q;

	if (*p == '-')
		p++;
	if (*p == '.')
		p++;
	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.' && isdigit((unsigned char)p[1])) {
		p++;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'e') {
		q = p + 1;
		if (*q == '+' || *q == '-')
			q++;
		if (isdigit((unsigned char)*q)) {
			while (isdigit((unsigned char)*q))
				q++;
			p = q;
		}
	}
	return (size_t)(p - s);
}

/* A character that ends an identifier (Guild: [^ ,<>!=\n()\[\]]). */
static bool
id_stop(char c)
{
	return c == '\0' || strchr(" \t\n,<>!=()[]", c) != NULL;
}

static int
lex_string(struct parser *p, size_t i, struct tok *t)
{
	const char	*s = p->text;
	char		 q = s[i];
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 j = i + 1;

	for (;;) {
		if (s[j] == '\0' || s[j] == '\n') {
			strbuf_release(&sb);
			syntax_error(p, i, "unclosed quote %c", q);
			return -1;
		}
		if (s[j] == q)
			break;
		if (s[j] == '\\' && s[j + 1] != '\0' && s[j + 1] != '\n') {
			j++;
			if (q == '\'') {
				/* YAML single quotes keep backslashes. */
				strbuf_addch(&sb, '\\');
				strbuf_addch(&sb, s[j]);
			} else if (s[j] == 'n')
				strbuf_addch(&sb, '\n');
			else if (s[j] == 't')
				strbuf_addch(&sb, '\t');
			else
				strbuf_addch(&sb, s[j]);
		} else
			strbuf_addch(&sb, s[j]);
		j++;
	}
	t->type = T_STRING;
	t->len = j + 1 - i;
	t->text = strbuf_detach(&sb, NULL);
	return 0;
}

static int
lex(struct parser *p)
{
	static const struct {
		const char	*s;
		enum tok_type	 type;
	} ops[] = {
		{ "(", T_LPAREN }, { ")", T_RPAREN }, { "[", T_LBRACKET },
		{ "]", T_RBRACKET }, { "<>", T_NEQ }, { "!=", T_NEQ },
		{ "=", T_EQ }, { "<=", T_LTE }, { "<", T_LT }, { ">=", T_GTE },
		{ ">", T_GT }, { ",", T_COMMA },
	};
	const char	*s = p->text;
	size_t		 i = 0, j, k, n;
	struct tok	*t;

	for (;;) {
		while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')
			i++;
		XGROW(p->toks, p->alloc, p->ntoks + 1);
		t = &p->toks[p->ntoks];
		memset(t, 0, sizeof *t);
		t->pos = i;
		if (s[i] == '\0') {
			t->type = T_END;
			p->ntoks++;
			return 0;
		}
		for (k = 0; k < ARRAY_SIZE(ops); k++) {
			n = strlen(ops[k].s);
			if (strncmp(s + i, ops[k].s, n) == 0)
				break;
		}
		if (k < ARRAY_SIZE(ops)) {
			t->type = ops[k].type;
			t->len = n;
		} else if (isalpha((unsigned char)s[i])) {
			for (j = i + 1; !id_stop(s[j]); j++)
				;
			t->type = T_ID;
			t->len = j - i;
			for (k = 0; k < ARRAY_SIZE(keywords); k++) {
				if (strlen(keywords[k].word) == t->len &&
				    strncasecmp(keywords[k].word, s + i,
				    t->len) == 0) {
					t->type = keywords[k].type;
					break;
				}
			}
			if (t->type == T_ID)
				t->text = xstrndup(s + i, t->len);
		} else if ((n = number_len(s + i)) > 0) {
			t->type = T_NUMBER;
			t->len = n;
			t->text = xstrndup(s + i, n);
		} else if (s[i] == '\'' || s[i] == '"') {
			if (lex_string(p, i, t) == -1)
				return -1;
		} else {
			/* The whole character, not one byte of UTF-8. */
			for (n = 1; ((unsigned char)s[i + n] & 0xc0) == 0x80;
			    n++)
				;
			syntax_error(p, i, "unexpected character '%.*s'",
			    (int)n, s + i);
			return -1;
		}
		i += t->len;
		p->ntoks++;
	}
}

static struct tok *
peek(struct parser *p)
{
	return &p->toks[p->at];
}

static struct tok *
advance(struct parser *p)
{
	struct tok	*t = &p->toks[p->at];

	if (t->type != T_END)
		p->at++;
	return t;
}

static void
node_free(struct node *n)
{
	if (n == NULL)
		return;
	node_free(n->a);
	node_free(n->b);
	value_free(n->term);
	free(n->name);
	free(n->needle);
	free(n);
}

static struct node *
node_new(enum node_type type)
{
	struct node	*n = xcalloc(1, sizeof *n);

	n->type = type;
	return n;
}

static struct value	*parse_term(struct parser *);
static void		 lower(char *);

static struct value *
parse_list(struct parser *p)
{
	struct tok	*open = advance(p), *t;
	enum tok_type	 close = open->type == T_LPAREN ? T_RPAREN : T_RBRACKET;
	struct value	*list, *item;

	if (too_deep(p))
		return NULL;
	list = value_list();
	if (peek(p)->type == close) {
		advance(p);
		p->depth--;
		return list;
	}
	for (;;) {
		if ((item = parse_term(p)) == NULL)
			break;
		value_list_push(list, item);
		t = advance(p);
		if (t->type == close) {
			p->depth--;
			return list;
		}
		if (t->type != T_COMMA) {
			unexpected(p, t);
			break;
		}
	}
	value_free(list);
	return NULL;
}

static struct value *
parse_term(struct parser *p)
{
	struct tok	*t = peek(p);

	switch (t->type) {
	case T_NUMBER:
		advance(p);
		return value_from_plain_scalar(t->text, strlen(t->text));
	case T_STRING:
	case T_ID:
		advance(p);
		return value_string(t->text);
	case T_TRUE:
		advance(p);
		return value_bool(true);
	case T_FALSE:
		advance(p);
		return value_bool(false);
	case T_UNDEFINED:
		advance(p);
		return value_null();
	case T_LBRACKET:
		return parse_list(p);
	default:
		unexpected(p, t);
		return NULL;
	}
}

/* NAME followed by a test, or NULL (with p->failed unset) when not. */
static struct node *
parse_test(struct parser *p)
{
	struct tok	*id = peek(p), *t = &p->toks[p->at + 1];
	struct node	*n;
	bool		 negate = false;
	static const struct {
		const char		*prefix;
		enum filterexpr_source	 src;
	} prefixes[] = {
		{ "attr:", FILTEREXPR_ATTR },
		{ "flag:", FILTEREXPR_FLAG },
		{ "scalar:", FILTEREXPR_SCALAR },
	};
	size_t		 i;

	switch (t->type) {
	case T_EQ:
	case T_NEQ:
	case T_LT:
	case T_LTE:
	case T_GT:
	case T_GTE:
	case T_IS:
	case T_IN:
	case T_CONTAINS:
	case T_NOT:
		break;
	default:
		return NULL;
	}
	advance(p);
	advance(p);
	n = node_new(N_CMP);
	n->src = FILTEREXPR_ANY;
	n->name = xstrdup(id->text);
	for (i = 0; i < ARRAY_SIZE(prefixes); i++) {
		if (strncmp(id->text, prefixes[i].prefix,
		    strlen(prefixes[i].prefix)) == 0) {
			n->src = prefixes[i].src;
			free(n->name);
			n->name = xstrdup(id->text + strlen(prefixes[i].prefix));
			break;
		}
	}
	switch (t->type) {
	case T_EQ:
		n->cmp = CMP_EQ;
		break;
	case T_NEQ:
		n->cmp = CMP_NE;
		break;
	case T_LT:
		n->cmp = CMP_LT;
		break;
	case T_LTE:
		n->cmp = CMP_LE;
		break;
	case T_GT:
		n->cmp = CMP_GT;
		break;
	case T_GTE:
		n->cmp = CMP_GE;
		break;
	case T_IS:
		n->cmp = CMP_EQ;
		if (peek(p)->type == T_NOT) {
			advance(p);
			n->cmp = CMP_NE;
		}
		break;
	case T_NOT:
		negate = true;
		t = advance(p);
		if (t->type != T_IN && t->type != T_CONTAINS) {
			unexpected(p, t);
			node_free(n);
			return NULL;
		}
		/* FALLTHROUGH */
	case T_IN:
	case T_CONTAINS:
		n->type = t->type == T_IN ? N_IN : N_CONTAINS;
		n->negate = negate;
		if (n->type == N_IN && peek(p)->type != T_LBRACKET &&
		    peek(p)->type != T_LPAREN) {
			unexpected(p, peek(p));
			node_free(n);
			return NULL;
		}
		if (n->type == N_IN)
			n->term = parse_list(p);
		else
			n->term = parse_term(p);
		if (n->term == NULL) {
			node_free(n);
			return NULL;
		}
		if (n->type == N_CONTAINS) {
			struct strbuf	sb = STRBUF_INIT;

			value_format_py(&sb, n->term, false);
			lower(sb.buf);
			n->needle = strbuf_detach(&sb, NULL);
		}
		return n;
	default:
		break;
	}
	if ((n->term = parse_term(p)) == NULL) {
		node_free(n);
		return NULL;
	}
	return n;
}

static struct node	*parse_or(struct parser *);

static struct node *
parse_primary(struct parser *p)
{
	struct tok	*t = peek(p);
	struct node	*n, *operand;

	if (t->type == T_NOT) {
		if (too_deep(p))
			return NULL;
		advance(p);
		if ((operand = parse_primary(p)) == NULL)
			return NULL;
		p->depth--;
		n = node_new(N_NOT);
		n->a = operand;
		return n;
	}
	if (t->type == T_LPAREN) {
		if (too_deep(p))
			return NULL;
		advance(p);
		if ((n = parse_or(p)) == NULL)
			return NULL;
		if ((t = advance(p))->type != T_RPAREN) {
			unexpected(p, t);
			node_free(n);
			return NULL;
		}
		p->depth--;
		return n;
	}
	if (t->type == T_ID) {
		if ((n = parse_test(p)) != NULL || p->failed)
			return n;
	}
	n = node_new(N_TERM);
	if ((n->term = parse_term(p)) == NULL) {
		node_free(n);
		return NULL;
	}
	return n;
}

static struct node *
parse_binary(struct parser *p, enum tok_type op, enum node_type type,
    struct node *(*operand)(struct parser *))
{
	struct node	*left, *right, *n;

	if ((left = operand(p)) == NULL)
		return NULL;
	while (peek(p)->type == op) {
		advance(p);
		if ((right = operand(p)) == NULL) {
			node_free(left);
			return NULL;
		}
		n = node_new(type);
		n->a = left;
		n->b = right;
		left = n;
	}
	return left;
}

static struct node *
parse_and(struct parser *p)
{
	return parse_binary(p, T_AND, N_AND, parse_primary);
}

static struct node *
parse_or(struct parser *p)
{
	return parse_binary(p, T_OR, N_OR, parse_and);
}

struct filterexpr *
filterexpr_parse(const char *text, char **cause)
{
	struct parser		 p;
	struct filterexpr	*fx = NULL;
	struct node		*root = NULL;
	struct tok		*t;
	size_t			 i;

	memset(&p, 0, sizeof p);
	p.text = text;
	p.cause = cause;
	if (lex(&p) == 0) {
		if ((root = parse_or(&p)) != NULL &&
		    (t = peek(&p))->type != T_END) {
			unexpected(&p, t);
			node_free(root);
			root = NULL;
		}
	}
	if (root != NULL) {
		fx = xcalloc(1, sizeof *fx);
		fx->root = root;
	} else if (!p.failed)
		set_cause(cause, "invalid filter");
	for (i = 0; i < p.ntoks; i++)
		free(p.toks[i].text);
	free(p.toks);
	return fx;
}

void
filterexpr_free(struct filterexpr *fx)
{
	if (fx == NULL)
		return;
	node_free(fx->root);
	free(fx);
}

static void
names(const struct node *n, void (*fn)(enum filterexpr_source, const char *,
    void *), void *arg)
{
	if (n == NULL)
		return;
	if (n->name != NULL)
		fn(n->src, n->name, arg);
	names(n->a, fn, arg);
	names(n->b, fn, arg);
}

void
filterexpr_names(const struct filterexpr *fx,
    void (*fn)(enum filterexpr_source, const char *, void *), void *arg)
{
	names(fx->root, fn, arg);
}

/* Evaluation, with Python's semantics. */

static bool
is_number(const struct value *v)
{
	return v != NULL && (v->type == VALUE_BOOL || v->type == VALUE_INT ||
	    v->type == VALUE_FLOAT);
}

static bool
is_int(const struct value *v)
{
	return v->type == VALUE_BOOL || v->type == VALUE_INT;
}

static long long
int_of(const struct value *v)
{
	return v->type == VALUE_BOOL ? (long long)v->u.b : v->u.i;
}

static double
double_of(const struct value *v)
{
	if (v->type == VALUE_FLOAT)
		return v->u.f;
	return (double)int_of(v);
}

static bool
is_null(const struct value *v)
{
	return v == NULL || v->type == VALUE_NULL;
}

bool
filterexpr_truth(const struct value *v)
{
	if (v == NULL)
		return false;
	switch (v->type) {
	case VALUE_NULL:
		return false;
	case VALUE_BOOL:
		return v->u.b;
	case VALUE_INT:
		return v->u.i != 0;
	case VALUE_FLOAT:
		return v->u.f != 0.0;
	case VALUE_STRING:
		return *v->u.s != '\0';
	case VALUE_LIST:
		return v->u.list.n > 0;
	case VALUE_MAP:
		return v->u.map.n > 0;
	}
	return false;
}

static bool
equal(const struct value *a, const struct value *b)
{
	size_t	i;

	if (is_null(a) || is_null(b))
		return is_null(a) && is_null(b);
	if (is_number(a) && is_number(b)) {
		if (is_int(a) && is_int(b))
			return int_of(a) == int_of(b);
		return double_of(a) == double_of(b);
	}
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case VALUE_STRING:
		return strcmp(a->u.s, b->u.s) == 0;
	case VALUE_LIST:
		if (a->u.list.n != b->u.list.n)
			return false;
		for (i = 0; i < a->u.list.n; i++) {
			if (!equal(a->u.list.v[i], b->u.list.v[i]))
				return false;
		}
		return true;
	default:
		return value_equal(a, b);
	}
}

/* a OP b for an order: false when the types do not order (TypeError). */
static bool
ordered(const struct value *a, const struct value *b, enum cmp op)
{
	int	c;
	size_t	i, n;

	if (is_null(a) || is_null(b))
		return false;
	if (is_number(a) && is_number(b)) {
		if (is_int(a) && is_int(b)) {
			long long	x = int_of(a), y = int_of(b);

			c = x < y ? -1 : x > y;
		} else {
			double	x = double_of(a), y = double_of(b);

			/* NaN is neither less nor greater nor equal. */
			switch (op) {
			case CMP_LT:
				return x < y;
			case CMP_LE:
				return x <= y;
			case CMP_GT:
				return x > y;
			case CMP_GE:
				return x >= y;
			default:
				return false;
			}
		}
	} else if (a->type == VALUE_STRING && b->type == VALUE_STRING) {
		c = strcmp(a->u.s, b->u.s);
	} else if (a->type == VALUE_LIST && b->type == VALUE_LIST) {
		n = a->u.list.n < b->u.list.n ? a->u.list.n : b->u.list.n;
		for (i = 0; i < n; i++) {
			if (!equal(a->u.list.v[i], b->u.list.v[i]))
				return ordered(a->u.list.v[i], b->u.list.v[i],
				    op);
		}
		c = a->u.list.n < b->u.list.n ? -1 : a->u.list.n > b->u.list.n;
	} else
		return false;
	switch (op) {
	case CMP_LT:
		return c < 0;
	case CMP_LE:
		return c <= 0;
	case CMP_GT:
		return c > 0;
	case CMP_GE:
		return c >= 0;
	default:
		return false;
	}
}

static void
lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

static bool
list_has(const struct value *list, const struct value *item)
{
	size_t	i;

	for (i = 0; i < list->u.list.n; i++) {
		if (equal(list->u.list.v[i], item))
			return true;
	}
	return false;
}

static bool
contains(const struct value *v, const struct value *t, const char *needle)
{
	struct strbuf	a = STRBUF_INIT;
	size_t		i;
	bool		r;

	if (v->type == VALUE_LIST) {
		if (t != NULL && t->type == VALUE_LIST) {
			for (i = 0; i < t->u.list.n; i++) {
				if (!list_has(v, t->u.list.v[i]))
					return false;
			}
			return true;
		}
		return list_has(v, t);
	}
	/* The common case, a string, needs no copy. */
	if (v->type == VALUE_STRING)
		return strcasestr(v->u.s, needle) != NULL;
	value_format_py(&a, v, false);
	lower(a.buf);
	r = strstr(a.buf, needle) != NULL;
	strbuf_release(&a);
	return r;
}

static bool
eval(const struct node *n, filterexpr_lookup_fn fn, void *arg)
{
	const struct value	*v;
	struct value		*owned = NULL;
	bool			 r;

	switch (n->type) {
	case N_TERM:
		return filterexpr_truth(n->term);
	case N_AND:
		return eval(n->a, fn, arg) && eval(n->b, fn, arg);
	case N_OR:
		return eval(n->a, fn, arg) || eval(n->b, fn, arg);
	case N_NOT:
		return !eval(n->a, fn, arg);
	default:
		break;
	}
	v = fn(n->src, n->name, arg, &owned);
	switch (n->type) {
	case N_CMP:
		if (n->cmp == CMP_EQ)
			r = equal(v, n->term);
		else if (n->cmp == CMP_NE)
			r = !equal(v, n->term);
		else
			r = ordered(v, n->term, n->cmp);
		break;
	case N_IN:
		r = list_has(n->term, v);
		if (n->negate)
			r = !r;
		break;
	case N_CONTAINS:
		r = filterexpr_truth(v) && contains(v, n->term, n->needle);
		if (n->negate)
			r = !r;
		break;
	default:
		r = false;
		break;
	}
	value_free(owned);
	return r;
}

bool
filterexpr_eval(const struct filterexpr *fx, filterexpr_lookup_fn fn,
    void *arg)
{
	return eval(fx->root, fn, arg);
}
