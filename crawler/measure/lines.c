/* Side contents, git's binary rule, line counts and diff stats (lines.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/oidmap.h"
#include "measure/lines.h"

#define MODE_GITLINK 0160000

int fm_side_load(git_repository *repo, const git_oid *oid, uint32_t mode,
		 fm_side_data *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	out->data = "";
	if (!mode)
		return 0;
	if (mode == MODE_GITLINK) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), oid);
		out->len = (size_t)snprintf(out->gitlink, sizeof(out->gitlink),
					    "Subproject commit %s\n", hex);
		out->data = out->gitlink;
		return 0;
	}
	rc = git_blob_lookup(&out->blob, repo, oid);
	if (rc < 0)
		return rc;
	out->data = git_blob_rawcontent(out->blob);
	out->len = (size_t)git_blob_rawsize(out->blob);
	if (!out->data) /* an empty blob may have no buffer */
		out->data = "";
	return 0;
}

void fm_side_free(fm_side_data *s)
{
	git_blob_free(s->blob);
	s->blob = NULL;
}

int fm_buffer_is_binary(const char *data, size_t len)
{
	if (!len)
		return 0;
	/* git's fm_buffer_is_binary: a NUL in the first 8000 bytes. */
	return memchr(data, 0, len < 8000 ? len : 8000) != NULL;
}

long fm_count_lines(const char *data, size_t len)
{
	long n = 0;
	const char *p = data, *end = data + len;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	if (len && data[len - 1] != '\n')
		n++;
	return n;
}

/*
 * Blob -> lines, shared by the threads of a census: the oid map behind a
 * mutex. Entries are never removed.
 */
struct fm_line_cache {
	pthread_mutex_t lock;
	fm_oidmap lines;
};

fm_line_cache *fm_line_cache_new(void)
{
	fm_line_cache *lc = calloc(1, sizeof(*lc));

	if (lc) {
		pthread_mutex_init(&lc->lock, NULL);
		fm_oidmap_init(&lc->lines);
	}
	return lc;
}

void fm_line_cache_free(fm_line_cache *lc)
{
	if (!lc)
		return;
	pthread_mutex_destroy(&lc->lock);
	fm_oidmap_clear(&lc->lines);
	free(lc);
}

long fm_blob_lines(git_repository *repo, fm_line_cache *lc, const git_oid *oid,
		   uint32_t mode)
{
	fm_side_data s;
	long n;
	int rc, found;

	if (mode == MODE_GITLINK)
		return 1; /* "Subproject commit <id>" */
	if (lc) {
		uint64_t v;

		pthread_mutex_lock(&lc->lock);
		found = fm_oidmap_get(&lc->lines, oid, &v) == 0;
		pthread_mutex_unlock(&lc->lock);
		if (found)
			return (long)v;
	}
	if ((rc = fm_side_load(repo, oid, mode, &s)) < 0)
		return rc;
	n = fm_buffer_is_binary(s.data, s.len) ? 0
					       : fm_count_lines(s.data, s.len);
	fm_side_free(&s);
	if (lc) {
		/* A count that cannot be kept is counted again: no failure. */
		pthread_mutex_lock(&lc->lock);
		fm_oidmap_put(&lc->lines, oid, (uint64_t)n);
		pthread_mutex_unlock(&lc->lock);
	}
	return n;
}

struct each {
	git_repository *repo;
	fm_line_cache *lc;
	fm_file_stat_cb cb;
	void *payload;
};

/* One changed file's lines, as `git diff --numstat` counts them. */
static int stat_change(const fm_tree_change *c, void *payload)
{
	struct each *st = payload;
	fm_side_data a, b;
	git_patch *patch = NULL;
	git_diff_options opts;
	size_t ctx_lines, adds = 0, dels = 0;
	long n;
	int rc, binary = 0;

	if (!c->old_mode || !c->new_mode) {
		/* Whole file added or removed: its line count. */
		n = fm_blob_lines(st->repo, st->lc,
				  c->old_mode ? c->old_oid : c->new_oid,
				  c->old_mode ? c->old_mode : c->new_mode);
		if (n < 0)
			return (int)n;
		return st->cb(c, c->old_mode ? 0 : n, c->old_mode ? n : 0,
			      st->payload);
	}
	if ((rc = fm_side_load(st->repo, c->old_oid, c->old_mode, &a)) < 0)
		return rc;
	if ((rc = fm_side_load(st->repo, c->new_oid, c->new_mode, &b)) < 0) {
		fm_side_free(&a);
		return rc;
	}
	binary = fm_buffer_is_binary(a.data, a.len) ||
		 fm_buffer_is_binary(b.data, b.len);
	if (!binary && !git_oid_equal(c->old_oid, c->new_oid)) {
		git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
		opts.flags = GIT_DIFF_FORCE_TEXT;
		opts.context_lines = 0;
		rc = git_patch_from_buffers(&patch, a.data, a.len, NULL, b.data,
					    b.len, NULL, &opts);
		if (rc == 0)
			rc = git_patch_line_stats(&ctx_lines, &adds, &dels,
						  patch);
		git_patch_free(patch);
	}
	fm_side_free(&a);
	fm_side_free(&b);
	return rc ? rc : st->cb(c, (long)adds, (long)dels, st->payload);
}

int fm_tree_diff_each(git_repository *repo, fm_line_cache *lc,
		      const git_oid *old_tree, const git_oid *new_tree,
		      fm_file_stat_cb cb, void *payload)
{
	struct each st = {repo, lc, cb, payload};

	return fm_tree_diff(repo, old_tree, new_tree, stat_change, &st);
}

struct stats {
	long files, ins, del;
};

static int add_stat(const fm_tree_change *c, long ins, long del, void *payload)
{
	struct stats *st = payload;

	(void)c;
	st->files++;
	st->ins += ins;
	st->del += del;
	return 0;
}

int fm_tree_diff_stats(git_repository *repo, fm_line_cache *lc,
		       const git_oid *old_tree, const git_oid *new_tree,
		       long *files, long *insertions, long *deletions)
{
	struct stats st = {0, 0, 0};
	int rc = fm_tree_diff_each(repo, lc, old_tree, new_tree, add_stat, &st);

	*files = st.files;
	*insertions = st.ins;
	*deletions = st.del;
	return rc;
}

int fm_tree_lines(git_repository *repo, fm_line_cache *lc, const git_oid *tree,
		  long *lines)
{
	long files, del;

	return fm_tree_diff_stats(repo, lc, NULL, tree, &files, lines, &del);
}
