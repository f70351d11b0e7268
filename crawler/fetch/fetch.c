/*
 * Fetching fork branches into the local repository with libgit2: each fork's
 * refs/heads/<branch> into its own ref (refs/forkmap/<source>/<name>/<branch>,
 * see fm_fork_ref), from an anonymous remote, forced, without tags or
 * pruning. Only objects the repository lacks are transferred (libgit2
 * negotiates with every local ref). Forks are fetched by a few threads, each
 * with its own git_repository on the same path; a failure is that fork's
 * error and never stops the others.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include <forkmap/fetch.h>
#include <forkmap/repo.h>
#include <forkmap/settings.h>

#include "core/parallel.h"
#include "core/scrub.h"
#include "fetch/refspecs.h"
#include "fetch/stream.h"

struct fetcher {
	fm_ctx *ctx;
	const char *path;
	fm_fork_list *list;
	size_t *jobs;
	size_t njobs;
	size_t fetched;
	long timeout;
	pthread_mutex_t lock;
};

/*
 * The transfer callbacks only check the interrupt: the limit of a wait
 * without progress is the stream's (fetch/stream.h), which also sees the
 * phases no callback covers. Indexing a large pack after the last byte is
 * local work and must not count as a stall.
 */
static int on_transfer(const git_indexer_progress *stats, void *payload)
{
	(void)stats;
	return fm_stream_watch_check(payload);
}

static int on_sideband(const char *str, int len, void *payload)
{
	(void)str;
	(void)len;
	return fm_stream_watch_check(payload);
}

/*
 * The error of a fetch of url, one line. libgit2 quotes the URL in some
 * of its messages ("malformed URL '...'") with the password a configured
 * fork URL may carry: the whole message goes through fm_scrub.
 */
static char *fetch_error(const char *url, const char *branch,
			 const struct fm_stream_watch *t, const char *why)
{
	const git_error *e = git_error_last();
	char stalled[64], *s, *clean;

	if (!why) {
		if (t && t->interrupted)
			why = "interrupted";
		else if (t && t->timed_out) {
			snprintf(stalled, sizeof(stalled),
				 "no progress for %ld s", t->timeout);
			why = stalled;
		} else
			why = e && e->message ? e->message
					      : "unknown libgit2 error";
	}
	if (asprintf(&s, "cannot fetch '%s' branch '%s': %s", url, branch,
		     why) < 0)
		return NULL;
	clean = fm_scrub(s, url);
	explicit_bzero(s, strlen(s));
	free(s);
	if (!clean)
		return NULL;
	/* one line: libgit2 messages may end in a newline */
	for (char *p = clean; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return clean;
}

int fm_fetch_refspecs(fm_ctx *ctx, git_repository *g, const char *url,
		      const char *branch, const char *ref, char **specs,
		      size_t nspecs, long timeout, char **why, int *interrupted)
{
	git_remote_create_options copts;
	git_remote_callbacks cbs;
	git_fetch_options fo;
	git_strarray refspecs = {specs, nspecs};
	const git_remote_head **heads = NULL;
	git_remote *remote = NULL;
	struct fm_stream_watch t;
	git_oid want, got;
	char *head_name = NULL;
	size_t nheads = 0, i;
	int found = 0, rc = -1;

	*why = NULL;
	git_remote_create_options_init(&copts,
				       GIT_REMOTE_CREATE_OPTIONS_VERSION);
	git_remote_init_callbacks(&cbs, GIT_REMOTE_CALLBACKS_VERSION);
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	fm_stream_watch_begin(&t, ctx, timeout);
	cbs.transfer_progress = on_transfer;
	cbs.sideband_progress = on_sideband;
	cbs.payload = &t;
	if (asprintf(&head_name, "refs/heads/%s", branch) < 0) {
		head_name = NULL;
		*why = strdup("out of memory");
		goto done;
	}
	/*
	 * An anonymous remote (no name, nothing in the config), as
	 * git_remote_create_anonymous makes, but without the url.*.insteadOf
	 * rewriting: libgit2 1.5 looks that up with a PCRE2 regex whose match
	 * data it never frees (a leak per fetch under ASan), and a crawl
	 * should fetch the URL the forge gave, not a rewritten one.
	 */
	if (fm_stream_register() < 0) {
		*why = fetch_error(url, branch, NULL, NULL);
		goto done;
	}
	copts.repository = g;
	copts.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF |
		      GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	if (git_remote_create_with_opts(&remote, url, &copts) < 0 ||
	    git_remote_connect(remote, GIT_DIRECTION_FETCH, &cbs, NULL, NULL) <
		    0 ||
	    git_remote_ls(&heads, &nheads, remote) < 0) {
		*why = fetch_error(url, branch, &t, NULL);
		goto done;
	}
	for (i = 0; i < nheads; i++)
		if (strcmp(heads[i]->name, head_name) == 0) {
			git_oid_cpy(&want, &heads[i]->oid);
			found = 1;
			break;
		}
	if (!found) {
		char msg[300];

		snprintf(msg, sizeof(msg), "the remote has no branch '%s'%s",
			 branch, nheads == 0 ? " (empty repository)" : "");
		*why = fetch_error(url, branch, NULL, msg);
		goto done;
	}
	fo.callbacks = cbs;
	fo.prune = GIT_FETCH_NO_PRUNE;
	fo.update_fetchhead = 0;
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	if (git_remote_fetch(remote, &refspecs, &fo, "forkmap: fetch") < 0) {
		*why = fetch_error(url, branch, &t, NULL);
		goto done;
	}
	if (git_reference_name_to_id(&got, g, ref) < 0 ||
	    !git_oid_equal(&got, &want)) {
		*why = fetch_error(url, branch, NULL,
				   "the fetched branch did not update the "
				   "local ref");
		goto done;
	}
	rc = 0;
done:
	if (rc < 0 && !*why)
		*why = strdup("out of memory");
	if (interrupted)
		*interrupted = t.interrupted;
	git_remote_free(remote); /* closes its socket, still watched */
	fm_stream_watch_end(&t);
	free(head_name);
	return rc;
}

static void report(struct fetcher *f, const char *current)
{
	fm_progress p;

	memset(&p, 0, sizeof(p));
	p.phase = "fetching";
	p.forks_listed = f->list->count;
	p.forks_fetched = f->fetched;
	p.forks_total = f->njobs;
	p.remaining = -1;
	p.current = current;
	p.unit = "forks";
	p.done = f->fetched;
	p.total = f->njobs;
	fm_progress_report(f->ctx, &p);
}

static void fetch_fork(struct fetcher *f, git_repository *g, size_t index)
{
	fm_fork *fk;
	char *spec = NULL, *why = NULL, *specs[1];
	char *name, *url, *branch, *ref;
	int interrupted = 0;

	pthread_mutex_lock(&f->lock);
	fk = &f->list->items[index];
	name = fk->name;
	url = fk->url;
	branch = fk->branch;
	ref = fk->ref;
	pthread_mutex_unlock(&f->lock);

	if (!branch || !*branch || !ref || !*ref) {
		why = strdup("cannot fetch: no branch or ref to fetch into");
	} else if (asprintf(&spec, "+refs/heads/%s:%s", branch, ref) < 0) {
		spec = NULL;
		why = strdup("out of memory");
	} else {
		specs[0] = spec;
		fm_fetch_refspecs(f->ctx, g, url, branch, ref, specs, 1,
				  f->timeout, &why, &interrupted);
	}
	pthread_mutex_lock(&f->lock);
	if (why && !interrupted) {
		if (fm_fork_set_error(fk, "%s", why) < 0)
			fk->error = NULL;
	}
	f->fetched++;
	report(f, name);
	pthread_mutex_unlock(&f->lock);
	free(spec);
	free(why);
}

static int fetch_job(git_repository *g, size_t i, void *payload)
{
	struct fetcher *f = payload;

	fetch_fork(f, g, f->jobs[i]);
	return 0;
}

int fm_fetch_forks(fm_ctx *ctx, fm_repo *repo, fm_fork_list *list,
		   const fm_fetch_opts *opts)
{
	struct fetcher f;
	size_t i;
	int rc = 0, workers;

	memset(&f, 0, sizeof(f));
	if (!repo || !list)
		return fm_error_set(ctx, FM_EINVAL,
				    "fm_fetch_forks: no "
				    "repository or list");
	if (opts && opts->parallel &&
	    fm_setting_check(ctx, FM_SET_FETCH_PARALLEL, opts->parallel) < 0)
		return FM_EINVAL;
	f.ctx = ctx;
	f.path = fm_repo_path(repo);
	f.list = list;
	f.timeout = opts && opts->timeout > 0 ? opts->timeout : 0;
	f.jobs = calloc(list->count ? list->count : 1, sizeof(*f.jobs));
	if (!f.jobs)
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	for (i = 0; i < list->count; i++)
		if (list->items[i].url && !list->items[i].error &&
		    !list->items[i].skipped)
			f.jobs[f.njobs++] = i;
	if (f.njobs == 0)
		goto done;
	pthread_mutex_init(&f.lock, NULL);
	workers = opts && opts->parallel > 0
			  ? opts->parallel
			  : (int)fm_setting_get(FM_SET_FETCH_PARALLEL)->def;
	report(&f, NULL);
	rc = fm_parallel_run(ctx, f.path, f.njobs, workers, fetch_job, &f);
	pthread_mutex_destroy(&f.lock);
done:
	free(f.jobs);
	return rc;
}
