/*
 * pane-image.h: the image viewer (a picture of a run, fitted to the
 * screen, with its size in pixels and bytes; next and previous step
 * through the run's pictures), and the thumbnails the run details draw.
 * Pictures are decoded and drawn by image.h.
 */
#ifndef GUILD_UI_PANE_IMAGE_H
#define GUILD_UI_PANE_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "strvec.h"

struct pane;
struct pane_ops;
struct view;

extern const struct pane_ops	pane_image_ops;

/* Arguments of the image viewer. */
struct image_args {
	const char	*id;		/* the run */
	const char	*dir;		/* its directory; paths are relative */
	struct strvec	 paths;		/* taken */
	size_t		 at;		/* the one shown first */
};

/*
 * The pictures of a run directory (.guild aside, by name), relative
 * paths, errors first (predict's NNNNN-error.png), then in natural order.
 */
void		 run_images(const char *dir, struct strvec *out);
/* Whether a name looks like a picture we decode (by its extension). */
bool		 image_name(const char *name);
/* Open the image viewer on run id's pictures; false when it has none. */
bool		 view_images(struct view *, const char *id, const char *dir);
/*
 * A thumbnail of path in at most cols x rows, as symbols, drawn at
 * (y, x); returns the rows used (0: not a picture). The last few are
 * kept, so that redraws do not decode again.
 */
int		 draw_thumbnail(const char *path, int y, int x, int rows,
		    int cols);
/* Free the kept thumbnails (at exit). */
void		 image_thumbnails_free(void);

#endif
