#ifndef FORKMAP_CENSUS_H
#define FORKMAP_CENSUS_H
/*
 * The census: a list of forks to measure against one upstream branch of a
 * local repository, and the rows that measuring them produces. Every number
 * in a row is defined by the metric contract in DESIGN.md.
 *
 *	fm_repo *repo;
 *	fm_fork_list forks = FM_FORK_LIST_INIT;
 *	fm_census_opts opts = FM_CENSUS_OPTS_INIT;
 *	fm_census *census;
 *
 *	fm_repo_open(ctx, "qemu.git", &repo);
 *	fm_local_discover(ctx, repo, globs, nglobs, &forks);
 *	fm_census_measure(ctx, repo, &opts, &forks, &census);
 *	... census->rows[i] ...
 *	fm_census_free(census);
 *	fm_fork_list_clear(&forks);
 *	fm_repo_free(repo);
 */
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A point in time as git keeps it: epoch seconds and the UTC offset. */
typedef struct fm_date {
	int64_t time;	/* seconds since the epoch, UTC */
	int offset;	/* minutes east of UTC */
	int set;	/* 0: no date (field empty) */
} fm_date;

typedef enum fm_source {
	FM_SOURCE_LOCAL = 0,
	FM_SOURCE_CONFIG = 1,
	FM_SOURCE_GITHUB = 2,
} fm_source;

/* "local", "config", "github"; NULL for an unknown value. */
const char *fm_source_name(fm_source s);
/* Parse a source name; returns -1 when unknown. */
int fm_source_parse(const char *name);

/*
 * A fork to measure. The census reads `ref` from the local repository; for
 * configured and GitHub forks, fm_fetch_forks first fetches `url`'s
 * `branch` into `ref`. A fork that already carries an error (it failed to be
 * discovered or fetched) becomes a row with that error.
 */
typedef struct fm_fork {
	char *name;	/* "owner/repo", a local branch name, a config name */
	char *branch;	/* the fork's branch name */
	char *ref;	/* full local ref measured, e.g. refs/forkmap/o/r/main */
	char *url;	/* where to fetch from; NULL for local forks */
	fm_source source;
	char *error;	/* NULL when fine so far */
	long stars;	/* GitHub stargazers, -1 when unknown */
	int depth;	/* 1 for a fork of upstream, 2 for a fork of a fork... */
} fm_fork;

typedef struct fm_fork_list {
	fm_fork *items;
	size_t count;
	size_t alloc;
} fm_fork_list;

#define FM_FORK_LIST_INIT {NULL, 0, 0}

/*
 * Append a fork; strings are copied (url and error may be NULL). Returns the
 * new entry through *out when out is not NULL (borrowed from the list).
 */
int fm_fork_list_add(fm_fork_list *list, const char *name, const char *branch,
		     const char *ref, const char *url, fm_source source,
		     fm_fork **out);
/* Set (replace) the error of one fork. */
int fm_fork_set_error(fm_fork *fork, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void fm_fork_list_clear(fm_fork_list *list);

/* A local git repository (bare or not). */
typedef struct fm_repo fm_repo;

int fm_repo_open(fm_ctx *ctx, const char *path, fm_repo **out);
void fm_repo_free(fm_repo *repo);
/* The path libgit2 opened (the .git dir for non-bare); borrowed. */
const char *fm_repo_path(const fm_repo *repo);
/*
 * The short name of the branch HEAD points at ("master"); caller frees with
 * free(). FM_ENOTFOUND when HEAD is detached or unborn.
 */
int fm_repo_head_branch(fm_ctx *ctx, fm_repo *repo, char **out);

/*
 * Append every ref matching one of `globs` (fnmatch on the full ref name,
 * e.g. "refs/heads/forks/" "*") as a local fork named by the part of the ref
 * after the glob's fixed prefix ("refs/heads/forks/acme" -> "acme").
 */
int fm_local_discover(fm_ctx *ctx, fm_repo *repo, const char *const *globs,
		      size_t nglobs, fm_fork_list *list);

/* Options of fm_fetch_forks. */
typedef struct fm_fetch_opts {
	int parallel;	/* concurrent fetches; 0 means 4 */
	int timeout;	/* seconds without progress before a fetch fails */
} fm_fetch_opts;
#define FM_FETCH_OPTS_INIT {0, 0}

/*
 * Fetch every fork that has a url and no error: url's refs/heads/<branch>
 * into the fork's ref (forced: forks rewrite history). A failure becomes
 * that fork's error; the call itself fails only on interruption or when the
 * repository cannot be used at all.
 */
int fm_fetch_forks(fm_ctx *ctx, fm_repo *repo, fm_fork_list *list,
		   const fm_fetch_opts *opts);

/*
 * Creating the local repository (implemented in crawler/fetch.c, next to
 * fm_fetch_forks): for a census of an upstream that has no local clone yet.
 * Creates a bare repository at `path` (which must be missing, an empty
 * directory, or a repository already), fetches url's refs/heads/<branch>
 * into refs/heads/<branch> and every tag into refs/tags/, points HEAD at
 * the branch and opens it into *out (free with fm_repo_free). With GitHub:
 * url and branch are fm_github_get_repo's clone_url and default_branch.
 */
int fm_repo_init_bare(fm_ctx *ctx, const char *path, const char *url,
		      const char *branch, fm_repo **out);

/* One measured (or failed, or skipped) fork. */
typedef struct fm_row {
	char *name;
	char *branch;
	char *ref;
	fm_source source;
	char *error;	/* NULL when measured */
	char *skipped;	/* NULL, or why the row was skipped ("ahead == 0") */
	char head[41];	/* F, hex; "" when unknown */
	char merge_base[41];
	long ahead;
	long behind;
	long ahead_first_parent;
	long unique;
	char *base_tag;	/* "" when none */
	char *release;	/* "" when none */
	long files;
	long insertions;
	long deletions;
	fm_date head_date;
	fm_date merge_base_date;
	fm_date base_date;
	long stars;	/* -1 when unknown */
} fm_row;

/* A release node: a release tag some fork is based on. */
typedef struct fm_release {
	char *tag;
	char commit[41];
	fm_date date;	   /* committer date of the tag's commit */
	long tree_lines;   /* text lines in the whole tree at the tag */
} fm_release;

typedef struct fm_census {
	char *upstream;	/* display name of the upstream ("qemu/qemu") */
	char *branch;	/* upstream branch measured against */
	char head[41];	/* U */
	fm_date head_date;
	long head_tree_lines; /* tree_lines of U (the trunk tip node) */
	int64_t started; /* epoch seconds */
	int64_t finished;
	fm_row *rows;
	size_t nrows;
	fm_release *releases; /* in committer-date order, oldest first */
	size_t nreleases;
} fm_census;

void fm_census_free(fm_census *census);

/*
 * Options of fm_census_measure. Pattern arrays are borrowed; a NULL array
 * means the default of DESIGN.md, a non-NULL array with count 0 means none.
 */
typedef struct fm_census_opts {
	const char *upstream;	/* display name; default: repository dir name */
	const char *branch;	/* upstream branch; default: HEAD's branch */
	const char *const *describe; /* tags.describe globs */
	size_t ndescribe;
	const char *release;	/* tags.release POSIX extended regex */
	const char *const *skip; /* branch-name globs skipped ("staging", "*-next") */
	size_t nskip;
	int keep_empty;		/* 1: do not skip forks with ahead == 0 */
	struct fm_store *cache;	/* borrowed store for blob-line and patch-id
				   caches (nightly runs reuse them), or NULL */
} fm_census_opts;

#define FM_CENSUS_OPTS_INIT {NULL, NULL, NULL, 0, NULL, NULL, 0, 0, NULL}

#define FM_DEFAULT_RELEASE_REGEX "^v?[0-9]+\\.[0-9]+\\.[0-9]+$"

/*
 * Measure every fork of `list` against the upstream branch. Per-fork
 * failures become rows with an error; the call fails only when the
 * repository, the upstream branch or the options are unusable, or on
 * interruption.
 */
int fm_census_measure(fm_ctx *ctx, fm_repo *repo, const fm_census_opts *opts,
		      const fm_fork_list *list, fm_census **out);

#ifdef __cplusplus
}
#endif
#endif
