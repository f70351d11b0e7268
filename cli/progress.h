#ifndef FORKMAP_CLI_PROGRESS_H
#define FORKMAP_CLI_PROGRESS_H
/*
 * The progress display, on stderr. On a terminal: one live line with the
 * counts of the step running (done/total, percent, ETA), redrawn at each
 * report. Not on a terminal: one timestamped line per phase and step, when
 * it ends, with its last counts and how long it took (and a line at once
 * when a rate-limit wait starts). Nothing with --quiet. No colour.
 */
#include <forkmap/common.h>

typedef struct cli_progress {
	int quiet;
	int verbose; /* show debug log lines */
	int tty;
	int shown; /* a live line is on screen */
	/* the phase and step being shown: "measuring/patch ids" */
	char key[96];
	double key_start; /* monotonic seconds when it was first reported */
	size_t key_done;  /* its done count then */
	double key_end;	  /* when it reported all done, else 0 */
	int key_reports;  /* reports of it so far */
	int key_stamped;  /* its first report was printed (phase start) */
	char last[512];	  /* not a terminal: its last line, still to print */
} cli_progress;

void cli_progress_init(cli_progress *p, int quiet);
/* fm_progress_fn */
void cli_progress_cb(void *payload, const fm_progress *p);
/* fm_log_fn */
void cli_log_cb(void *payload, int level, const char *msg);
/* Clear the live line (or print the last step's line) before other output. */
void cli_progress_done(cli_progress *p);

#endif
