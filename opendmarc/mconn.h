/*
 * NAME
 *	mconn - one milter connection (internal to milterd)
 * SYNOPSIS
 *	void mconn_serve(int fd, int tcp, int debug, const struct milter_handlers *h);
 * DESCRIPTION
 *	Serves the milter protocol on fd until the MTA quits or the
 *	connection breaks, then calls the close handler (when connect was
 *	seen) and closes fd.  tcp tells the socket is TCP (the DATA step is
 *	then answered; see milterd.h).  Protocol errors, a packet longer
 *	than MP_MAX_DATA and a peer silent for MCONN_TIMEOUT seconds end the
 *	connection; the MTA then applies its own default action for a
 *	failed milter.
 */
#ifndef MCONN_H
#define MCONN_H

#include "milterd.h"

/* libmilter's default: Sendmail and Postfix time out well before */
#define MCONN_TIMEOUT 7210

void mconn_serve(int fd, int tcp, int debug, const struct milter_handlers *h);

#endif
