/* Running gnuplot: a constant command line and no shell, the script through
 * a pipe, the chart written to a temporary file renamed when gnuplot
 * succeeded (what the file needs first: gnuplot_output.c). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "csvwrite.h"
#include "diag.h"
#include "gnuplot.h"
#include "gnuplot_input.h"
#include "gnuplot_int.h"
#include "strbuf.h"


/* ---- running gnuplot -------------------------------------------------------- */

/* Where the output goes: its directory (gnuplot runs there) and the
 * temporary file we let gnuplot write. */
struct target {
	char *dir;	/* NULL: dumb on stdout */
	char *tmp_name;	/* within dir, plain characters only */
	char *tmp_path;	/* dir/tmp_name, for us */
};

static void target_free(struct target *t)
{
	free(t->dir);
	free(t->tmp_name);
	free(t->tmp_path);
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* Creates the temporary file (mode 0666 less umask, as the chart itself
 * would get), so that no one else can take the name before gnuplot opens it. */
static int target_open(struct target *t, const char *output, char **message)
{
	static unsigned serial;
	const char *base = strrchr(output, '/');
	int err = EEXIST;

	base = base ? base + 1 : output;
	if (!*base) {
		*message = xasprintf("%s: not a file name", output);
		return -1;
	}
	t->dir = dir_of(output);
	for (int tries = 0; tries < 100; tries++) {
		int fd;
		free(t->tmp_name);
		free(t->tmp_path);
		t->tmp_name = xasprintf(".tt-plot-%ld-%u.tmp", (long)getpid(), serial++);
		t->tmp_path = xasprintf("%s/%s", t->dir, t->tmp_name);
		fd = open(t->tmp_path, O_WRONLY | O_CREAT | O_EXCL, 0666);
		if (fd >= 0) {
			close(fd);
			return 0;
		}
		err = errno;
		if (err != EEXIST)
			break;
	}
	*message = xasprintf("cannot create a file in %s: %s", t->dir, strerror(err));
	free(t->tmp_path);
	t->tmp_path = NULL;
	return -1;
}

static int set_cloexec(int fd)
{
	int flags = fcntl(fd, F_GETFD);
	return flags < 0 ? -1 : fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

static int make_pipe(int fd[2])
{
	if (pipe(fd) != 0)
		return -1;
	if (set_cloexec(fd[0]) != 0 || set_cloexec(fd[1]) != 0) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	return 0;
}

/* What the child tells us when it could not get as far as gnuplot. */
struct child_report {
	int step;	/* 'c' chdir, 'd' descriptors, 'e' exec */
	int err;
};

static void child_fail(int report_fd, int step)
{
	struct child_report r = { step, errno };
	ssize_t n = write(report_fd, &r, sizeof r);
	(void)n;
	_exit(127);
}

/* In the child, between fork and exec: async-signal-safe calls only.
 * The pipe ends are first copied above 2, in case the tool runs with a
 * standard descriptor closed and pipe() handed out 0, 1 or 2. */
static void child_exec(const char *dir, int in_fd, int err_fd, int report_fd,
		       int stdout_to_err)
{
	static char *const argv[] = { "gnuplot", "-d", "/dev/stdin", NULL };

	report_fd = fcntl(report_fd, F_DUPFD_CLOEXEC, 3);
	in_fd = fcntl(in_fd, F_DUPFD_CLOEXEC, 3);
	err_fd = fcntl(err_fd, F_DUPFD_CLOEXEC, 3);
	if (report_fd < 0)
		_exit(127);
	if (in_fd < 0 || err_fd < 0)
		child_fail(report_fd, 'd');
	if (dir && chdir(dir) != 0)
		child_fail(report_fd, 'c');
	if (dup2(in_fd, 0) < 0 || dup2(err_fd, 2) < 0 ||
	    (stdout_to_err && dup2(err_fd, 1) < 0))
		child_fail(report_fd, 'd');
	execvp(argv[0], argv);
	child_fail(report_fd, 'e');
}

/* Sends the script while collecting stderr, so that neither side can block
 * the other on a full pipe.  A gnuplot that stopped early closes its end:
 * we stop writing (SIGPIPE is ignored around this) and keep reading. */
static void exchange(int in_fd, int err_fd, const char *script, size_t len,
		     struct strbuf *err_text)
{
	size_t sent = 0;
	struct pollfd p[2];

	fcntl(in_fd, F_SETFL, fcntl(in_fd, F_GETFL) | O_NONBLOCK);
	if (len == 0) {
		close(in_fd);
		in_fd = -1;
	}
	while (in_fd >= 0 || err_fd >= 0) {
		p[0].fd = in_fd;
		p[0].events = POLLOUT;
		p[1].fd = err_fd;
		p[1].events = POLLIN;
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (in_fd >= 0 && p[0].revents) {
			ssize_t n = write(in_fd, script + sent, len - sent);
			if (n > 0)
				sent += (size_t)n;
			if ((n < 0 && errno != EAGAIN && errno != EINTR) ||
			    sent == len) {
				close(in_fd);
				in_fd = -1;
			}
		}
		if (err_fd >= 0 && p[1].revents) {
			char buf[4096];
			ssize_t n = read(err_fd, buf, sizeof buf);
			if (n > 0 && err_text->len < 65536)
				sb_add(err_text, buf, (size_t)n);
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
				close(err_fd);
				err_fd = -1;
			}
		}
	}
	if (in_fd >= 0)
		close(in_fd);
	if (err_fd >= 0)
		close(err_fd);
}

/* gnuplot's messages without the blank lines around them */
static char *trimmed_copy(const struct strbuf *t)
{
	const char *s = t->s ? t->s : "";
	size_t n;

	s += strspn(s, "\r\n");
	n = strlen(s);
	while (n > 0 && strchr("\r\n ", s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* Reads the child's report: nothing (EOF) means gnuplot is running. */
static int read_report(int fd, struct child_report *r)
{
	ssize_t n;

	do
		n = read(fd, r, sizeof *r);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof *r;
}

static int wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

static char *report_message(const struct child_report *r, const char *dir)
{
	if (r->step == 'c')
		return xasprintf("cannot enter %s: %s", dir, strerror(r->err));
	if (r->step == 'e' && r->err == ENOENT)
		return xasprintf("gnuplot is not installed: it comes with the Debian "
				 "package gnuplot-nox (apt-get install gnuplot-nox)");
	return xasprintf("cannot run gnuplot: %s", strerror(r->err));
}

struct run {
	int status;	/* wait status, or -1 */
	int started;	/* gnuplot was exec'd */
	struct strbuf err;
	char *message;	/* set when it did not start */
	int code;	/* gp_status when it did not start */
};

static void close_all(int *fd, int n)
{
	for (int i = 0; i < n; i++)
		if (fd[i] >= 0)
			close(fd[i]);
}

/* fd[0], fd[1]: gnuplot's stdin; fd[2], fd[3]: its stderr; fd[4], fd[5]:
 * the child's report.  Every end is close-on-exec; the child dups its own. */
static int make_pipes(int fd[6])
{
	for (int i = 0; i < 6; i++)
		fd[i] = -1;
	for (int i = 0; i < 6; i += 2)
		if (make_pipe(fd + i) != 0) {
			close_all(fd, 6);
			return -1;
		}
	return 0;
}

static void not_started(struct run *run, int code, char *message)
{
	run->code = code;
	run->message = message;
}

/* gnuplot runs in the C.UTF-8 locale whatever ours is: in "C" or "POSIX"
 * its `set encoding utf8` warns ("iconv failed to convert degree sign"),
 * and the same data should give the same chart for every user.  The
 * variable is set around fork (setenv is not safe between fork and exec)
 * and put back at once; tt never calls setlocale, so only gnuplot sees it. */
static pid_t fork_in_utf8_locale(void)
{
	const char *was = getenv("LC_ALL");
	char *saved = was ? xstrdup(was) : NULL;
	pid_t pid;
	int err;

	setenv("LC_ALL", "C.UTF-8", 1);
	pid = fork();
	if (pid == 0)
		return 0;	/* the child goes on to exec at once */
	err = errno;
	if (saved)
		setenv("LC_ALL", saved, 1);
	else
		unsetenv("LC_ALL");
	free(saved);
	errno = err;
	return pid;
}

/* An interrupted run (SIGINT, SIGTERM, SIGHUP) leaves no temporary file
 * and no gnuplot behind; the chart file itself only ever appears whole,
 * by rename.  (SIGKILL cannot be caught: its temporary file stays.) */
static const char *volatile cleanup_path;
static volatile pid_t cleanup_pid;
static const int cleanup_signals[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction cleanup_old[3];

static void on_cleanup_signal(int sig)
{
	if (cleanup_pid > 0)
		kill(cleanup_pid, SIGTERM);
	if (cleanup_path)
		unlink(cleanup_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void cleanup_arm(const char *path)
{
	struct sigaction sa = { 0 };

	cleanup_path = path;
	cleanup_pid = 0;
	sa.sa_handler = on_cleanup_signal;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(cleanup_signals[i], &sa, &cleanup_old[i]);
}

static void cleanup_disarm(void)
{
	for (int i = 0; i < 3; i++)
		sigaction(cleanup_signals[i], &cleanup_old[i], NULL);
	cleanup_path = NULL;
	cleanup_pid = 0;
}

static void run_gnuplot(const char *script, size_t len, const struct target *t,
			struct run *run)
{
	int fd[6];
	struct child_report r;
	struct sigaction ign = { 0 }, old;
	pid_t pid;

	if (make_pipes(fd) != 0) {
		not_started(run, GP_SYSTEM,
			    xasprintf("cannot make a pipe: %s", strerror(errno)));
		return;
	}
	fflush(stdout);		/* gnuplot may write to the same stdout */
	fflush(stderr);
	pid = fork_in_utf8_locale();
	if (pid < 0) {
		not_started(run, GP_SYSTEM,
			    xasprintf("cannot start gnuplot: %s", strerror(errno)));
		close_all(fd, 6);
		return;
	}
	if (pid == 0)
		child_exec(t->dir, fd[0], fd[3], fd[5], t->dir != NULL);
	cleanup_pid = pid;
	close(fd[0]);
	close(fd[3]);
	close(fd[5]);
	if (read_report(fd[4], &r)) {
		close(fd[1]);
		close(fd[2]);
		close(fd[4]);
		wait_child(pid);
		not_started(run, r.step == 'e' && r.err == ENOENT ?
			    GP_NO_GNUPLOT : GP_SYSTEM, report_message(&r, t->dir));
		return;
	}
	close(fd[4]);
	run->started = 1;
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	exchange(fd[1], fd[2], script, len, &run->err);
	sigaction(SIGPIPE, &old, NULL);
	run->status = wait_child(pid);
	cleanup_pid = 0;
}

static char *failure_message(const struct run *run)
{
	char *text = trimmed_copy(&run->err);
	char *m;

	if (WIFSIGNALED(run->status))
		m = xasprintf("gnuplot was killed by signal %d%s%s", WTERMSIG(run->status),
			      *text ? ":\n" : "", text);
	else
		m = xasprintf("gnuplot failed (exit status %d)%s%s",
			      WIFEXITED(run->status) ? WEXITSTATUS(run->status) : -1,
			      *text ? ":\n" : "", text);
	free(text);
	return m;
}

static int succeeded(const struct run *run)
{
	return run->status >= 0 && WIFEXITED(run->status) &&
	       WEXITSTATUS(run->status) == 0;
}

static void set_message(char **message, char *m)
{
	if (message)
		*message = m;
	else
		free(m);
}

int gnuplot_run(const char *chart_script, const struct gp_page *page,
		char **message)
{
	struct target t = { 0 };
	struct gp_page tmp_page = *page;
	struct run run = { .status = -1 };
	struct strbuf script = { 0 };
	char *m = NULL;
	FILE *f;
	int code = GP_OK;

	if (message)
		*message = NULL;
	if (page->output) {
		if (target_open(&t, page->output, &m) != 0) {
			set_message(message, m);
			target_free(&t);
			return GP_SYSTEM;
		}
		tmp_page.output = t.tmp_name;
	} else {
		tmp_page.output = NULL;
		tmp_page.term = GP_TERM_DUMB;
	}

	/* the header names our temporary file; the line count matches the
	 * --script output, so gnuplot's line numbers point into it */
	{
		char *buf = NULL;
		size_t len = 0;
		f = open_memstream(&buf, &len);
		if (!f) {
			set_message(message, xasprintf("out of memory"));
			if (t.tmp_path)
				unlink(t.tmp_path);
			target_free(&t);
			return GP_SYSTEM;
		}
		gp_write_header(f, &tmp_page);
		fputs(chart_script, f);
		fclose(f);
		script.s = buf;
		script.len = len;
	}

	cleanup_arm(t.tmp_path);
	run_gnuplot(script.s, script.len, &t, &run);
	free(script.s);

	if (!run.started) {
		code = run.code;
		m = run.message;
	} else if (!succeeded(&run)) {
		code = GP_FAILED;
		m = failure_message(&run);
	} else if (t.tmp_path && gpr_finish_file(t.tmp_path, page->term, &m) != 0) {
		code = GP_FAILED;
	} else if (t.tmp_path && rename(t.tmp_path, page->output) != 0) {
		code = GP_SYSTEM;
		m = xasprintf("cannot rename %s to %s: %s", t.tmp_path, page->output,
			      strerror(errno));
	} else {
		m = trimmed_copy(&run.err);	/* warnings, if any */
		if (!*m) {
			free(m);
			m = NULL;
		}
	}
	if (code != GP_OK && t.tmp_path)
		unlink(t.tmp_path);
	cleanup_disarm();
	free(run.err.s);
	target_free(&t);
	set_message(message, m);
	return code;
}

/* ---- a tool's run: gnuplot's messages, the text chart copied out ---------- */

/* Runs gnuplot on the script; a failure removes the private directory
 * `tmpdir` (or NULL) and ends the run with gnuplot's message. */
static void draw(const struct gp_page *page, const char *chart, const char *tmpdir)
{
	char *message = NULL;
	int status = gnuplot_run(chart, page, &message);

	gp_keep(message);
	if (status != GP_OK) {
		if (tmpdir)
			rmdir(tmpdir);
		die(EXIT_DATA, "%s", message ? message : "gnuplot failed");
	}
	if (message)
		warn("gnuplot: %s", message);
}

/* Copies a file to standard output through the CSV writer, which reports
 * a full disk and ends quietly on a closed pipe. */
static int copy_out(const char *path)
{
	char buf[65536];
	size_t n;
	FILE *f = fopen(path, "rb");
	int bad;

	if (!f)
		return -1;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		out_raw(buf, n);
	bad = ferror(f);
	fclose(f);
	return bad ? -1 : 0;
}

/* The text chart (no output file): gnuplot writes it into a private
 * directory and we copy it out, so that a write error on standard output is
 * ours to see, as with every tool. */
static void draw_text(struct gp_page *page, const char *chart)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = gp_keep(xmalloc(strlen(tmp && *tmp ? tmp : "/tmp") + 32));
	char *file;
	int copied;

	sprintf(dir, "%s/tt-plot.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		die(EXIT_DATA, "cannot make a temporary directory in %s: %s",
		    tmp && *tmp ? tmp : "/tmp", strerror(errno));
	file = gp_keep(xmalloc(strlen(dir) + 16));
	sprintf(file, "%s/chart.txt", dir);
	page->output = file;
	draw(page, chart, dir);
	copied = copy_out(file);
	unlink(file);
	rmdir(dir);
	if (copied != 0)
		die(EXIT_DATA, "cannot read the chart gnuplot wrote: %s", strerror(errno));
}

void gp_draw(const struct gp_page *page, const char *chart_script)
{
	struct gp_page p = *page;

	if (p.output)
		draw(&p, chart_script, NULL);
	else
		draw_text(&p, chart_script);
}
