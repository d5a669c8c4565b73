/* Whole tools on small inputs: option parsing and all, of every tool.  The
 * tools' main functions are linked into this one program (tools/tt-NAME.c
 * compiled with -Dmain=fuzz_main_NAME) and run on a command line and files
 * made from the input.
 *
 * Input: one byte choosing the tool (modulo their number, in the order of
 * the table below), then the arguments, one per line, up to a 0x1E byte;
 * then the first file up to the next 0x1E, then the second.  An argument
 * "@1" or "@2" is replaced by the name of that file; the standard input
 * reads the first file.  tt-plot always gets --script (gnuplot is never
 * run here) and tt-event --reps=19 (any --r... argument becomes that, and
 * any --pe... argument --permute=19), so that no input asks for minutes of
 * work.
 *
 * Each run starts as a fresh process would: the globals of the tools and of
 * tools/lib are set back (under libFuzzer: the sections of state.h; the
 * corpus replay of make check runs each input in a process of its own),
 * getopt starts over, an exit (tt_exit) jumps back here, and what the run
 * allocated and did not free, or opened and did not close, is freed and
 * closed (an exit frees it in the real tool).
 *
 * Invariants, for every input:
 * - no crash, sanitizer report or hang;
 * - the exit status is 0, 1 or 2;
 * - a failing run says why: its standard error starts with "tt-NAME: ";
 * - a failing run writes nothing on standard output (its table is discarded
 *   when the output is under the 64 KiB buffer, as it always is here), except
 *   tt-check, whose --normalize table comes with the problems it found;
 * - a successful run's output is empty or ends with a newline, and a run
 *   that returns 0 from main leaves nothing allocated but what the globals
 *   still point to (such as the missing-value tokens, read once). */
#define _GNU_SOURCE 1	/* MAP_ANONYMOUS, memfd_create */
#include <fcntl.h>
#include <gsl/gsl_errno.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "fuzz.h"

int fuzz_main_check(int, char **);
int fuzz_main_select(int, char **);
int fuzz_main_long(int, char **);
int fuzz_main_stats(int, char **);
int fuzz_main_trend(int, char **);
int fuzz_main_join(int, char **);
int fuzz_main_prepost(int, char **);
int fuzz_main_event(int, char **);
int fuzz_main_plot(int, char **);
int fuzz_main_country(int, char **);
int fuzz_main_rate(int, char **);
int fuzz_main_table(int, char **);
int fuzz_main_synth(int, char **);
int fuzz_main_panel(int, char **);

static const struct {
	const char *name;
	int (*main)(int, char **);
	const char *forced;         /* an argument always given first, or NULL */
	const char *rewrite;        /* an argument starting so becomes `forced` */
	int out_on_failure;         /* may write its table and exit 1 */
} tools[] = {
	{ "tt-check", fuzz_main_check, NULL, NULL, 1 },
	{ "tt-select", fuzz_main_select, NULL, NULL, 0 },
	{ "tt-long", fuzz_main_long, NULL, NULL, 0 },
	{ "tt-stats", fuzz_main_stats, NULL, NULL, 0 },
	{ "tt-trend", fuzz_main_trend, NULL, NULL, 0 },
	{ "tt-join", fuzz_main_join, NULL, NULL, 0 },
	{ "tt-prepost", fuzz_main_prepost, NULL, NULL, 0 },
	{ "tt-event", fuzz_main_event, "--reps=19", "--r", 0 },
	{ "tt-plot", fuzz_main_plot, "--script", NULL, 0 },
	{ "tt-country", fuzz_main_country, "--countries=data/countries.csv", "--countries", 0 },
	{ "tt-rate", fuzz_main_rate, NULL, NULL, 0 },
	{ "tt-table", fuzz_main_table, NULL, NULL, 0 },
	{ "tt-synth", fuzz_main_synth, NULL, NULL, 0 },
	{ "tt-panel", fuzz_main_panel, NULL, NULL, 0 },
};
#define NTOOLS (sizeof tools / sizeof tools[0])

/* the harness's own loops over memory are neither checked nor traced */
#ifdef __clang__
#define RAW __attribute__((no_sanitize("address", "coverage")))
#else
#define RAW __attribute__((no_sanitize("address")))
#endif

enum { MAX_ARGS = 64, SEP = 0x1E, FD_SCAN = 16, ERR_SIZE = 1 << 16 };

/* ---- the run's allocations, as the sanitizer's allocator reports them ---- */

void __sanitizer_install_malloc_and_free_hooks(void (*)(const volatile void *, size_t),
					       void (*)(const volatile void *));
void __asan_describe_address(void *addr);

enum { SLOTS = 1 << 20, LOG_MAX = 1 << 20 };
static uintptr_t *slot;        /* open addressing, linear probing; 0 empty */
static size_t *slot_size;
static uintptr_t *alloc_log;   /* every block allocated in the run, in order */
static size_t nlive, nlog;
static int log_overflow;
static __thread int tracking;  /* only the running tool's thread */

static size_t home(uintptr_t p)
{
	return (size_t)(((uint64_t)p >> 4) * 0x9E3779B97F4A7C15ULL >> 44) & (SLOTS - 1);
}

RAW static void on_malloc(const volatile void *ptr, size_t size)
{
	uintptr_t p = (uintptr_t)ptr;
	size_t i;

	if (!tracking || !p)
		return;
	if (nlive >= SLOTS / 2) {
		fprintf(stderr, "fuzz_tool: more than %d live allocations\n", SLOTS / 2);
		abort();
	}
	for (i = home(p); slot[i]; i = (i + 1) & (SLOTS - 1))
		;
	slot[i] = p;
	slot_size[i] = size;
	nlive++;
	if (nlog < LOG_MAX)
		alloc_log[nlog++] = p;
	else
		log_overflow = 1;
}

/* the slot of live block p, or SLOTS */
RAW static size_t find(uintptr_t p)
{
	size_t i = home(p);

	while (slot[i] && slot[i] != p)
		i = (i + 1) & (SLOTS - 1);
	return slot[i] ? i : SLOTS;
}

/* 1 when p was live (and now is not) */
RAW static int forget(uintptr_t p)
{
	size_t i = find(p), j;

	if (i == SLOTS)
		return 0;
	/* backward-shift deletion keeps every probe sequence whole */
	for (j = i;;) {
		size_t k;
		j = (j + 1) & (SLOTS - 1);
		if (!slot[j])
			break;
		k = home(slot[j]);
		if (i <= j ? (k <= i || k > j) : (k <= i && k > j)) {
			slot[i] = slot[j];
			slot_size[i] = slot_size[j];
			i = j;
		}
	}
	slot[i] = 0;
	nlive--;
	return 1;
}

static void on_free(const volatile void *ptr)
{
	if (tracking && ptr)
		forget((uintptr_t)ptr);
}

/* Blocks the globals still point to, directly or through other such blocks,
 * are not leaks (a process keeps them till it ends): marked here from the
 * words of [from, to). */
static unsigned char *marked;
static size_t *work;

RAW static size_t mark_from(const char *from,
								  const char *to, size_t nwork)
{
	for (const char *q = from; q + sizeof(uintptr_t) <= to; q += sizeof(uintptr_t)) {
		uintptr_t w = *(const volatile uintptr_t *)q;
		size_t i;
		if (w < 4096 || (w & 7) != 0 || (i = find(w)) == SLOTS || marked[i])
			continue;
		marked[i] = 1;
		work[nwork++] = i;
	}
	return nwork;
}

static void mark_roots(const char *from, const char *to)
{
	size_t n = mark_from(from, to, 0);
	while (n > 0) {
		size_t i = work[--n];
		const char *b = (const char *)slot[i];
		n = mark_from(b, b + slot_size[i], n);
	}
}

/* the blocks left that nothing held by a global points to */
static size_t count_unheld(void);

/* frees what the run left allocated; returns how many blocks that was */
static size_t free_leftovers(void)
{
	size_t n = nlive;

	tracking = 0;
	for (size_t k = 0; k < nlog && nlive; k++)
		if (forget(alloc_log[k]))
			free((void *)alloc_log[k]);
	if (nlive)              /* the log overflowed: scan the table */
		for (size_t i = 0; i < SLOTS; i++)
			if (slot[i]) {
				free((void *)slot[i]);
				slot[i] = 0;
			}
	nlive = nlog = 0;
	log_overflow = 0;
	return n;
}

#ifdef TT_FUZZ_STATE_SECTIONS
extern char __start_tt_data[], __stop_tt_data[], __start_tt_bss[], __stop_tt_bss[];
#else
extern char __data_start[], _end[];
#endif

static size_t count_unheld(void)
{
	size_t n = 0;

	if (nlive == 0 || log_overflow)
		return 0;
#ifdef TT_FUZZ_STATE_SECTIONS
	mark_roots(__start_tt_data, __stop_tt_data);
	mark_roots(__start_tt_bss, __stop_tt_bss);
#else
	mark_roots(__data_start, _end);
#endif
	for (size_t k = 0; k < nlog; k++) {
		size_t i = find(alloc_log[k]);
		if (i == SLOTS)
			continue;
		if (!marked[i]) {
			n++;
			if (getenv("TT_FUZZ_VERBOSE"))
				__asan_describe_address((void *)slot[i]);
		}
	}
	for (size_t k = 0; k < nlog; k++) {
		size_t i = find(alloc_log[k]);
		if (i != SLOTS)
			marked[i] = 0;
	}
	return n;
}

/* ---- the globals of the tools and the library ---------------------------- */

#ifdef TT_FUZZ_STATE_SECTIONS
static char *data_snapshot;

/* past the sanitizer, a word at a time: the sections hold the redzones
 * that AddressSanitizer puts around globals, and they are 8-byte aligned */
RAW static void copy_state(char *to, const char *from, size_t n)
{
	volatile uint64_t *t = (volatile uint64_t *)(void *)to;
	const uint64_t *f = (const uint64_t *)(const void *)from;

	if (from)
		for (size_t i = 0; i < n / 8; i++)
			t[i] = f[i];
	else
		for (size_t i = 0; i < n / 8; i++)
			t[i] = 0;
}

static void state_restore(void)
{
	size_t nd = (size_t)(__stop_tt_data - __start_tt_data);

	CHECK(((uintptr_t)__start_tt_data | nd | (uintptr_t)__start_tt_bss |
	       (size_t)(__stop_tt_bss - __start_tt_bss)) % 8 == 0);

	if (!data_snapshot) {
		data_snapshot = malloc(nd ? nd : 1);
		if (!data_snapshot)
			abort();
		copy_state(data_snapshot, __start_tt_data, nd);
		/* the bss is still all zero: no run has happened */
		return;
	}
	copy_state(__start_tt_data, data_snapshot, nd);
	copy_state(__start_tt_bss, NULL, (size_t)(__stop_tt_bss - __start_tt_bss));
}
#else
static void state_restore(void) { }
#endif

/* ---- one run --------------------------------------------------------------- */

static jmp_buf exit_jump;
static int files[2] = { -1, -1 }, out_fd = -1;
static char err_text[ERR_SIZE];
static FILE *err_file;
static char stdout_buf[BUFSIZ];

static void exit_hook(int status)
{
	longjmp(exit_jump, 256 + (status & 0xff));
}

static void setup(void)
{
	if (slot)
		return;
	slot = mmap(NULL, SLOTS * sizeof *slot, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	slot_size = mmap(NULL, SLOTS * sizeof *slot_size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	marked = mmap(NULL, SLOTS, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	work = mmap(NULL, SLOTS * sizeof *work, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	alloc_log = mmap(NULL, LOG_MAX * sizeof *alloc_log, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (slot == MAP_FAILED || alloc_log == MAP_FAILED || slot_size == MAP_FAILED ||
	    marked == MAP_FAILED || work == MAP_FAILED)
		abort();
	__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
	/* files in memory: named /proc/self/fd/N */
	files[0] = memfd_create("tt-fuzz-1", 0);
	files[1] = memfd_create("tt-fuzz-2", 0);
	out_fd = memfd_create("tt-fuzz-out", 0);
	if (files[0] < 0 || files[1] < 0 || out_fd < 0)
		abort();
	/* --help and --version print through stdio: its buffer is ours, not
	 * one the run would allocate */
	setvbuf(stdout, stdout_buf, _IOFBF, sizeof stdout_buf);
	err_file = fmemopen(err_text, sizeof err_text - 1, "w");
	if (!err_file)
		abort();
	setvbuf(err_file, NULL, _IONBF, 0);
	state_restore();
}

static void put_file(int fd, const uint8_t *p, size_t n)
{
	CHECK(ftruncate(fd, 0) == 0);
	CHECK(n == 0 || pwrite(fd, p, n, 0) == (ssize_t)n);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
}

/* runs the tool with stdout and stderr captured; the exit status */
static int run_tool(size_t t, int argc, char **argv, int *returned)
{
	volatile int ret = 0;
	int status;

	status = setjmp(exit_jump);
	if (status == 0) {
		status = tools[t].main(argc, argv);
		ret = 1;
	} else {
		status -= 256;
	}
	*returned = ret;
	return status;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS + 3], *words = NULL, names[2][32];
	const uint8_t *part[3];
	size_t plen[3], pos, t, k;
	int argc = 0, status, returned, saved_out, open_before[FD_SCAN];
	FILE *saved_err;
	struct stat st;

	if (size == 0)
		return 0;
	setup();
	t = data[0] % NTOOLS;

	/* the arguments and the two files */
	pos = 1;
	for (k = 0; k < 3; k++) {
		const uint8_t *sep = k < 2 && pos < size ? memchr(data + pos, SEP, size - pos) : NULL;
		part[k] = data + pos;
		plen[k] = pos >= size ? 0 : sep ? (size_t)(sep - (data + pos)) : size - pos;
		pos += plen[k] + (sep != NULL);
		if (!sep)
			pos = size;
	}
	for (k = 0; k < 2; k++) {
		put_file(files[k], part[k + 1], plen[k + 1]);
		snprintf(names[k], sizeof names[k], "/proc/self/fd/%d", files[k]);
	}
	words = malloc(plen[0] + 1);
	if (!words)
		abort();
	memcpy(words, part[0], plen[0]);
	words[plen[0]] = '\0';
	argv[argc++] = (char *)tools[t].name;
	if (tools[t].forced)
		argv[argc++] = (char *)tools[t].forced;
	if (plen[0] > 0) {
		char *w = words;
		for (;;) {
			char *nl = memchr(w, '\n', (size_t)(words + plen[0] - w));
			if (nl)
				*nl = '\0';
			if (argc < MAX_ARGS + 2) {
				if (strcmp(w, "@1") == 0)
					w = names[0];
				else if (strcmp(w, "@2") == 0)
					w = names[1];
				else if (tools[t].rewrite &&
					 strncmp(w, tools[t].rewrite, strlen(tools[t].rewrite)) == 0)
					w = (char *)tools[t].forced;
				else if (tools[t].main == fuzz_main_event && strncmp(w, "--pe", 4) == 0)
					w = "--permute=19";
				argv[argc++] = w;
			}
			if (!nl)
				break;
			w = nl + 1;
		}
	}
	argv[argc] = NULL;

	/* a fresh process: globals, getopt, GSL's error handler, descriptors */
	state_restore();
	tt_exit_hook = exit_hook;     /* a global of the library: set back too */
	optind = 0;
	gsl_set_error_handler(NULL);
	for (int fd = 0; fd < FD_SCAN; fd++)
		open_before[fd] = fcntl(fd, F_GETFD) != -1;
	CHECK(dup2(files[0], STDIN_FILENO) == STDIN_FILENO);
	CHECK(lseek(STDIN_FILENO, 0, SEEK_SET) == 0);
	CHECK(ftruncate(out_fd, 0) == 0);
	CHECK(lseek(out_fd, 0, SEEK_SET) == 0);
	fflush(stdout);
	saved_out = dup(STDOUT_FILENO);
	CHECK(saved_out >= 0 && saved_out < FD_SCAN);
	open_before[saved_out] = 1;
	CHECK(dup2(out_fd, STDOUT_FILENO) == STDOUT_FILENO);
	CHECK(fseek(err_file, 0, SEEK_SET) == 0);
	saved_err = stderr;
	stderr = err_file;

	tracking = 1;
	status = run_tool(t, argc, argv, &returned);
	tracking = 0;

	stderr = saved_err;
	fflush(stdout);
	CHECK(dup2(saved_out, STDOUT_FILENO) == STDOUT_FILENO);
	close(saved_out);
	fflush(err_file);
	err_text[ftell(err_file)] = '\0';
	for (int fd = 3; fd < FD_SCAN; fd++)
		if (!open_before[fd] && fcntl(fd, F_GETFD) != -1)
			close(fd);

	/* the invariants */
	CHECK(fstat(out_fd, &st) == 0);
	if (getenv("TT_FUZZ_VERBOSE"))
		fprintf(stderr, "%s exit %d, %lld bytes out; stderr:\n%s", tools[t].name, status,
			(long long)st.st_size, err_text);
	CHECK(status == 0 || status == 1 || status == 2);
	if (status != 0) {
		size_t n = strlen(tools[t].name);
		CHECK(strncmp(err_text, tools[t].name, n) == 0 && err_text[n] == ':');
		CHECK(st.st_size == 0 || tools[t].out_on_failure);
	} else if (st.st_size > 0) {
		char last = 0;
		CHECK(pread(out_fd, &last, 1, st.st_size - 1) == 1);
		CHECK(last == '\n');
	}
	if (returned && status == 0) {
		size_t left = count_unheld();
		if (left > 0) {
			fprintf(stderr, "%s returned 0 and leaked %zu blocks\n", tools[t].name, left);
			CHECK(!"a run that returns 0 frees all it allocated");
		}
	}
	free_leftovers();
	free(words);
	return 0;
}
