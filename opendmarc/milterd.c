/*
 * milterd - the listening socket and a thread per milter connection.
 * See milterd.h; the protocol itself is in mconn.c.
 */
#include "milterd.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "dmlog.h"
#include "mconn.h"
#include "xalloc.h"

static int listen_fd = -1;
static int listen_tcp;
static int debug_level;
static char *unix_path; /* to remove on close */
static atomic_int stopping;

struct spec {
	int family; /* AF_UNIX, AF_INET, AF_INET6 */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char port[64];
	char host[256]; /* "" = any address */
};

/* "unix:P" "local:P" "/P" "inet:PORT[@HOST]" "inet6:PORT[@HOST]" */
static int parse_spec(const char *s, struct spec *sp, char *err, size_t errlen)
{
	const char *rest, *at;
	size_t hl;

	memset(sp, 0, sizeof *sp);
	if (strncasecmp(s, "unix:", 5) == 0 || strncasecmp(s, "local:", 6) == 0 || s[0] == '/') {
		rest = s[0] == '/' ? s : strchr(s, ':') + 1;
		if (*rest == '\0' || strlen(rest) >= sizeof sp->path) {
			snprintf(err, errlen, "%s: bad or too long socket path", s);
			return -1;
		}
		sp->family = AF_UNIX;
		strcpy(sp->path, rest);
		return 0;
	}
	if (strncasecmp(s, "inet:", 5) == 0) {
		sp->family = AF_INET;
		rest = s + 5;
	} else if (strncasecmp(s, "inet6:", 6) == 0) {
		sp->family = AF_INET6;
		rest = s + 6;
	} else {
		snprintf(err, errlen, "%s: unknown socket type (unix:, local:, inet:, inet6:)", s);
		return -1;
	}
	at = strchr(rest, '@');
	if (at == NULL)
		at = rest + strlen(rest);
	if (at == rest || (size_t)(at - rest) >= sizeof sp->port) {
		snprintf(err, errlen, "%s: no port", s);
		return -1;
	}
	memcpy(sp->port, rest, (size_t)(at - rest));
	if (*at == '@') {
		const char *h = at + 1;

		hl = strlen(h);
		if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
			h++;
			hl -= 2;
		}
		if (hl == 0 || hl >= sizeof sp->host) {
			snprintf(err, errlen, "%s: bad host", s);
			return -1;
		}
		memcpy(sp->host, h, hl);
	}
	return 0;
}

static int listen_unix(const struct spec *sp, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, sp->path);
	/* an old socket left by a filter that died; never any other file */
	if (lstat(sp->path, &st) == 0 && S_ISSOCK(st.st_mode))
		(void)unlink(sp->path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof sun) != 0 ||
	    listen(fd, SOMAXCONN) != 0) {
		snprintf(err, errlen, "%s: %s", sp->path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	unix_path = xstrdup(sp->path);
	return fd;
}

static int listen_inet(const struct spec *sp, char *err, size_t errlen)
{
	struct addrinfo hints, *ai = NULL;
	int fd, rc, one = 1;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = sp->family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	rc = getaddrinfo(sp->host[0] ? sp->host : NULL, sp->port, &hints, &ai);
	if (rc != 0) {
		snprintf(err, errlen, "%s port %s: %s", sp->host[0] ? sp->host : "any address",
			 sp->port, gai_strerror(rc));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0) {
		snprintf(err, errlen, "%s port %s: %s", sp->host[0] ? sp->host : "any address",
			 sp->port, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

int milterd_listen(const char *spec, int debug, char *err, size_t errlen)
{
	struct spec sp;

	if (parse_spec(spec, &sp, err, errlen) != 0)
		return -1;
	debug_level = debug;
	listen_tcp = sp.family != AF_UNIX;
	listen_fd = listen_tcp ? listen_inet(&sp, err, errlen) : listen_unix(&sp, err, errlen);
	return listen_fd < 0 ? -1 : 0;
}

/*
 * Workers.  Each idle worker waits in accept() itself (the kernel wakes
 * one per connection), serves the connection it gets, then waits again;
 * the last idle worker to take a connection starts another first, so
 * one always waits.  Compared with a thread per connection this saves the
 * thread start, the stack's page faults and glibc's madvise() at thread
 * exit, measured as about a third of the daemon's CPU with a connection
 * per message.  At most MAX_IDLE workers wait; others end.
 */
#define MAX_IDLE 4
#define STOP_WAIT_SECONDS 2

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_done = PTHREAD_COND_INITIALIZER;
static int idle_workers;
static int workers;
static int accept_failed;
static const struct milter_handlers *handlers;

static void *worker(void *arg);

/* with pool_lock held; the new worker counts as idle at once */
static void start_worker(void)
{
	pthread_attr_t attr;
	pthread_t t;
	int rc;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&t, &attr, worker, NULL);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		dmlog(LOG_ERR, "cannot start a milter worker thread: %s", strerror(rc));
		return;
	}
	idle_workers++;
	workers++;
}

/* An accept() error: 1 to try again, 0 when this worker should end. */
static int accept_error(int err)
{
	if (atomic_load(&stopping))
		return 0;
	switch (err) {
	case EINTR:
	case ECONNABORTED:
	case EAGAIN:
	case EPROTO:
		return 1;
	case EMFILE:
	case ENFILE:
	case ENOBUFS:
	case ENOMEM:
		/* out of descriptors or memory: wait for connections to end */
		dmlog(LOG_WARNING, "accept(): %s; retrying", strerror(err));
		(void)poll(NULL, 0, 100);
		return 1;
	default:
		dmlog(LOG_ERR, "accept(): %s", strerror(err));
		pthread_mutex_lock(&pool_lock);
		accept_failed = 1;
		pthread_mutex_unlock(&pool_lock);
		milterd_stop();
		return 0;
	}
}

static void serve(int fd)
{
	int one = 1;

	/* each reply is one write already; Nagle would only hold it back */
	if (listen_tcp)
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	mconn_serve(fd, listen_tcp, debug_level, handlers);
}

/* with pool_lock held: this worker ends */
static void *worker_end(void)
{
	workers--;
	pthread_cond_broadcast(&pool_done);
	pthread_mutex_unlock(&pool_lock);
	return NULL;
}

static void *worker(void *arg)
{
	(void)arg;
	for (;;) {
		int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0) {
			if (accept_error(errno))
				continue;
			pthread_mutex_lock(&pool_lock);
			idle_workers--;
			return worker_end();
		}
		pthread_mutex_lock(&pool_lock);
		if (--idle_workers == 0 && !atomic_load(&stopping))
			start_worker();
		pthread_mutex_unlock(&pool_lock);
		serve(fd);
		pthread_mutex_lock(&pool_lock);
		if (idle_workers >= MAX_IDLE || atomic_load(&stopping))
			return worker_end();
		idle_workers++;
		pthread_mutex_unlock(&pool_lock);
	}
}

int milterd_run(const struct milter_handlers *h)
{
	struct timespec until;
	int failed;

	handlers = h;
	pthread_mutex_lock(&pool_lock);
	start_worker();
	if (workers == 0) {
		pthread_mutex_unlock(&pool_lock);
		return -1;
	}
	/* until milterd_stop(): then the idle workers leave accept() */
	while (!atomic_load(&stopping))
		pthread_cond_wait(&pool_done, &pool_lock);
	/* and end, running their thread-exit handlers (libcrypto's state);
	 * a worker still in a connection is not waited for long */
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += STOP_WAIT_SECONDS;
	while (workers > 0)
		if (pthread_cond_timedwait(&pool_done, &pool_lock, &until) == ETIMEDOUT)
			break;
	failed = accept_failed;
	pthread_mutex_unlock(&pool_lock);
	return failed ? -1 : 0;
}

int milterd_chown(uid_t uid, gid_t gid, char *err, size_t errlen)
{
	if (unix_path != NULL && chown(unix_path, uid, gid) != 0) {
		snprintf(err, errlen, "%s: chown(): %s", unix_path, strerror(errno));
		return -1;
	}
	return 0;
}

void milterd_stop(void)
{
	atomic_store(&stopping, 1);
	/* wakes the workers in accept() (EINVAL on Linux) */
	if (listen_fd >= 0)
		(void)shutdown(listen_fd, SHUT_RDWR);
	pthread_mutex_lock(&pool_lock);
	pthread_cond_broadcast(&pool_done);
	pthread_mutex_unlock(&pool_lock);
}

void milterd_close(void)
{
	if (listen_fd >= 0)
		close(listen_fd);
	listen_fd = -1;
	if (unix_path != NULL)
		(void)unlink(unix_path);
	free(unix_path);
	unix_path = NULL;
}
