/*
 * reportcmd - run ReportCommand with a message on its standard input.
 * See reportcmd.h.
 */
#include "reportcmd.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REPORTCMD_PATH_DEFAULT "/usr/sbin:/usr/bin:/sbin:/bin"

extern char **environ;

int reportcmd_split(const char *command, char **argv, size_t max, char *store, size_t storelen)
{
	static const char ws[] = " \t\r\n";
	size_t n = 0, used = 0;
	const char *p = command;

	for (p += strspn(p, ws); *p != '\0'; p += strspn(p, ws)) {
		size_t len = strcspn(p, ws);

		if (n + 1 >= max || used + len + 1 > storelen)
			return -1;
		memcpy(store + used, p, len);
		store[used + len] = '\0';
		argv[n++] = store + used;
		used += len + 1;
		p += len;
	}
	argv[n] = NULL;
	return n > 0 ? (int)n : -1;
}

/* The program's path: as given with a '/', else the first on PATH. */
static int find_program(const char *name, char *path, size_t len, char *err, size_t errlen)
{
	const char *dirs = getenv("PATH");
	const char *d;

	if (strchr(name, '/') != NULL) {
		snprintf(path, len, "%s", name);
		if (access(path, X_OK) == 0)
			return 0;
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		return -1;
	}
	for (d = dirs != NULL ? dirs : REPORTCMD_PATH_DEFAULT; *d != '\0';) {
		size_t n = strcspn(d, ":");

		if ((size_t)snprintf(path, len, "%.*s/%s", (int)n, n > 0 ? d : ".", name) < len &&
		    access(path, X_OK) == 0)
			return 0;
		d += n;
		if (*d == ':')
			d++;
	}
	snprintf(err, errlen, "%s: not found on PATH", name);
	return -1;
}

/* In the child: only async-signal-safe calls until execve(). */
static void child(const char *path, char **argv, int in, int devnull)
{
	sigset_t none;
	struct sigaction dfl;

	if (dup2(in, 0) < 0 || dup2(devnull, 1) < 0 || dup2(devnull, 2) < 0)
		_exit(126);
	if (close_range(3, ~0U, 0) != 0) {
		long fd, max = sysconf(_SC_OPEN_MAX);

		for (fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
			(void)close((int)fd);
	}
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	(void)sigaction(SIGPIPE, &dfl, NULL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	execve(path, argv, environ);
	_exit(127);
}

static long ms_left(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/* Everything to fd before the deadline; -1 when the reader went away or time ran out. */
static int feed(int fd, const char *text, size_t len, const struct timespec *deadline)
{
	size_t done = 0;

	while (done < len) {
		struct pollfd p = { fd, POLLOUT, 0 };
		long left = ms_left(deadline);
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return -1;
		n = send(fd, text + done, len - done, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		if (n > 0)
			done += (size_t)n;
	}
	return 0;
}

/* Reaps pid, killing it at the deadline; its wait status, or -1 for a timeout. */
static int reap(pid_t pid, const struct timespec *deadline)
{
	struct timespec pause = { 0, 2000000 };
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return status;
		if (r < 0 && errno != EINTR)
			return -1;
		if (ms_left(deadline) <= 0) {
			(void)kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return -1;
		}
		nanosleep(&pause, NULL);
		if (pause.tv_nsec < 50000000)
			pause.tv_nsec *= 2;
	}
}

static int verdict(int status, int fed, char *err, size_t errlen)
{
	if (status == -1) {
		snprintf(err, errlen, "timed out");
		return -1;
	}
	if (WIFSIGNALED(status)) {
		snprintf(err, errlen, "killed by signal %d", WTERMSIG(status));
		return -1;
	}
	if (WEXITSTATUS(status) != 0) {
		snprintf(err, errlen, "exit status %d", WEXITSTATUS(status));
		return -1;
	}
	if (!fed) {
		snprintf(err, errlen, "did not read the whole report");
		return -1;
	}
	return 0;
}

int reportcmd_run(const char *command, const char *text, size_t len, int timeout, char *err,
		  size_t errlen)
{
	char store[1024], path[1024];
	char *argv[REPORTCMD_ARGS_MAX];
	struct timespec deadline;
	int sv[2], devnull, fed;
	pid_t pid;

	if (reportcmd_split(command, argv, REPORTCMD_ARGS_MAX, store, sizeof store) < 0) {
		snprintf(err, errlen, "unusable command \"%s\"", command);
		return -1;
	}
	if (find_program(argv[0], path, sizeof path, err, errlen) != 0)
		return -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -1;
	}
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	pid = devnull >= 0 ? fork() : -1;
	if (pid == 0)
		child(path, argv, sv[1], devnull);
	close(sv[1]);
	if (devnull >= 0)
		close(devnull);
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(sv[0]);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout;
	fed = feed(sv[0], text, len, &deadline) == 0;
	close(sv[0]);
	return verdict(reap(pid, &deadline), fed, err, errlen);
}
