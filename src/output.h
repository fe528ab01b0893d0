/*
 * output.h: a run's output: raw capture, output.index, cooking, reading
 * back and following a file that another process is writing.
 *
 * On disk (Guild's format, so either tool reads the other's runs):
 *	RUN/.guild/output	the raw bytes, as the process wrote them
 *	RUN/.guild/output.index	9 bytes per line: big-endian uint64 ms
 *				since the epoch when the LF was seen,
 *				uint8 stream (always 0 under a pty); a
 *				final unterminated line gets its record
 *				when the output is closed
 *
 * What people and the scalar parser see is the "cooked" line: split on LF;
 * "\r" restarts the line (a progress bar ends up as its last state, and
 * "\r\n" is just a line end); SGR colour sequences are understood and kept
 * as style spans; every other escape sequence (CSI, OSC, DCS, SOS, PM, APC,
 * ESC x) and every control character but \t is dropped; invalid UTF-8
 * becomes U+FFFD, and C1 controls (U+0080..U+009F) are dropped. So cooked
 * text is safe to print to a terminal. A cooked line is capped at
 * OUTPUT_LINE_MAX bytes: the rest is cut and replaced by a marker, while
 * the raw file keeps every byte. Memory never grows with line length.
 */
#ifndef GUILD_OUTPUT_H
#define GUILD_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;

/* Cap on a cooked line's text, in bytes (not counting the cut marker). */
#define OUTPUT_LINE_MAX		65536

/* Style attributes (struct output_style.attrs). */
#define OUTPUT_BOLD		0x01
#define OUTPUT_DIM		0x02
#define OUTPUT_ITALIC		0x04
#define OUTPUT_UNDERLINE	0x08
#define OUTPUT_REVERSE		0x10
#define OUTPUT_STRIKE		0x20

/*
 * Colours: OUTPUT_COLOUR_DEFAULT, a palette index 0..255 (0..7 the basic
 * colours, 8..15 their bright forms), or OUTPUT_COLOUR_RGB | 0xRRGGBB.
 */
#define OUTPUT_COLOUR_DEFAULT	(-1)
#define OUTPUT_COLOUR_RGB	0x1000000

struct output_style {
	int32_t		fg;
	int32_t		bg;
	unsigned	attrs;
};

/* A run of text drawn in one non-default style: bytes [start, end). */
struct output_span {
	size_t			start;
	size_t			end;
	struct output_style	style;
};

/*
 * One cooked line. Pointers are valid only during the callback (or until
 * the next call on the object that produced the line).
 */
struct output_line {
	const char		*text;	/* UTF-8, NUL-terminated */
	size_t			 len;
	const struct output_span *spans;	/* ascending, disjoint */
	size_t			 nspans;
	uint64_t		 lineno;	/* in the file, from 0 */
	int64_t			 time_ms;	/* 0: not indexed */
	int			 stream;	/* 0 stdout/pty, 1 stderr */
	bool			 truncated;	/* at OUTPUT_LINE_MAX */
};

typedef void (*output_line_cb)(const struct output_line *, void *arg);

/*
 * Append the line's text to sb with its spans as SGR sequences that we
 * generate ourselves (never bytes from the output), ending with the
 * default style. For printing cooked output in colour to a terminal.
 */
void	output_line_render(const struct output_line *, struct strbuf *sb);

/*
 * The cooker: bytes in any chunking -> cooked lines. One per stream; it
 * keeps the colour state across lines as a terminal would. Lines are
 * numbered from 0 and carry no time or stream (the owners add those).
 */
struct output_cooker;

struct output_cooker	*output_cooker_new(output_line_cb, void *arg);
void			 output_cooker_feed(struct output_cooker *,
			    const void *buf, size_t len);
/* Deliver the final line if any bytes came after the last LF. */
void			 output_cooker_finish(struct output_cooker *);
/*
 * The line being built (bytes after the last LF, e.g. a progress bar);
 * false when there are none.
 */
bool			 output_cooker_partial(const struct output_cooker *,
			    struct output_line *);
void			 output_cooker_free(struct output_cooker *);

/*
 * The writer: capture a running operation's output into RUN_DIR/.guild/.
 *
 * Each output_feed() writes the raw bytes with one write(2), then the
 * index records of the lines it completed: nothing is held back between
 * calls, so another process following the files sees output as soon as
 * it is fed, and an index record is never visible before its line.
 * Subscribers get each cooked line (with lineno, time and stream) during
 * the output_feed() or output_close() that completes it.
 *
 * A failed write (disk full) is returned once with a cause; from then on
 * nothing more is written to disk, but lines still reach subscribers.
 */
struct output;

struct output	*output_open(const char *run_dir, char **cause);
void		 output_subscribe(struct output *, output_line_cb,
		    void *arg);
void		 output_unsubscribe(struct output *, output_line_cb,
		    void *arg);
/* stream: 0 (stdout, or everything under a pty) or 1 (stderr). */
int		 output_feed(struct output *, const void *buf, size_t len,
		    int stream, char **cause);
/* The incomplete line of a stream (see output_cooker_partial). */
bool		 output_partial(const struct output *, int stream,
		    struct output_line *);
/* Deliver and index final unterminated lines, close and free. */
int		 output_close(struct output *, char **cause);

/*
 * Read a run's whole output, cooked, pairing the n-th line with the n-th
 * index record (a missing or short index gives time 0 and stream 0). A
 * run without output has no lines. Returns the number of lines or -1.
 */
long long	 output_read(const char *run_dir, output_line_cb, void *arg,
		    char **cause);

/*
 * The follower: complete cooked lines of an output that another process
 * is writing. Each output_tail_poll() reads what was added since the last
 * one. It starts with the last `last_lines` complete lines
 * (OUTPUT_TAIL_ALL: from the beginning). The file may not exist yet. When
 * it is truncated or replaced, on_reset is called (forget earlier lines)
 * and following restarts, again from the last `last_lines` lines.
 *
 * Line numbers are exact when the start is within the first 32 MiB of the
 * file; beyond that they are estimated from the index.
 */
#define OUTPUT_TAIL_ALL		((size_t)-1)

struct output_tail_hooks {
	output_line_cb	  on_line;
	void		(*on_reset)(void *arg);	/* may be NULL */
};

struct output_tail;

struct output_tail	*output_tail_open(const char *run_dir,
			    size_t last_lines, const struct output_tail_hooks *,
			    void *arg, char **cause);
/* Returns the number of lines delivered, or -1. */
long long		 output_tail_poll(struct output_tail *, char **cause);
bool			 output_tail_partial(const struct output_tail *,
			    struct output_line *);
/* The writer has finished: deliver a final unterminated line, if any. */
void			 output_tail_finish(struct output_tail *);
void			 output_tail_free(struct output_tail *);

#endif
