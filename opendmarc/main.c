/*
 * NAME
 *	opendmarc - DMARC milter daemon
 * SYNOPSIS
 *	opendmarc [-A] [-c conffile] [-f] [-l] [-n] [-p socket] [-P pidfile]
 *		  [-t file] [-u user[:group]] [-v] [-V]
 * DESCRIPTION
 *	Thin main: options and configuration, library set-up, the milter
 *	socket (TCP_NODELAY on a TCP listener, so end-of-message replies are
 *	not held back by Nagle against a delayed ACK), chroot, privilege
 *	drop, background, pid file, the AutoRestart supervisor and the
 *	SIGUSR1 reload thread, then smfi_main().  See opendmarc(8).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static int library_init(const struct config *c, char *err, size_t errlen)
{
	OPENDMARC_LIB_T lib;
	const char *psl = c->public_suffix_list;

	memset(&lib, 0, sizeof lib);
	if (c->mode == MODE_RFC9989) {
		lib.tld_type = OPENDMARC_TLD_TYPE_TREEWALK;
	} else {
		if (psl == NULL && access(DMARC_DEFAULT_PSL, R_OK) == 0)
			psl = DMARC_DEFAULT_PSL;
		lib.tld_type = psl != NULL ? OPENDMARC_TLD_TYPE_MOZILLA : OPENDMARC_TLD_TYPE_NONE;
		if (psl != NULL)
			snprintf((char *)lib.tld_source_file, sizeof lib.tld_source_file, "%s", psl);
	}
	if (opendmarc_policy_library_init(&lib) != DMARC_PARSE_OKAY) {
		snprintf(err, errlen, "library initialization failed%s%s", psl ? ": " : "",
			 psl ? psl : "");
		return -1;
	}
	opendmarc_policy_library_dns_timeout((int)c->dns_timeout);
	return 0;
}

/* Turns on TCP_NODELAY on every listening TCP socket libmilter opened. */
static void listener_nodelay(void)
{
	int fd, one = 1;

	for (fd = 3; fd < 1024; fd++) {
		int acc = 0, dom = 0;
		socklen_t len = sizeof acc;

		if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len) != 0 || !acc)
			continue;
		len = sizeof dom;
		if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &len) != 0 ||
		    (dom != AF_INET && dom != AF_INET6))
			continue;
		if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0)
			dmlog(LOG_WARNING, "setsockopt(TCP_NODELAY): %s", strerror(errno));
	}
}

static int become_user(const char *spec, char *err, size_t errlen)
{
	char user[256];
	const char *colon = strchr(spec, ':');
	struct passwd *pw;
	gid_t gid;

	snprintf(user, sizeof user, "%.*s", colon ? (int)(colon - spec) : (int)strlen(spec), spec);
	pw = getpwnam(user);
	if (pw == NULL) {
		snprintf(err, errlen, "%s: no such user", user);
		return -1;
	}
	gid = pw->pw_gid;
	if (colon != NULL) {
		struct group *gr = getgrnam(colon + 1);

		if (gr == NULL) {
			snprintf(err, errlen, "%s: no such group", colon + 1);
			return -1;
		}
		gid = gr->gr_gid;
	}
	if (initgroups(pw->pw_name, gid) != 0 || setgid(gid) != 0 || setuid(pw->pw_uid) != 0) {
		snprintf(err, errlen, "cannot become %s: %s", spec, strerror(errno));
		return -1;
	}
	return 0;
}

static int open_socket(const struct config *c, char *err, size_t errlen)
{
	if (smfi_setconn(c->socket) != MI_SUCCESS) {
		snprintf(err, errlen, "%s: smfi_setconn() failed", c->socket);
		return -1;
	}
	if (c->milter_debug > 0)
		(void)smfi_setdbg((int)c->milter_debug);
	if (smfi_register(filter_desc) != MI_SUCCESS) {
		snprintf(err, errlen, "smfi_register() failed");
		return -1;
	}
	if (smfi_opensocket(1) != MI_SUCCESS) {
		snprintf(err, errlen, "%s: smfi_opensocket() failed", c->socket);
		return -1;
	}
	listener_nodelay();
	return 0;
}

static int drop_privileges(const struct config *c, char *err, size_t errlen)
{
	if (c->chroot_dir != NULL) {
		if (c->userid == NULL)
			dmlog(LOG_WARNING, "ChangeRootDirectory set without UserID");
		if (chroot(c->chroot_dir) != 0 || chdir("/") != 0) {
			snprintf(err, errlen, "%s: chroot(): %s", c->chroot_dir, strerror(errno));
			return -1;
		}
	}
	if (c->userid != NULL && become_user(c->userid, err, errlen) != 0)
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

/* SIGUSR1: build a new runtime from the configuration file and swap it in. */
static void *reloader(void *arg)
{
	sigset_t *set = arg;
	int sig;

	for (;;) {
		char err[512];
		struct config *c;
		struct runtime *rt;

		if (sigwait(set, &sig) != 0)
			continue;
		c = load_config(err, sizeof err);
		if (c == NULL || runtime_build(c, &rt, err, sizeof err) != 0) {
			dmlog(LOG_ERR, "reload failed, keeping the old configuration: %s", err);
			config_free(&c);
			continue;
		}
		runtime_install(rt);
		dmlog(LOG_INFO, "configuration reloaded");
	}
	return NULL;
}

static void start_reloader(void)
{
	static sigset_t set;
	pthread_t t;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (pthread_create(&t, NULL, reloader, &set) == 0)
		pthread_detach(t);
}

/* "n/t[smhd]" -> count and seconds; 0 when unset or malformed. */
static void restart_rate(const char *spec, long *n, long *secs)
{
	char unit = 's';

	*n = *secs = 0;
	if (spec == NULL || sscanf(spec, "%ld/%ld%c", n, secs, &unit) < 2)
		return;
	switch (unit) {
	case 'm': case 'M': *secs *= 60; break;
	case 'h': case 'H': *secs *= 3600; break;
	case 'd': case 'D': *secs *= 86400; break;
	default: break;
	}
}

static volatile pid_t child_pid;

static void forward_signal(int sig)
{
	if (child_pid > 0)
		(void)kill(child_pid, sig);
}

/* AutoRestart: the parent supervises children until one exits cleanly. */
static void supervise(const struct config *c)
{
	long count = 0, rate_n, rate_t;
	time_t window_start = time(NULL);
	long in_window = 0;

	restart_rate(c->autorestart_rate, &rate_n, &rate_t);
	for (;;) {
		int status;
		pid_t pid = fork();

		if (pid < 0) {
			dmlog(LOG_ERR, "fork(): %s", strerror(errno));
			exit(1);
		}
		if (pid == 0) {
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			signal(SIGHUP, SIG_DFL);
			return;
		}
		child_pid = pid;
		signal(SIGTERM, forward_signal);
		signal(SIGINT, forward_signal);
		signal(SIGHUP, forward_signal);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			exit(0);
		count++;
		if (rate_t > 0 && time(NULL) - window_start > rate_t) {
			window_start = time(NULL);
			in_window = 0;
		}
		in_window++;
		if ((c->autorestart_count > 0 && count > c->autorestart_count) ||
		    (rate_n > 0 && in_window > rate_n)) {
			dmlog(LOG_ERR, "giving up after %ld restarts", count);
			exit(1);
		}
		dmlog(LOG_WARNING, "filter process %ld died; restarting", (long)pid);
		sleep(1);
	}
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

	parse_args(argc, argv);
	c = load_config(err, sizeof err);
	if (c == NULL)
		die("", err);
	if (c->basedir != NULL && chdir(c->basedir) != 0)
		die(c->basedir, strerror(errno));
	if (c->umask >= 0)
		umask((mode_t)c->umask);
	dmlog_open(c->syslog, c->syslog_facility, cl.verbose || cl.testfile != NULL);
	if (cl.check) {
		if (runtime_build(c, &rt, err, sizeof err) != 0)
			die("", err);
		config_dump(c, stdout);
		runtime_install(rt);
		runtime_shutdown();
		return 0;
	}
	if (library_init(c, err, sizeof err) != 0 || runtime_build(c, &rt, err, sizeof err) != 0)
		die("", err);
	runtime_install(rt);
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
	dmlog(LOG_INFO, "OpenDMARC Filter v%s starting (args: %s)", DMARCF_VERSION, cl.args);
	if (rt->trusted[0] != '\0')
		dmlog(LOG_INFO, "additional trusted authentication services: %s", rt->trusted);
	start_reloader();
	status = smfi_main() == MI_SUCCESS ? 0 : 1;
	dmlog(LOG_INFO, "OpenDMARC Filter v%s terminating", DMARCF_VERSION);
	if (c->pid_file != NULL)
		(void)unlink(c->pid_file);
	runtime_release(rt);
	runtime_shutdown();
	opendmarc_policy_library_shutdown(NULL);
	return status;
}
