/*
 * utf8.h: UTF-8 text measured in terminal columns. Invalid bytes count
 * as one U+FFFD each, so any bytes (run output, file names) measure and
 * draw without surprises. No curses here.
 */
#ifndef GUILD_UI_UTF8_H
#define GUILD_UI_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* The terminal takes UTF-8 (set at start-up); else every cell is 1. */
extern bool	display_utf8;

/* Decode one UTF-8 character; invalid bytes give U+FFFD, one byte. */
size_t		 utf8_decode(const char *s, size_t len, int *cp);
/* Columns of text as drawn (tabs to the next multiple of 8). */
int		 text_width(const char *s, size_t len);
/* Bytes of s that fit in w columns. */
size_t		 text_fit(const char *s, size_t len, int w);

#endif
