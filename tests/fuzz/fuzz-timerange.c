/*
 * fuzz-timerange.c: libFuzzer target for time range specs (-Fs).
 *
 * The first four bytes choose the reference time (any second from 1970
 * to 2106), the rest is the spec, in a zone with daylight saving time.
 * A spec parses or fails with a cause; a range that has both ends never
 * ends before it starts, and holds its start.
 */
#include "common.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"
#include "timerange.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct timerange	 tr;
	time_t			 ref = 1700000000;	/* 2023-11-14 */
	char			*spec, *cause = NULL;

	if (size >= 4) {
		ref = (time_t)((uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 |
		    (uint32_t)data[2] << 8 | data[3]);
		data += 4;
		size -= 4;
	}
	spec = fuzz_cstr(data, size);
	if (timerange_parse(spec, ref, &tr, &cause) == -1) {
		FUZZ_ASSERT(cause != NULL && *cause != '\0');
		free(cause);
	} else {
		FUZZ_ASSERT(cause == NULL);
		FUZZ_ASSERT(tr.has_start || tr.has_end);
		if (tr.has_start && tr.has_end) {
			FUZZ_ASSERT(tr.start <= tr.end);
			if (tr.start < tr.end)
				FUZZ_ASSERT(timerange_contains(&tr, tr.start));
		}
		if (tr.has_end)
			FUZZ_ASSERT(!timerange_contains(&tr, tr.end));
	}
	free(spec);
	return 0;
}
