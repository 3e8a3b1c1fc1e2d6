/*
 * NAME
 *	opendmarc - DMARC milter daemon
 * SYNOPSIS
 *	opendmarc [-A] [-c conffile] [-f] [-l] [-n] [-p socket] [-P pidfile]
 *		  [-t file] [-u user[:group]] [-v] [-V]
 * DESCRIPTION
 *	Thin main: options and configuration, library set-up, the milter
 *	socket (milterd_listen()), chroot, privilege
 *	drop, background, pid file, the AutoRestart supervisor, the signal
 *	mask and the signal thread (reload on SIGHUP and SIGUSR1, drain on
 *	SIGTERM), then milterd_run().  See opendmarc(8).
 */
#include <errno.h>
#include <malloc.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "dmarc.h"
#include "dmlog.h"
#include "filter.h"
#include "runtime.h"
#include "testmode.h"

struct cmdline {
	const char *conffile;
	const char *socket, *pidfile, *user, *testfile;
	int autorestart, foreground, dolog, check, verbose;
	char args[1024]; /* for the start-up log line */
};

static struct cmdline cl;

static void usage(const char *prog)
{
	fprintf(stderr,
		"%s: usage: %s [options]\n"
		"\t-A          \tenable auto-restart\n"
		"\t-c file     \tconfiguration file\n"
		"\t-f          \trun in the foreground\n"
		"\t-l          \tlog to syslog\n"
		"\t-n          \ttest configuration, print it and exit\n"
		"\t-p sockspec \tspecify milter socket\n"
		"\t-P file     \twrite process ID to specified file\n"
		"\t-t file     \tevaluate a single message\n"
		"\t-u user     \ttry to become the named user\n"
		"\t-v          \tverbose (log to standard error too)\n"
		"\t-V          \tprint version and exit\n",
		prog, prog);
	exit(EX_USAGE);
}

static void parse_args(int argc, char **argv)
{
	int c, i;

	for (i = 1; i < argc; i++) {
		size_t used = strlen(cl.args);

		snprintf(cl.args + used, sizeof cl.args - used, "%s%s", i > 1 ? " " : "", argv[i]);
	}
	while ((c = getopt(argc, argv, "Ac:flnp:P:t:u:vV")) != -1) {
		switch (c) {
		case 'A': cl.autorestart = 1; break;
		case 'c': cl.conffile = optarg; break;
		case 'f': cl.foreground = 1; break;
		case 'l': cl.dolog = 1; break;
		case 'n': cl.check = 1; break;
		case 'p': cl.socket = optarg; break;
		case 'P': cl.pidfile = optarg; break;
		case 't': cl.testfile = optarg; break;
		case 'u': cl.user = optarg; break;
		case 'v': cl.verbose = 1; break;
		case 'V':
			printf("%s: OpenDMARC Filter v%s\n", argv[0], DMARCF_VERSION);
			exit(0);
		default:
			usage(argv[0]);
		}
	}
	if (optind != argc)
		usage(argv[0]);
}

/* Reads the configuration and applies the command line over it. */
static struct config *load_config(char *err, size_t errlen)
{
	struct config *c = config_new();
	const char *path = cl.conffile != NULL ? cl.conffile : DMARCF_CONFFILE;

	if ((cl.conffile != NULL || access(path, F_OK) == 0) &&
	    config_load(c, path, err, errlen) != 0) {
		config_free(&c);
		return NULL;
	}
	if (cl.socket != NULL)
		config_set(c, "Socket", cl.socket, err, errlen);
	if (cl.pidfile != NULL)
		config_set(c, "PidFile", cl.pidfile, err, errlen);
	if (cl.user != NULL)
		config_set(c, "UserID", cl.user, err, errlen);
	if (cl.dolog)
		c->syslog = 1;
	if (cl.foreground || cl.testfile != NULL || cl.check)
		c->background = 0;
	if (cl.autorestart)
		c->autorestart = 1;
	if (dmlog_facility(c->syslog_facility) < 0) {
		snprintf(err, errlen, "SyslogFacility: unknown facility \"%s\"", c->syslog_facility);
		config_free(&c);
		return NULL;
	}
	return c;
}

struct identity {
	char name[256];
	uid_t uid;
	gid_t gid;
};

/* "user" or "user:group" looked up now, while /etc is still ours. */
static int lookup_user(const char *spec, struct identity *id, char *err, size_t errlen)
{
	const char *colon = strchr(spec, ':');
	struct passwd *pw;

	snprintf(id->name, sizeof id->name, "%.*s",
		 colon ? (int)(colon - spec) : (int)strlen(spec), spec);
	pw = getpwnam(id->name);
	if (pw == NULL) {
		snprintf(err, errlen, "%s: no such user", id->name);
		return -1;
	}
	id->uid = pw->pw_uid;
	id->gid = pw->pw_gid;
	if (colon != NULL) {
		struct group *gr = getgrnam(colon + 1);

		if (gr == NULL) {
			snprintf(err, errlen, "%s: no such group", colon + 1);
			return -1;
		}
		id->gid = gr->gr_gid;
	}
	return 0;
}

static int become_user(const struct identity *id, char *err, size_t errlen)
{
	if (setgid(id->gid) != 0 || setuid(id->uid) != 0) {
		snprintf(err, errlen, "cannot become %s: %s", id->name, strerror(errno));
		return -1;
	}
	return 0;
}

static int open_socket(const struct config *c, char *err, size_t errlen)
{
	return milterd_listen(c->socket, (int)c->milter_debug, err, errlen);
}

/*
 * The user is looked up (and its supplementary groups read) before
 * chroot(), as OpenDMARC does: the new root rarely has /etc/passwd.
 */
static int drop_privileges(const struct config *c, char *err, size_t errlen)
{
	struct identity id;

	if (c->userid != NULL && lookup_user(c->userid, &id, err, errlen) != 0)
		return -1;
	/* a unix socket belongs to UserID, as when OpenDMARC creates it after
	 * setuid(): with UMask 007 its group (e.g. postfix) may connect */
	if (c->userid != NULL && milterd_chown(id.uid, id.gid, err, errlen) != 0)
		return -1;
	if (c->userid != NULL && initgroups(id.name, id.gid) != 0) {
		snprintf(err, errlen, "cannot set the groups of %s: %s", id.name, strerror(errno));
		return -1;
	}
	if (c->chroot_dir != NULL) {
		if (c->userid == NULL)
			dmlog(LOG_WARNING, "ChangeRootDirectory set without UserID");
		if (chroot(c->chroot_dir) != 0 || chdir("/") != 0) {
			snprintf(err, errlen, "%s: chroot(): %s", c->chroot_dir, strerror(errno));
			return -1;
		}
	}
	if (c->userid != NULL && become_user(&id, err, errlen) != 0)
		return -1;
	if (c->enable_coredumps)
		(void)prctl(PR_SET_DUMPABLE, 1);
	return 0;
}

static void background(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0) {
		perror("opendmarc: fork");
		exit(1);
	}
	if (pid > 0)
		_exit(0);
	(void)setsid();
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		(void)dup2(fd, 0);
		(void)dup2(fd, 1);
		(void)dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
}

static void write_pidfile(const char *path)
{
	FILE *f;

	if (path == NULL)
		return;
	f = fopen(path, "w");
	if (f == NULL) {
		dmlog(LOG_ERR, "%s: %s", path, strerror(errno));
		return;
	}
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
}

/*
 * Signals.  Every one of these is blocked in the main thread before any
 * thread exists, so all threads inherit the mask and only
 * signal_thread() ever takes them: SIGHUP and SIGUSR1 reload, SIGTERM
 * drains and stops, SIGINT stops at once.
 */
static void block_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

/* Options that only a restart changes: named in the log when a reload
 * finds them changed. */
static const char *const restart_only[] = {
	"AutoRestart", "AutoRestartCount", "AutoRestartRate", "Background", "BaseDirectory",
	"ChangeRootDirectory", "EnableCoredumps", "MilterDebug", "PidFile", "Socket", "UMask",
	"UserID", NULL,
};

/* "Name value" of one option as config_dump() writes it, or "" */
static void option_line(const struct config *c, const char *name, char *out, size_t outlen)
{
	char *buf = NULL, *line;
	size_t len = 0, n = strlen(name);
	FILE *f = open_memstream(&buf, &len);

	out[0] = '\0';
	if (f == NULL)
		return;
	config_dump(c, f);
	fclose(f);
	for (line = buf; line != NULL && *line != '\0'; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (strncasecmp(line, name, n) == 0 && (line[n] == ' ' || line[n] == '\n')) {
			snprintf(out, outlen, "%.*s", (int)strcspn(line, "\n"), line);
			break;
		}
	}
	free(buf);
}

static void note_restart_only(const struct config *old, const struct config *new)
{
	char a[1024], b[1024];
	size_t i;

	for (i = 0; restart_only[i] != NULL; i++) {
		option_line(old, restart_only[i], a, sizeof a);
		option_line(new, restart_only[i], b, sizeof b);
		if (strcmp(a, b) != 0)
			dmlog(LOG_WARNING, "reload: %s changed; it takes effect at the next restart",
			      restart_only[i]);
	}
}

static pthread_mutex_t reload_lock = PTHREAD_MUTEX_INITIALIZER;
static int stopping;

/* One reload: a new runtime from the configuration file, swapped in whole. */
static void reload(void)
{
	char err[512] = "";
	struct config *c;
	struct runtime *rt, *old;

	pthread_mutex_lock(&reload_lock);
	if (stopping) {
		pthread_mutex_unlock(&reload_lock);
		return;
	}
	c = load_config(err, sizeof err);
	if (c == NULL || runtime_build(c, &rt, err, sizeof err) != 0) {
		dmlog(LOG_ERR, "reload failed, keeping the old configuration: %s", err);
		config_free(&c);
		pthread_mutex_unlock(&reload_lock);
		return;
	}
	old = runtime_acquire();
	if (runtime_activate(rt, err, sizeof err) != 0) { /* frees rt and c */
		dmlog(LOG_ERR, "reload failed, keeping the old configuration: %s", err);
	} else {
		if (old != NULL)
			note_restart_only(old->cfg, c);
		dmlog_open(c->syslog, c->syslog_facility, cl.verbose);
		dmlog(LOG_INFO, "configuration reloaded");
	}
	runtime_release(old);
	pthread_mutex_unlock(&reload_lock);
}

/*
 * SIGTERM: new connections are temp-failed at connect, the open ones
 * may finish (DRAIN_SECONDS at most), then evaluation stops and the
 * listener is told to stop; milterd_run() returns.
 */
#define DRAIN_SECONDS 30

static void drain_and_stop(void)
{
	long open, left;

	filter_refuse_new();
	open = filter_connections();
	if (open > 0) {
		dmlog(LOG_INFO, "waiting for %ld open connection%s to end", open, open == 1 ? "" : "s");
		left = filter_drain(DRAIN_SECONDS);
		if (left > 0)
			dmlog(LOG_WARNING, "%ld connection%s still open after %d s; closing", left,
			      left == 1 ? "" : "s", DRAIN_SECONDS);
	}
	runtime_eval_close();
	milterd_stop();
}

static void *signal_thread(void *arg)
{
	sigset_t set;
	int sig;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGINT);
	for (;;) {
		sig = sigwaitinfo(&set, NULL);
		if (sig == SIGHUP || sig == SIGUSR1) {
			reload();
		} else if (sig == SIGTERM) {
			dmlog(LOG_INFO, "SIGTERM: stopping");
			drain_and_stop();
			return NULL;
		} else if (sig == SIGINT) {
			dmlog(LOG_INFO, "SIGINT: stopping at once");
			runtime_eval_close();
			milterd_stop();
			return NULL;
		}
	}
}

static void start_signal_thread(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, signal_thread, NULL) == 0)
		pthread_detach(t);
	else
		dmlog(LOG_ERR, "cannot start the signal thread; SIGHUP and SIGUSR1 will not reload");
}


static volatile pid_t child_pid;
static volatile sig_atomic_t stop_requested;

static void forward_signal(int sig)
{
	int saved = errno;

	if (sig == SIGTERM || sig == SIGINT)
		stop_requested = 1;
	if (child_pid > 0)
		(void)kill(child_pid, sig);
	errno = saved;
}

/*
 * AutoRestart: the parent supervises filter processes until one exits
 * cleanly or a stop is asked for.  The pid file names the parent, so it
 * passes SIGTERM, SIGINT, SIGHUP and SIGUSR1 on to the filter process;
 * they are blocked around fork() so none is lost between the fork and
 * child_pid being set, and a stop asked for while no filter process
 * runs (the restart delay) ends the supervisor instead of a restart.
 */
static void supervise(const struct config *c)
{
	long count = 0, rate_n, rate_t;
	time_t window_start = time(NULL);
	long in_window = 0;
	sigset_t sigs, old;
	struct sigaction sa;

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGUSR1);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = forward_signal;
	sigemptyset(&sa.sa_mask);
	if (c->autorestart_rate == NULL || config_parse_rate(c->autorestart_rate, &rate_n, &rate_t) != 0)
		rate_n = rate_t = 0; /* unset (the value was checked when read) */
	for (;;) {
		int status;
		pid_t pid;

		sigprocmask(SIG_BLOCK, &sigs, &old);
		(void)sigaction(SIGTERM, &sa, NULL);
		(void)sigaction(SIGINT, &sa, NULL);
		(void)sigaction(SIGHUP, &sa, NULL);
		(void)sigaction(SIGUSR1, &sa, NULL);
		if (stop_requested)
			exit(0);
		pid = fork();
		if (pid < 0) {
			dmlog(LOG_ERR, "fork(): %s", strerror(errno));
			exit(1);
		}
		if (pid == 0) {
			/* still blocked: main() takes them from here (block_signals) */
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			signal(SIGHUP, SIG_DFL);
			signal(SIGUSR1, SIG_DFL);
			return;
		}
		child_pid = pid;
		sigprocmask(SIG_SETMASK, &old, NULL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		child_pid = 0;
		if ((WIFEXITED(status) && WEXITSTATUS(status) == 0) || stop_requested)
			exit(0);
		count++;
		if (rate_t > 0 && time(NULL) - window_start > rate_t) {
			window_start = time(NULL);
			in_window = 0;
		}
		in_window++;
		if ((c->autorestart_count > 0 && count > c->autorestart_count) ||
		    (rate_n > 0 && in_window > rate_n)) {
			dmlog(LOG_ERR, "filter process died %ld times; not restarting it again", count);
			exit(1);
		}
		dmlog(LOG_WARNING, "filter process %ld died; restarting", (long)pid);
		sleep(1);
	}
}

/* After milterd_run() returns: nothing evaluates or reloads any more. */
static void stop_work(void)
{
	runtime_eval_close();
	pthread_mutex_lock(&reload_lock);
	stopping = 1;
	pthread_mutex_unlock(&reload_lock);
}

static void die(const char *what, const char *err) __attribute__((noreturn));
static void die(const char *what, const char *err)
{
	fprintf(stderr, "opendmarc: %s%s%s\n", what, *what ? ": " : "", err);
	dmlog(LOG_ERR, "%s%s%s", what, *what ? ": " : "", err);
	exit(1);
}

int main(int argc, char **argv)
{
	char err[1024] = "";
	struct config *c;
	struct runtime *rt = NULL;
	int status;

	/* milterd runs a thread per connection; glibc would give each its own
	 * malloc arena (8 per core), most of it idle between messages */
	(void)mallopt(M_ARENA_MAX, 2);
	parse_args(argc, argv);
	c = load_config(err, sizeof err);
	if (c == NULL)
		die("", err);
	if (c->basedir != NULL && chdir(c->basedir) != 0)
		die(c->basedir, strerror(errno));
	if (c->umask >= 0)
		umask((mode_t)c->umask);
	dmlog_open(c->syslog, c->syslog_facility, cl.verbose || cl.testfile != NULL);
	if (runtime_build(c, &rt, err, sizeof err) != 0 || runtime_activate(rt, err, sizeof err) != 0)
		die("", err);
	if (cl.check) {
		config_dump(c, stdout);
		runtime_shutdown();
		opendmarc_policy_library_shutdown(NULL);
		return 0;
	}
	rt = runtime_acquire(); /* keeps c alive across reloads */
	if (cl.testfile != NULL) {
		status = testmode_run(cl.testfile, cl.verbose);
		runtime_release(rt);
		runtime_shutdown();
		opendmarc_policy_library_shutdown(NULL);
		return status;
	}
	if (open_socket(c, err, sizeof err) != 0 || drop_privileges(c, err, sizeof err) != 0)
		die("", err);
	if (c->background)
		background();
	write_pidfile(c->pid_file);
	if (c->autorestart)
		supervise(c);
	block_signals();
	start_signal_thread();
	dmlog(LOG_INFO, "OpenDMARC Filter v%s starting (args: %s)", DMARCF_VERSION, cl.args);
	if (rt->trusted[0] != '\0')
		dmlog(LOG_INFO, "additional trusted authentication services: %s", rt->trusted);
	status = milterd_run(&filter_handlers) == 0 ? 0 : 1;
	milterd_close();
	stop_work();
	dmlog(LOG_INFO, "OpenDMARC Filter v%s terminating", DMARCF_VERSION);
	if (c->pid_file != NULL)
		(void)unlink(c->pid_file);
	runtime_release(rt);
	runtime_shutdown();
	opendmarc_policy_library_shutdown(NULL);
	return status;
}
