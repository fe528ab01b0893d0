/*
 * layout.h: drawing the whole screen from the view's state, from
 * scratch: panes are placed (the left column models over operations,
 * the right one runs over output; the focused pane alone when zoomed;
 * full-screen views over them and boxes centred), then drawn, then the
 * title and status lines. A terminal too small for that gets a message
 * saying how big it must be.
 */
#ifndef GUILD_UI_LAYOUT_H
#define GUILD_UI_LAYOUT_H

struct view;

/* Place the panes for the terminal's size (and say if too small). */
void	view_layout(struct view *);
/*
 * The side panes: wider (step > 0), narrower (step < 0, down to hidden),
 * or (step 0) moved on: left, right, hidden, left again.
 */
void	view_side(struct view *, int step);
/* Draw now (the redraw timer, resizes, benchmarks); counts v->draws. */
void	view_draw(struct view *);

#endif
