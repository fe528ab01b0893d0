/*
 * tfevents.h: TensorFlow event files, so that TensorBoard can show the
 * scalars guild logged from a run's output, and so that scalars written by
 * Guild AI or by a training script can be read back.
 *
 * A file is a sequence of TFRecords:
 *	uint64 length (little-endian), uint32 masked CRC-32C of the length,
 *	length bytes of payload, uint32 masked CRC-32C of the payload
 * Each payload is an Event protocol buffer; the subset used here:
 *	Event   { double wall_time = 1; int64 step = 2;
 *		  string file_version = 3; Summary summary = 5; }
 *	Summary { repeated Value value = 1; }
 *	Value   { string tag = 1; float simple_value = 2;
 *		  TensorProto tensor = 8; }
 *	TensorProto { DataType dtype = 1; TensorShapeProto tensor_shape = 2;
 *		  bytes tensor_content = 4; repeated float float_val = 5;
 *		  repeated double double_val = 6; }
 * Scalars are simple_values (TF1, PyTorch, Guild AI) or float or double
 * tensors of one element (TF2's summaries, plugin "scalars").
 * The first event of a file written here carries file_version
 * "brain.Event:2", as TensorFlow's writers do. TensorBoard only reads files
 * whose name contains "tfevents"; tfevents_file_name() gives one.
 */
#ifndef GUILD_TFEVENTS_H
#define GUILD_TFEVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TFEVENTS_FILE_VERSION	"brain.Event:2"

/* CRC-32C (Castagnoli) of buf, and TFRecord's masked form of a CRC. */
uint32_t	 tfevents_crc32c(const void *buf, size_t len);
uint32_t	 tfevents_mask_crc(uint32_t crc);

/* "events.out.tfevents.<seconds>.<suffix>"; caller frees. */
char		*tfevents_file_name(double wall_time, const char *suffix);

struct tfevents;

/*
 * Create (or truncate) path and write the file_version event. Records are
 * written with one write(2) each, so a reader never sees half a record
 * unless the disk fills.
 */
struct tfevents	*tfevents_create(const char *path, double wall_time,
		    char **cause);
/* One scalar (a Summary with one simple_value) as its own event. */
int		 tfevents_add_scalar(struct tfevents *, double wall_time,
		    long long step, const char *tag, float value,
		    char **cause);
/*
 * One text (a Summary with one text tensor, tag "TAG/text_summary",
 * plugin "text"), as Guild 0.9 logs an attr (summary.py add_text).
 */
int		 tfevents_add_text(struct tfevents *, double wall_time,
		    long long step, const char *tag, const char *text,
		    char **cause);
/* Close and free; -1 with cause when the last writes failed. */
int		 tfevents_close(struct tfevents *, char **cause);

/* What tfevents_read() reports, one call per event. */
struct tfevents_event {
	double		 wall_time;
	long long	 step;
	const char	*file_version;	/* or NULL */
	/* The scalar values of the event's summary, in order. */
	size_t		 nvalues;
	const char	*const *tags;
	const double	*values;
	/* Its text values (DT_STRING tensors), "/text_summary" cut. */
	size_t		 ntexts;
	const char	*const *text_tags;
	const char	*const *texts;
};

typedef int (*tfevents_cb)(const struct tfevents_event *, void *arg);

/*
 * Read every record of an event file, checking both CRCs; summary values
 * that are not scalars (images, histograms, text, ...) are skipped. A
 * truncated last record (a writer still at work) ends the file quietly;
 * a CRC mismatch or a malformed event is an error. The callback returns
 * 0 to go on, or -1 to stop (tfevents_read then returns -1 without a
 * cause). Returns the number of events read, or -1.
 */
long long	 tfevents_read(const char *path, tfevents_cb, void *arg,
		    char **cause);
/*
 * The same from byte offset start (where an earlier read stopped), so a
 * growing file is read once. *end (may be NULL) gets the offset past the
 * last whole record read: where to go on from, also when damage stops the
 * read (the events before it were reported).
 */
long long	 tfevents_read_from(const char *path, uint64_t start,
		    tfevents_cb, void *arg, uint64_t *end, char **cause);

#endif
