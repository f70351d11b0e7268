#ifndef FORKMAP_CLI_H
#define FORKMAP_CLI_H
/* The forkmap program: one cmd_<name>.c per subcommand over libforkmap. */
#include <stdio.h>

#include <forkmap/census.h>
#include <forkmap/common.h>
#include <forkmap/repo.h>
#include <forkmap/runs.h>
#include <forkmap/settings.h>

/* Exit codes: their meanings and causes are one table (exit_codes.c). */
enum {
	EXIT_OK = 0,	      /* done; every fork measured or skipped */
	EXIT_FORK_ERRORS = 1, /* done, but some forks have an error row */
	EXIT_USAGE = 2,	      /* bad command line */
	EXIT_CONFIG = 3,      /* bad or missing config file */
	EXIT_REPO = 4,	      /* repository missing or unusable */
	EXIT_STORE = 5,	      /* the store or an output file failed */
	EXIT_AUTH = 6,	      /* GitHub rejected the credentials */
	EXIT_NET = 7,	      /* GitHub API unreachable */
	EXIT_RATELIMIT = 8,   /* stopped: rate-limit wait exceeds --max-wait */
	EXIT_INTERRUPTED = 9, /* stopped by a signal; store left consistent */
	EXIT_FAILURE_OTHER = 10, /* any other failure */
	EXIT_LISTING = 11,	 /* the forks could not be listed */
	EXIT_LOCKED = 12,	 /* another census holds the store */
};

/* Map a library error code to the exit code above. */
int cli_exit_code(int fm_error);
/* The "exit codes:" section of --help, from the same table. */
void cli_exit_codes_help(FILE *out);

/* Print "error: MESSAGE" for the context's last failure to stderr. */
void cli_error(fm_ctx *ctx);

/*
 * A whole number of option opt within [min, max]; prints "error: ..." and
 * returns -1 otherwise.
 */
int cli_parse_number(const char *opt, const char *s, long long min,
		     long long max, long long *out);
/*
 * A number for the option of settings-table entry id, within its limits;
 * prints "error: --top wants a whole number from 1 to 100000, not 'x'" and
 * returns -1 otherwise.
 */
int cli_parse_setting(fm_setting id, const char *s, long long *out);
/* `forkmap --config FILE <command>`; NULL when not given. */
const char *cli_global_config(void);
/*
 * The config file to read: given (the command's --config), else the global
 * --config, else ./forkmap.conf if present, else NULL.
 */
const char *cli_config_path(const char *given);

/*
 * The store at db opened read-only (fm_store_open_readonly) for a reader
 * command; a missing file is "no census store at 'db' (run forkmap census
 * first, or give --db or --csv)". Caller frees *out with fm_store_free.
 */
int cli_open_store(fm_ctx *ctx, const char *db, fm_store **out);

/*
 * A stored census run (run 0: the latest good one) from db, else the config's
 * store.path, else the repository's forkmap.db, opened read-only. A
 * missing store or run, or a run that failed, is an error that says what to do;
 * caller frees *out with fm_census_free.
 */
int cli_load_census(fm_ctx *ctx, const char *db, const char *repo,
		    const char *config, int64_t run, fm_census **out);

/*
 * The store diff and log read, found as cli_load_census finds it; an error
 * when it does not exist (a reader never creates one). *path gets the path
 * opened (free with free()); free *out with fm_store_free.
 */
int cli_store_open_reader(fm_ctx *ctx, const char *db, const char *repo,
			  const char *config, fm_store **out, char **path);

/*
 * The readable table of a census on stdout, every untrusted string made
 * terminal-safe; skipped rows are left out, failed ones show their error.
 * The fate column is judged at the census's time (fm_fate_now).
 */
void cli_print_census(fm_ctx *ctx, const fm_census *census);

int cmd_census(int argc, char **argv);
int cmd_stale(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_show(int argc, char **argv);

/*
 * Text on the terminal measured in display columns, as the terminal draws
 * it: a wide (CJK, most emoji) character takes 2, a combining mark 0, under
 * LC_CTYPE (cli_text_locale). s is text already made safe by fm_term_safe.
 */
/* Set LC_CTYPE from the environment, else C.UTF-8 when it is not UTF-8. */
void cli_text_locale(void);
/* The display width of s. */
int cli_text_width(const char *s);
/*
 * Print s cut to at most width columns, on a character boundary; with pad,
 * spaces fill it to width. Returns the columns printed.
 */
int cli_print_cell(FILE *out, const char *s, int width, int pad);

#endif
