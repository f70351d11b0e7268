#ifndef FORKMAP_CLI_PROGRESS_H
#define FORKMAP_CLI_PROGRESS_H
/*
 * The progress display: one live line on a terminal (stderr), plain log
 * lines when stderr is not a terminal, nothing with --quiet.
 */
#include <forkmap/common.h>

typedef struct cli_progress {
	int quiet;
	int verbose; /* show debug log lines */
	int tty;
	int shown; /* a live line is on screen */
	char last_phase[32];
	long last_requests;
} cli_progress;

void cli_progress_init(cli_progress *p, int quiet);
/* fm_progress_fn */
void cli_progress_cb(void *payload, const fm_progress *p);
/* fm_log_fn */
void cli_log_cb(void *payload, int level, const char *msg);
/* Clear the live line before other output. */
void cli_progress_done(cli_progress *p);

#endif
