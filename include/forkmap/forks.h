#ifndef FORKMAP_FORKS_H
#define FORKMAP_FORKS_H
/*
 * The forks a census measures: where each came from, which local ref holds
 * its head, and where to fetch it from. Discovery (local branches, config
 * sections, forges) appends to one fm_fork_list; fetching fills the refs;
 * measuring turns each fork into a row.
 *
 *	fm_fork_list forks = FM_FORK_LIST_INIT;
 *	fm_local_discover(ctx, repo, globs, nglobs, &forks);
 *	... forks.items[i].name, .ref, .error ...
 *	fm_fork_list_clear(&forks);
 */
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fm_repo fm_repo;

typedef enum fm_source {
	FM_SOURCE_LOCAL = 0,
	FM_SOURCE_CONFIG = 1,
	FM_SOURCE_GITHUB = 2,
	FM_SOURCE_GITLAB = 3,
	FM_SOURCE_FORGEJO = 4, /* Forgejo and Gitea (Codeberg) */
} fm_source;

/* "local", "config", "github", "gitlab", "forgejo"; NULL when unknown. */
const char *fm_source_name(fm_source s);
/* Parse a source name; returns -1 when unknown. */
int fm_source_parse(const char *name);

/*
 * A fork to measure. The census reads `ref` from the local repository; for
 * configured and forge forks, fm_fetch_forks first fetches `url`'s
 * `branch` into `ref`. A fork that already carries an error (it failed to be
 * discovered or fetched) becomes a row with that error.
 */
typedef struct fm_fork {
	char *name;   /* "owner/repo", a local branch name, a config name */
	char *branch; /* the fork's branch name */
	char *ref;    /* full local ref measured, e.g. refs/forkmap/o/r/main */
	char *url;    /* where to fetch from; NULL for local forks */
	fm_source source;
	char *error;   /* NULL when fine so far */
	long stars;    /* stargazers, -1 when unknown */
	int depth;     /* 1 for a fork of upstream, 2 for a fork of a fork... */
	char *skipped; /* NULL, or why it is skipped without a fetch ("never
			  pushed"): a skipped row, not measured */
} fm_fork;

typedef struct fm_fork_list {
	fm_fork *items;
	size_t count;
	size_t alloc;
} fm_fork_list;

#define FM_FORK_LIST_INIT  \
	{                  \
		NULL, 0, 0 \
	}

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

/*
 * The local ref a fetched fork is kept in, one namespace per source so two
 * sources can never collide:
 *   refs/forkmap/<source>/<name>/<branch>
 * e.g. refs/forkmap/github/acme/qemu/stable, refs/forkmap/config/acme/main.
 * Fails with FM_EINVAL when name or branch would not make a valid ref
 * component (empty, "..", a leading "-", control characters ...).
 * Caller frees *out with free().
 */
int fm_fork_ref(fm_ctx *ctx, fm_source source, const char *name,
		const char *branch, char **out);

/*
 * Append every ref matching one of `globs` (fnmatch on the full ref name,
 * e.g. "refs/heads/forks/" "*") as a local fork named by the part of the ref
 * after the glob's fixed prefix ("refs/heads/forks/acme" -> "acme").
 */
int fm_local_discover(fm_ctx *ctx, fm_repo *repo, const char *const *globs,
		      size_t nglobs, fm_fork_list *list);

#ifdef __cplusplus
}
#endif
#endif
