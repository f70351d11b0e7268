/*
 * Row reuse: a fork whose row depends on nothing that changed since a
 * census stored it is read back from the store (store/rowcache.c) instead
 * of measured, and when every fork is read back, so are the release nodes
 * and the upstream tip, and the census loads no commit graph at all.
 *
 * A row's key is a hash of everything its numbers depend on:
 *
 *	FM_METRIC_VERSION	the measuring code itself
 *	U, F			upstream tip, fork tip (commit ids)
 *	tags.describe		the patterns, in order
 *	tags.release		the regex
 *	keep_empty		decides the "ahead == 0" skip
 *	the tags		every tag matching either (name, commit,
 *				annotated, tagger time): base_tag, base_date
 *				and release depend on the tag set, and a tag
 *				added on an old commit moves neither U nor F
 *
 * Commit ids name whole histories, so U and F stand for every commit and
 * tree below them. The skip globs are not in the key: a skip by name is
 * decided before reuse, from the fork list. Rows with an error are never
 * stored: a missing object may be fetched by the next run.
 *
 * A node (a release node, the upstream tip) is a commit's date and the
 * text lines of its tree, keyed by FM_METRIC_VERSION and the commit.
 */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "measure/measure.h"
#include "store/cache.h"

/* The key of a row or node: the hex of a hash of what it depends on. */
static int key_of(const fm_buf *b, char key[GIT_OID_HEXSZ + 1])
{
	git_oid id;

	if (b->oom || git_odb_hash(&id, b->ptr, b->len, GIT_OBJECT_BLOB) < 0)
		return -1;
	fm_measure_hex(key, &id);
	return 0;
}

/* Strings are length-prefixed, so no pattern can pass for another. */
static void put_str(fm_buf *b, const char *what, const char *s)
{
	fm_buf_printf(b, "%s %zu:%s\n", what, strlen(s), s);
}

static int node_key(const git_oid *commit, char key[GIT_OID_HEXSZ + 1])
{
	char hex[GIT_OID_HEXSZ + 1];
	fm_buf b = FM_BUF_INIT;
	int rc;

	fm_measure_hex(hex, commit);
	fm_buf_printf(&b, "forkmap node v%d\ncommit %s\n", FM_METRIC_VERSION,
		      hex);
	rc = key_of(&b, key);
	fm_buf_clear(&b);
	return rc;
}

/* What every row key of this census shares (all but F). */
static void put_census_part(struct fm_measure *c, const git_oid *upstream,
			    fm_buf *b)
{
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;

	fm_measure_hex(hex, upstream);
	fm_buf_printf(b, "forkmap row v%d\nupstream %s\ndescribe %zu\n",
		      FM_METRIC_VERSION, hex, c->ndescribe);
	for (i = 0; i < c->ndescribe; i++)
		put_str(b, "pattern", c->describe[i]);
	put_str(b, "release",
		c->opts->release ? c->opts->release : FM_DEFAULT_RELEASE_REGEX);
	fm_buf_printf(b, "keep_empty %d\ntags %zu\n",
		      c->opts->keep_empty ? 1 : 0, c->tags.count);
	/* fm_tags_collect leaves them in ref-name order: a stable digest. */
	for (i = 0; i < c->tags.count; i++) {
		const fm_tag *t = &c->tags.items[i];

		fm_measure_hex(hex, &t->commit);
		put_str(b, "tag", t->name);
		fm_buf_printf(b, "%s %d %lld %d %d\n", hex, t->annotated,
			      (long long)t->tagger_time, t->describe,
			      t->release);
	}
}

int fm_measure_reuse_rows(struct fm_measure *c, const git_oid *upstream)
{
	fm_store *store = c->opts->cache;
	fm_buf b = FM_BUF_INIT;
	size_t i, base, keyed = 0, reused = 0;
	int rc = 0;

	if (!store)
		return 0;
	put_census_part(c, upstream, &b);
	base = b.len;
	for (i = 0; i < c->nwork; i++) {
		struct fm_fork_work *w = &c->work[i];

		if (!w->measure)
			continue;
		b.len = base;
		fm_buf_printf(&b, "fork %s\n", w->row->head);
		if (key_of(&b, w->key) < 0) {
			rc = fm_measure_oom(c);
			goto done;
		}
		w->keyed = 1;
		keyed++;
		rc = fm_store_row_get(c->ctx, store, w->key, w->row);
		if (rc == FM_ENOMEM)
			goto done;
		if (rc < 0) { /* a miss, or a store that cannot be read */
			fm_ctx_clear_error(c->ctx);
			rc = 0;
			continue;
		}
		w->reused = 1;
		w->measure = 0;
		reused++;
	}
	fm_log(c->ctx, FM_LOG_DEBUG, "census: %zu of %zu rows reused", reused,
	       keyed);
done:
	fm_buf_clear(&b);
	return rc;
}

static int node_get(struct fm_measure *c, const git_oid *commit, fm_date *date,
		    long *tree_lines)
{
	char key[GIT_OID_HEXSZ + 1];
	int rc;

	if (node_key(commit, key) < 0)
		return fm_measure_oom(c);
	rc = fm_store_node_get(c->ctx, c->opts->cache, key, date, tree_lines);
	if (rc < 0 && rc != FM_ENOMEM) {
		fm_ctx_clear_error(c->ctx);
		return FM_ENOTFOUND;
	}
	return rc;
}

int fm_measure_reuse_nodes(struct fm_measure *c, fm_census *out,
			   const git_oid *upstream)
{
	size_t i;
	int rc;

	if (!c->opts->cache)
		return 0;
	if ((rc = fm_measure_release_nodes(c, out)) < 0)
		return rc;
	for (i = 0; i < out->nreleases; i++) {
		fm_release *r = &out->releases[i];
		git_oid id;

		git_oid_fromstr(&id, r->commit);
		if ((rc = node_get(c, &id, &r->date, &r->tree_lines)) < 0)
			goto miss;
	}
	if ((rc = node_get(c, upstream, &out->head_date,
			   &out->head_tree_lines)) < 0)
		goto miss;
	fm_measure_sort_releases(out);
	fm_measure_hex(out->head, upstream);
	c->nodes_reused = 1;
	return 1;
miss:
	for (i = 0; i < out->nreleases; i++)
		free(out->releases[i].tag);
	free(out->releases);
	out->releases = NULL;
	out->nreleases = 0;
	memset(&out->head_date, 0, sizeof(out->head_date));
	out->head_tree_lines = 0;
	return rc == FM_ENOTFOUND ? 0 : rc;
}

static int node_put(struct fm_measure *c, const char *hex, const fm_date *date,
		    long tree_lines)
{
	char key[GIT_OID_HEXSZ + 1];
	git_oid id;

	if (tree_lines < 0 || !date->set)
		return 0; /* not counted: nothing to keep */
	if (git_oid_fromstr(&id, hex) < 0)
		return 0; /* no commit (cannot happen for a counted node) */
	if (node_key(&id, key) < 0)
		return fm_measure_oom(c);
	return fm_store_node_put(c->ctx, c->opts->cache, key, date, tree_lines);
}

void fm_measure_reuse_save(struct fm_measure *c, const fm_census *out)
{
	fm_store *store = c->opts->cache;
	size_t i, n = 0;
	int rc;

	if (!store)
		return;
	for (i = 0; i < c->nwork; i++)
		if (c->work[i].keyed && !c->work[i].reused)
			n++;
	if (!n && c->nodes_reused)
		return; /* all read back: nothing new, no write */
	rc = fm_store_begin(c->ctx, store);
	for (i = 0; rc == 0 && i < c->nwork; i++) {
		const struct fm_fork_work *w = &c->work[i];

		/* measured, or skipped by the walk ("ahead == 0") */
		if (w->keyed && !w->reused && !w->row->error &&
		    (w->measure || w->row->skipped))
			rc = fm_store_row_put(c->ctx, store, w->key, w->row);
	}
	for (i = 0; rc == 0 && i < out->nreleases; i++)
		rc = node_put(c, out->releases[i].commit,
			      &out->releases[i].date,
			      out->releases[i].tree_lines);
	if (rc == 0)
		rc = node_put(c, out->head, &out->head_date,
			      out->head_tree_lines);
	fm_measure_cache_end(c, rc, "reusable rows");
}
