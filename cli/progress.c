/* The progress display (see progress.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <forkmap/util.h>

#include "cli.h"
#include "progress.h"

void cli_progress_init(cli_progress *p, int quiet)
{
	memset(p, 0, sizeof(*p));
	p->quiet = quiet;
	p->tty = isatty(STDERR_FILENO);
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void clear_line(cli_progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", stderr);
		p->shown = 0;
	}
}

/* Append to a line, cutting at its end. */
static void add(char *line, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add(char *line, size_t size, const char *fmt, ...)
{
	size_t len = strlen(line);
	va_list ap;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(line + len, size - len, fmt, ap);
	va_end(ap);
}

static void add_duration(char *line, size_t size, double s)
{
	long t = (long)(s + 0.5);

	if (t >= 3600)
		add(line, size, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60,
		    t % 60);
	else
		add(line, size, "%ld:%02ld", t / 60, t % 60);
}

/*
 * The counts of the step: "patch ids 1200/5000 commits (24%, ETA 0:07)".
 * The rate comes from the reports of this step seen so far; eta only on a
 * terminal, where it is redrawn.
 */
static void add_counts(cli_progress *p, const fm_progress *pr, int eta,
		       char *line, size_t size)
{
	double elapsed = mono() - p->key_start;
	size_t moved = pr->done > p->key_done ? pr->done - p->key_done : 0;

	if (pr->step)
		add(line, size, "%s ", pr->step);
	if (!pr->total && !pr->done && pr->step) /* a start: nothing yet */
		line[strlen(line) - 1] = '\0';
	else if (pr->total)
		add(line, size, "%zu/%zu %s", pr->done, pr->total, pr->unit);
	else
		add(line, size, "%zu %s", pr->done, pr->unit);
	if (!eta)
		return;
	if (pr->total && pr->done < pr->total) {
		add(line, size, " (%d%%",
		    (int)(100.0 * (double)pr->done / (double)pr->total));
		if (moved) {
			double rate = (double)moved /
				      (elapsed > 1e-6 ? elapsed : 1e-6);

			add(line, size, ", ETA ");
			add_duration(line, size,
				     (double)(pr->total - pr->done) / rate);
		}
		add(line, size, ")");
	} else if (!pr->total && moved && elapsed >= 1) {
		add(line, size, " (%.0f/s)", (double)moved / elapsed);
	}
}

static void render(cli_progress *p, const fm_progress *pr, int eta, char *line,
		   size_t size)
{
	const char *phase = pr->phase ? pr->phase : "";
	char *current = pr->current ? fm_term_safe(pr->current) : NULL;
	const char *sep = "";

	line[0] = '\0';
	add(line, size, "%s: ", phase);
	if (pr->unit) {
		add_counts(p, pr, eta, line, size);
		sep = ", ";
	}
	/* the census's own count, while forks are measured */
	if (pr->forks_total && !strcmp(phase, "measuring")) {
		add(line, size, "%s%zu/%zu forks measured", sep,
		    pr->forks_measured, pr->forks_total);
		sep = ", ";
	}
	if (pr->requests) {
		add(line, size, "%s%ld requests", sep, pr->requests);
		if (pr->remaining >= 0)
			add(line, size, " (%ld left)", pr->remaining);
		sep = ", ";
	}
	if (pr->wait_until) {
		char when[64];
		struct tm tm;
		time_t t = (time_t)pr->wait_until;

		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%H:%M:%S UTC", &tm);
		add(line, size, "%swaiting for rate limit until %s", sep, when);
		sep = ", ";
	}
	if (current)
		add(line, size, "%s%s", *sep ? " - " : "", current);
	free(current);
}

static int term_columns(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
		return ws.ws_col;
	return 80;
}

/* Not a terminal: a line stamped with the time it is printed. */
static void print_stamped(const char *line)
{
	char stamp[32];
	struct tm tm;
	time_t now = time(NULL);

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s forkmap: %s\n", stamp, line);
}

/* Not a terminal: the step that ended, with its last counts and time. */
static void flush_step(cli_progress *p)
{
	if (!p->last[0])
		return;
	/* a step that said when it finished took until then; any other
	 * until the next began */
	double took = (p->key_end ? p->key_end : mono()) - p->key_start;

	if (took < 60) {
		add(p->last, sizeof(p->last), " in %.1f s", took);
	} else {
		add(p->last, sizeof(p->last), " in ");
		add_duration(p->last, sizeof(p->last), took);
	}
	print_stamped(p->last);
	p->last[0] = '\0';
}

void cli_progress_cb(void *payload, const fm_progress *pr)
{
	cli_progress *p = payload;
	char line[512], key[sizeof(p->key)];

	if (p->quiet)
		return;
	snprintf(key, sizeof(key), "%s/%s", pr->phase ? pr->phase : "",
		 pr->step ? pr->step : "");
	if (strcmp(key, p->key) != 0) {
		size_t plen = strcspn(key, "/");
		int new_phase = strncmp(key, p->key, plen + 1) != 0;

		if (!p->tty)
			flush_step(p);
		snprintf(p->key, sizeof(p->key), "%s", key);
		p->key_start = mono();
		p->key_done = pr->done;
		p->key_end = 0;
		p->key_reports = 0;
		p->key_stamped = 0;
		render(p, pr, p->tty, line, sizeof(line));
		/* off a terminal, a phase says when it starts */
		if (!p->tty && new_phase && !pr->wait_until) {
			print_stamped(line);
			p->key_stamped = 1;
		}
	} else {
		render(p, pr, p->tty, line, sizeof(line));
	}
	p->key_reports++;
	if (pr->unit && pr->total && pr->done >= pr->total && !p->key_end)
		p->key_end = mono();
	if (p->tty) {
		clear_line(p);
		/* one screen line, or \r\033[K could not take it back */
		cli_print_cell(stderr, line, term_columns() - 1, 0);
		fflush(stderr);
		p->shown = 1;
		return;
	}
	if (pr->wait_until) { /* a wait is news at once */
		print_stamped(line);
		p->last[0] = '\0';
		return;
	}
	snprintf(p->last, sizeof(p->last), "%s", line);
}

void cli_log_cb(void *payload, int level, const char *msg)
{
	cli_progress *p = payload;
	char *safe;

	if (p->quiet && level < FM_LOG_WARN)
		return;
	if (level == FM_LOG_DEBUG && !p->verbose)
		return;
	clear_line(p);
	safe = fm_term_safe(msg);
	fprintf(stderr, "%s%s\n", level == FM_LOG_WARN ? "warning: " : "",
		safe ? safe : "");
	free(safe);
}

void cli_progress_done(cli_progress *p)
{
	clear_line(p);
	/* the last step, unless its one report was just printed as a start */
	if (!p->tty && !p->quiet && !(p->key_stamped && p->key_reports == 1))
		flush_step(p);
	p->last[0] = '\0';
	p->key[0] = '\0';
}
