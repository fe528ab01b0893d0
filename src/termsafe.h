/*
 * termsafe.h: untrusted bytes made safe to show on a terminal.
 *
 * A label, tag, comment, flag, scalar key, file name, operation name or
 * a guild.yml description can hold any bytes, and a terminal obeys some
 * of them (OSC 0 sets the title, OSC 52 the clipboard, CSI 2J clears the
 * screen). Everything the CLI prints from a run or a project to a
 * terminal goes through termsafe_add(), which shows such bytes instead:
 *
 *	ESC \e	BEL \a	BS \b	FF \f	VT \v	CR \r
 *	TAB \t	LF \n	(only with TERMSAFE_SINGLE_LINE; else as they are)
 *	any other C0 control, DEL, and every byte that is not part of a
 *	valid UTF-8 sequence (stray 0x9b, overlong forms, surrogates):
 *		\xHH (two lower-case hex digits per byte)
 *	a C1 control written as UTF-8 (U+0080..U+009F):	\u00HH
 *
 * Valid printable UTF-8 and backslashes pass unchanged, so ordinary text
 * reads as it is; the result is for people, not for parsing back.
 */
#ifndef GUILD_TERMSAFE_H
#define GUILD_TERMSAFE_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

/* A field shown on one line (a label, a table cell): \t and \n shown too. */
#define TERMSAFE_SINGLE_LINE	0x1
/*
 * More bytes follow (a file read in chunks): a UTF-8 sequence cut at the
 * end of buf is left for the next call instead of shown as invalid.
 */
#define TERMSAFE_PARTIAL	0x2

/*
 * The length of the longest prefix of buf that termsafe_add() would pass
 * unchanged (len: nothing to show differently).
 */
size_t	termsafe_span(const void *buf, size_t len, unsigned flags);
/*
 * Append buf to sb with every control and invalid byte shown as above.
 * Returns the number of bytes consumed: len, or less with
 * TERMSAFE_PARTIAL when buf ends inside a UTF-8 sequence.
 */
size_t	termsafe_add(struct strbuf *sb, const void *buf, size_t len,
	    unsigned flags);
/*
 * Whether the start of a file looks binary rather than text: a NUL byte
 * in its first TERMSAFE_BINARY_PROBE bytes (git's rule).
 */
#define TERMSAFE_BINARY_PROBE	8000
bool	termsafe_binary(const void *buf, size_t len);

#endif
