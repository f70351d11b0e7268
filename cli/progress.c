/* The progress display (see progress.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <forkmap/util.h>

#include "progress.h"

void cli_progress_init(cli_progress *p, int quiet)
{
	memset(p, 0, sizeof(*p));
	p->quiet = quiet;
	p->tty = isatty(STDERR_FILENO);
}

static void clear_line(cli_progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", stderr);
		p->shown = 0;
	}
}

void cli_progress_cb(void *payload, const fm_progress *pr)
{
	cli_progress *p = payload;
	char line[512], wait[64] = "", req[64] = "", counts[64];
	char *current = NULL;
	const char *phase = pr->phase ? pr->phase : "";

	if (p->quiet)
		return;
	if (pr->wait_until) {
		struct tm tm;
		time_t t = (time_t)pr->wait_until;

		gmtime_r(&t, &tm);
		strftime(wait, sizeof(wait),
			 ", waiting for rate limit until "
			 "%H:%M:%S UTC",
			 &tm);
	}
	if (pr->requests)
		snprintf(req, sizeof(req), ", %ld requests (%ld left)",
			 pr->requests, pr->remaining);
	if (pr->current)
		current = fm_term_safe(pr->current);
	/* Only the counters this census uses: a local census lists and
	 * fetches nothing. */
	counts[0] = '\0';
	if (pr->forks_listed)
		snprintf(counts, sizeof(counts), "%zu listed, ",
			 pr->forks_listed);
	if (pr->forks_fetched)
		snprintf(counts + strlen(counts),
			 sizeof(counts) - strlen(counts), "%zu fetched, ",
			 pr->forks_fetched);
	snprintf(line, sizeof(line), "%s: %s%zu/%zu measured%s%s%s%s", phase,
		 counts, pr->forks_measured, pr->forks_total, req, wait,
		 current ? " - " : "", current ? current : "");
	free(current);
	if (p->tty) {
		clear_line(p);
		fprintf(stderr, "%.*s", 150, line);
		fflush(stderr);
		p->shown = 1;
		return;
	}
	/* Not a terminal: a log line when the phase changes or a wait starts.
	 */
	if (strcmp(p->last_phase, phase) != 0 || pr->wait_until) {
		snprintf(p->last_phase, sizeof(p->last_phase), "%s", phase);
		fprintf(stderr, "forkmap: %s\n", line);
	}
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
}
