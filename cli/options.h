#ifndef FORKMAP_CLI_OPTIONS_H
#define FORKMAP_CLI_OPTIONS_H
/*
 * A command's options as one table, from which both getopt_long's option
 * list and the options part of --help are made, so an option cannot be
 * parsed without being documented or documented with other limits than it
 * has. Numbers take their default and limits from the settings table.
 *
 *	static const cli_opt opts[] = {
 *		{"output:", 0, 0, 0, 0, NULL, NULL},	(a heading)
 *		{"db", 0, CLI_STR, offsetof(struct args, db), 0, "FILE",
 *		 "the store"},
 *		{"top", 0, CLI_NUM, offsetof(struct args, top), FM_SET_TOP,
 *		 "N", "the N most starred forks"},
 *		{NULL, 0, 0, 0, 0, NULL, NULL},
 *	};
 *	rc = cli_options_parse(argc, argv, opts, &args);
 */
#include <stddef.h>
#include <stdio.h>

#include <forkmap/settings.h>

typedef enum cli_opt_kind {
	CLI_HEADING = 0, /* not an option: a heading of --help ("forks:") */
	CLI_FLAG,	 /* int field set to 1 */
	CLI_STR,	 /* const char * field: the argument (borrowed) */
	CLI_LIST,	 /* fm_strlist field: each use adds one */
	CLI_NUM,	 /* long long field: within the setting's limits;
			    -1 when not given */
	CLI_CUSTOM,	 /* the field is filled by the option's parse() */
} cli_opt_kind;

struct cli_opt;
/* CLI_CUSTOM: parse value into field; print "error: ..." and -1 if bad. */
typedef int (*cli_parse_fn)(const struct cli_opt *o, const char *value,
			    void *field);

typedef struct cli_opt {
	const char *name; /* long name without "--" ("": a short option
			     only); the heading text for CLI_HEADING; NULL
			     ends the table */
	char short_name;  /* 0: none */
	cli_opt_kind kind;
	size_t off;	    /* of the field in the caller's args struct */
	fm_setting setting; /* CLI_NUM: its limits and default */
	const char *arg;    /* the argument's name in --help ("FILE") */
	const char *help;   /* one line; a '\n' continues it underneath */
	cli_parse_fn parse; /* CLI_CUSTOM only */
} cli_opt;

/*
 * The options every reader of the store takes, for an args struct with
 * `db`, `repo` and `config` fields (offsets from the caller's A() macro):
 * --db FILE, -C PATH, --config FILE, as cli_store_open_reader finds it.
 */
#define CLI_STORE_OPTIONS(A)                                  \
	{"db",                                                \
	 0,                                                   \
	 CLI_STR,                                             \
	 A(db),                                               \
	 0,                                                   \
	 "FILE",                                              \
	 "census store (default: forkmap.db of -C)",          \
	 NULL},                                               \
		{"",                                          \
		 'C',                                         \
		 CLI_STR,                                     \
		 A(repo),                                     \
		 0,                                           \
		 "PATH",                                      \
		 "repository whose store is the default (.)", \
		 NULL},                                       \
	{                                                     \
		"config", 0, CLI_STR, A(config), 0, "FILE",   \
			"config file for store.path", NULL    \
	}

/* "error: --OPT wants WANT, not 'VALUE'" on stderr; returns -1. */
int cli_bad_value(const cli_opt *o, const char *want, const char *value);
/*
 * One of names (NULL-terminated) into *out as its index; otherwise
 * cli_bad_value with want ("date or size").
 */
int cli_parse_choice(const cli_opt *o, const char *value,
		     const char *const *names, const char *want, int *out);
/* CLI_CUSTOM parse of a date (YYYY-MM-DD or ISO 8601) into an fm_date. */
int cli_parse_date(const cli_opt *o, const char *value, void *field);

/*
 * Parse argv into args (fields zeroed first, CLI_NUM fields -1, lists
 * empty). Returns 1 for -h/--help, -1 after printing "error: ..." for a bad
 * command line (unknown option, bad number, stray argument), else 0.
 * Free the lists with cli_options_clear.
 */
int cli_options_parse(int argc, char **argv, const cli_opt *opts, void *args);
/*
 * cli_options_parse for a command with arguments: up to max arguments
 * that are not options go to pos[0 .. *npos - 1], in order; one more is
 * an error.
 */
int cli_options_parse_args(int argc, char **argv, const cli_opt *opts,
			   void *args, size_t max, const char **pos,
			   size_t *npos);
void cli_options_clear(const cli_opt *opts, void *args);

/* The options part of --help: headings, and one line (or more) each. */
void cli_options_help(FILE *out, const cli_opt *opts);

#endif
