#ifndef FORKMAP_CONFIG_H
#define FORKMAP_CONFIG_H
/*
 * forkmap.conf: git-config syntax, read with libgit2's config API. See
 * config/forkmap.conf for every key. Command-line options override it.
 */
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fm_strlist {
	char **items;
	size_t count;
} fm_strlist;

int fm_strlist_add(fm_strlist *l, const char *s);
void fm_strlist_clear(fm_strlist *l);

typedef struct fm_config_fork {
	char *name;   /* [fork "NAME"] */
	char *url;    /* fork.NAME.url */
	char *branch; /* fork.NAME.branch (default: master) */
} fm_config_fork;

typedef struct fm_config {
	char *repository;    /* census.repository: path of the local repo */
	char *upstream;	     /* upstream.name: "owner/repo", a forge prefix
				("gitlab:group/project") or a URL */
	fm_strlist mirrors;  /* upstream.mirror (multi): more listings of
				the same project's forks (its mirrors on
				other forges), deduplicated by identity */
	char *branch;	     /* upstream.branch */
	fm_strlist local;    /* census.local (multi): fork ref globs */
	fm_strlist skip;     /* census.skip (multi): skipped branch globs */
	int keep_empty;	     /* census.keepEmpty: keep ahead == 0 rows */
	int patch_files;     /* census.patchFiles (1): keep patches' files */
	fm_strlist describe; /* tags.describe (multi) */
	char *release;	     /* tags.release: regex */
	char *db;	     /* store.path */
	char *csv;	     /* output.csv */
	char *json;	     /* output.json */
	char *api;	     /* github.api */
	int github;	     /* github.enabled (1) */
	int top;	     /* github.top (50) */
	int depth;	     /* github.depth (1) */
	char *branches;	     /* github.branches: default | all | GLOB */
	int concurrency;     /* github.concurrency (1) */
	long max_wait;	     /* github.maxWait seconds (3600) */
	int fetch_parallel;  /* fetch.parallel (4) */
	long timeout;	     /* census.timeout: seconds without progress */
	long deadline;	     /* census.deadline: seconds for the run; 0 */
	fm_config_fork *forks;
	size_t nforks;
} fm_config;

/*
 * Defaults only (no file). FM_ENOMEM when the default lists cannot be
 * allocated; cfg can be cleared either way.
 */
int fm_config_init(fm_config *cfg);
/*
 * Read path over the defaults in cfg (call fm_config_init first).
 * FM_ENOTFOUND when the file does not exist, FM_ECONFIG with "FILE: KEY: why"
 * on a bad value or syntax.
 */
int fm_config_load(fm_ctx *ctx, const char *path, fm_config *cfg);
void fm_config_clear(fm_config *cfg);

#ifdef __cplusplus
}
#endif
#endif
