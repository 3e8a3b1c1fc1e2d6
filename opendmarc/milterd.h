/*
 * NAME
 *	milterd - the milter server: listening socket, connections, protocol
 * SYNOPSIS
 *	int milterd_listen(const char *spec, int debug, char *err, size_t errlen);
 *	int milterd_chown(uid_t uid, gid_t gid, char *err, size_t errlen);
int milterd_run(const struct milter_handlers *h);
 *	int milterd_chown(uid_t uid, gid_t gid, char *err, size_t errlen);
 *	void milterd_stop(void);
 *	void milterd_close(void);
 *
 *	const char *mctx_symval(struct mctx *m, const char *name);
 *	void *mctx_getpriv(struct mctx *m);  void mctx_setpriv(struct mctx *m, void *p);
 *	int mctx_insheader(struct mctx *m, int idx, const char *name, const char *value);
 *	int mctx_chgheader(struct mctx *m, const char *name, int idx, const char *value);
 *	int mctx_setreply(struct mctx *m, const char *code, const char *esc, const char *text);
 *	int mctx_quarantine(struct mctx *m, const char *reason);
 *	int mctx_addrcpt(struct mctx *m, const char *rcpt);
 * DESCRIPTION
 *	Speaks the server side of the milter protocol (versions 2 to 6) to
 *	Postfix, Sendmail and any other milter client, in place of
 *	libmilter.  Why our own: libmilter reads each packet with a poll()
 *	and two read()s and answers every step the MTA lets it skip; measured
 *	(make bench-milter) about 90% of a DMARC filter's CPU went to those
 *	system calls.  Here a connection reads whatever the MTA has sent in
 *	one read(), handles every whole packet in it, and writes its replies
 *	in one write() just before it would wait for more.  It also asks the
 *	MTA (protocol version 6) not to send the steps the filter never uses
 *	(RCPT, end of header, unknown commands, the body unless wants_body()
 *	says so) and not to wait for answers it does not need: none to
 *	header fields, and over a unix socket none to HELO, MAIL, DATA and
 *	body chunks either (over TCP each answer carries the ACK that the
 *	MTA's next write waits for under Nagle; see mconn.c).  A decision taken in a step the
 *	MTA does not wait for (ACCEPT after MAIL of an authenticated client)
 *	is kept and given at the next step it does wait for.  With an MTA
 *	that offers none of this, every step is answered as libmilter would.
 *
 *	milterd_listen() opens the socket: "unix:PATH", "local:PATH" or a
 *	bare "/PATH" (an old socket at PATH is removed first), "inet:PORT",
 *	"inet:PORT@HOST", "inet6:PORT[@HOST]"; HOST is a name or an address,
 *	optionally in brackets.  TCP sockets get TCP_NODELAY.  debug is
 *	MilterDebug: 1 and up logs protocol errors and connections, 6 and up
 *	traces every command ("got cmd 'X' len N") on standard error.
 *
 *	milterd_chown() gives a unix socket's file to the user and group the
 *	filter will run as (UserID), so that the socket is theirs as if they
 *	had created it; for a TCP socket it does nothing.
 *
 *	milterd_run() serves connections until milterd_stop(), calling h:
 *	worker threads wait in accept() themselves and each serves one
 *	connection at a time, and are kept for the next one (one always
 *	waits; at most 4 idle ones are kept, so a burst's threads and
 *	their stacks do not stay).  It returns 0 after a stop
 *	and -1 when accept() fails for good.  milterd_stop() may be called from any
 *	thread.  milterd_close() closes the listener and removes a unix
 *	socket's file.
 *
 *	The mctx_* functions are for the handlers: the macros the MTA sent
 *	for this connection and message, a private pointer per connection,
 *	and, from the eom handler only and when the MTA granted the action,
 *	the changes to the message; each returns 0 or -1.
 */
#ifndef MILTERD_H
#define MILTERD_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

struct mctx;

enum mstat {
	MS_CONTINUE,
	MS_ACCEPT,
	MS_REJECT,
	MS_TEMPFAIL,
};

struct milter_handlers {
	enum mstat (*connect)(struct mctx *m, const char *host, const struct sockaddr *sa);
	void (*helo)(struct mctx *m, const char *name);
	enum mstat (*envfrom)(struct mctx *m, const char **argv, size_t argc);
	void (*header)(struct mctx *m, const char *name, const char *value);
	void (*body)(struct mctx *m, const unsigned char *chunk, size_t len);
	enum mstat (*eom)(struct mctx *m);
	void (*abort)(struct mctx *m);
	void (*close)(struct mctx *m);
	int (*wants_body)(void);
};

int milterd_listen(const char *spec, int debug, char *err, size_t errlen);
int milterd_chown(uid_t uid, gid_t gid, char *err, size_t errlen);
int milterd_run(const struct milter_handlers *h);
void milterd_stop(void);
void milterd_close(void);

const char *mctx_symval(struct mctx *m, const char *name);
void *mctx_getpriv(struct mctx *m);
void mctx_setpriv(struct mctx *m, void *p);
int mctx_insheader(struct mctx *m, int idx, const char *name, const char *value);
int mctx_chgheader(struct mctx *m, const char *name, int idx, const char *value);
int mctx_setreply(struct mctx *m, const char *code, const char *esc, const char *text);
int mctx_quarantine(struct mctx *m, const char *reason);
int mctx_addrcpt(struct mctx *m, const char *rcpt);

#endif
