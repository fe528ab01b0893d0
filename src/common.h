/*
 * common.h: the first include of every .c file in guild.
 *
 * Brings in config.h, the feature-test macros it defines, and the few
 * attributes and macros used everywhere.
 */
#ifndef GUILD_COMMON_H
#define GUILD_COMMON_H

#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PRINTFLIKE(a, b)	__attribute__((format(printf, a, b)))
#define NORETURN		__attribute__((noreturn))
#define UNUSED			__attribute__((unused))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

#include "xmalloc.h"
#include "error.h"

#endif
