/*
 * Census runs in the store: saving a run with its rows and release nodes
 * in one transaction, recording a failed run (its error, no rows), loading
 * one back, listing them all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

static int insert_run(fm_ctx *ctx, fm_store *s, const fm_census *c,
		      const fm_run_stats *stats, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO runs (upstream, branch, head, head_time,"
		" head_offset, head_tree_lines, started, finished, requests,"
		" not_modified, remaining, complete)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
	sqlite3_stmt *st;
	int rc, err;

	if ((err = fm_store_prepare(ctx, s->db, sql, &st)) < 0)
		return err;
	rc = fm_store_bind_text(st, 1, c->upstream);
	rc = rc ? rc : fm_store_bind_text(st, 2, c->branch);
	rc = rc ? rc : fm_store_bind_text(st, 3, c->head);
	rc = rc ? rc : fm_store_bind_date(st, 4, &c->head_date);
	rc = rc ? rc : sqlite3_bind_int64(st, 6, c->head_tree_lines);
	rc = rc ? rc : sqlite3_bind_int64(st, 7, c->started);
	rc = rc ? rc : sqlite3_bind_int64(st, 8, c->finished);
	rc = rc ? rc : sqlite3_bind_int64(st, 9, stats->requests);
	rc = rc ? rc : sqlite3_bind_int64(st, 10, stats->not_modified);
	rc = rc ? rc : sqlite3_bind_int64(st, 11, stats->remaining);
	rc = rc ? rc : sqlite3_bind_int(st, 12, stats->complete);
	err = fm_store_step(ctx, s, st, rc, "cannot save census run");
	*id = sqlite3_last_insert_rowid(s->db);
	sqlite3_finalize(st);
	return err;
}

static int insert_rows(fm_ctx *ctx, fm_store *s, const fm_census *c, int64_t id)
{
	static const char sql[] =
		"INSERT INTO rows (run_id, pos, name, branch, ref, source,"
		" error, skipped, head, merge_base, ahead, behind,"
		" ahead_first_parent, unique_commits, base_tag, release_tag,"
		" files, insertions, deletions, head_time, head_offset,"
		" merge_base_time, merge_base_offset, base_time, base_offset,"
		" stars, patches) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
		" ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,"
		" ?22, ?23, ?24, ?25, ?26, ?27)";
	sqlite3_stmt *st;
	size_t i;
	int rc, err = 0;

	if ((err = fm_store_prepare(ctx, s->db, sql, &st)) < 0)
		return err;
	for (i = 0; i < c->nrows && err == 0; i++) {
		const fm_row *r = &c->rows[i];

		rc = sqlite3_bind_int64(st, 1, id);
		rc = rc ? rc : sqlite3_bind_int64(st, 2, (int64_t)i);
		rc = rc ? rc : fm_store_bind_text(st, 3, r->name);
		rc = rc ? rc : fm_store_bind_text(st, 4, r->branch);
		rc = rc ? rc : fm_store_bind_text(st, 5, r->ref);
		rc = rc ? rc
			: fm_store_bind_text(st, 6, fm_source_name(r->source));
		rc = rc ? rc : fm_store_bind_text(st, 7, r->error);
		rc = rc ? rc : fm_store_bind_text(st, 8, r->skipped);
		rc = rc ? rc : fm_store_bind_text(st, 9, r->head);
		rc = rc ? rc : fm_store_bind_text(st, 10, r->merge_base);
		rc = rc ? rc : fm_store_bind_measures(st, 11, r);
		rc = rc ? rc : sqlite3_bind_int64(st, 26, r->stars);
		rc = rc ? rc : sqlite3_bind_int64(st, 27, r->patches);
		err = fm_store_step(ctx, s, st, rc, "cannot save census row");
	}
	sqlite3_finalize(st);
	return err;
}

static int insert_releases(fm_ctx *ctx, fm_store *s, const fm_census *c,
			   int64_t id)
{
	static const char sql[] =
		"INSERT INTO releases (run_id, pos, tag, commit_id, date_time,"
		" date_offset, tree_lines) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	sqlite3_stmt *st;
	size_t i;
	int rc, err = 0;

	if ((err = fm_store_prepare(ctx, s->db, sql, &st)) < 0)
		return err;
	for (i = 0; i < c->nreleases && err == 0; i++) {
		const fm_release *r = &c->releases[i];

		rc = sqlite3_bind_int64(st, 1, id);
		rc = rc ? rc : sqlite3_bind_int64(st, 2, (int64_t)i);
		rc = rc ? rc : fm_store_bind_text(st, 3, r->tag);
		rc = rc ? rc : fm_store_bind_text(st, 4, r->commit);
		rc = rc ? rc : fm_store_bind_date(st, 5, &r->date);
		rc = rc ? rc : sqlite3_bind_int64(st, 7, r->tree_lines);
		err = fm_store_step(ctx, s, st, rc, "cannot save release");
	}
	sqlite3_finalize(st);
	return err;
}

int fm_store_save_census(fm_ctx *ctx, fm_store *store, const fm_census *census,
			 const fm_run_stats *stats, int64_t *run_id)
{
	fm_run_stats defaults = FM_RUN_STATS_INIT;
	int64_t id = 0;
	int outer, err;

	if (run_id)
		*run_id = 0;
	if (!stats)
		stats = &defaults;
	pthread_mutex_lock(&store->lock);
	if ((err = fm_store_txn_begin(ctx, store, &outer)) < 0)
		goto done;
	if ((err = insert_run(ctx, store, census, stats, &id)) < 0 ||
	    (err = insert_rows(ctx, store, census, id)) < 0 ||
	    (err = insert_releases(ctx, store, census, id)) < 0) {
		fm_store_txn_end(ctx, store, outer, 0);
		goto done;
	}
	if ((err = fm_store_txn_end(ctx, store, outer, 1)) < 0) {
		fm_store_txn_end(ctx, store, outer, 0);
		goto done;
	}
	if (run_id)
		*run_id = id;
done:
	pthread_mutex_unlock(&store->lock);
	return err;
}

int fm_store_save_failed_run(fm_ctx *ctx, fm_store *store, const char *upstream,
			     const char *branch, int64_t started,
			     int64_t finished, const fm_run_stats *stats,
			     const char *error, int64_t *run_id)
{
	/* head '' and no tree lines: the columns a census fills are NOT NULL */
	static const char sql[] =
		"INSERT INTO runs (upstream, branch, head, head_tree_lines,"
		" started, finished, requests, not_modified, remaining,"
		" complete, error)"
		" VALUES (?1, ?2, '', 0, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	fm_run_stats defaults = FM_RUN_STATS_INIT;
	sqlite3_stmt *st = NULL;
	int rc, err;

	if (run_id)
		*run_id = 0;
	if (!error || !*error)
		return fm_error_set(ctx, FM_EINVAL,
				    "a failed run needs its error");
	if (!stats)
		stats = &defaults;
	pthread_mutex_lock(&store->lock);
	if ((err = fm_store_prepare(ctx, store->db, sql, &st)) < 0)
		goto done;
	rc = fm_store_bind_text(st, 1, upstream);
	rc = rc ? rc : fm_store_bind_text(st, 2, branch);
	rc = rc ? rc : sqlite3_bind_int64(st, 3, started);
	rc = rc ? rc : sqlite3_bind_int64(st, 4, finished);
	rc = rc ? rc : sqlite3_bind_int64(st, 5, stats->requests);
	rc = rc ? rc : sqlite3_bind_int64(st, 6, stats->not_modified);
	rc = rc ? rc : sqlite3_bind_int64(st, 7, stats->remaining);
	rc = rc ? rc : sqlite3_bind_int(st, 8, stats->complete);
	rc = rc ? rc : fm_store_bind_text(st, 9, error);
	/* one statement: atomic on its own, or a savepoint's part */
	if ((err = fm_store_step(ctx, store, st, rc,
				 "cannot save failed run")) == 0 &&
	    run_id)
		*run_id = sqlite3_last_insert_rowid(store->db);
done:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&store->lock);
	return err;
}

static void col_oid(sqlite3_stmt *st, int i, char out[41])
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(out, 41, "%s", t ? (const char *)t : "");
}

static int load_run(fm_ctx *ctx, fm_store *s, int64_t *run_id, fm_census *c)
{
	static const char sql[] =
		"SELECT id, upstream, branch, head, head_time, head_offset,"
		" head_tree_lines, started, finished, error FROM runs"
		" WHERE id = CASE WHEN ?1 = 0 THEN"
		" (SELECT max(id) FROM runs WHERE error IS NULL) ELSE ?1 END";
	sqlite3_stmt *st;
	int rc, err = 0;

	if ((err = fm_store_prepare(ctx, s->db, sql, &st)) < 0)
		return err;
	if (sqlite3_bind_int64(st, 1, *run_id) != SQLITE_OK) {
		err = fm_store_db_error(ctx, s->db, "cannot load census");
		goto done;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		if (*run_id)
			err = fm_error_set(ctx, FM_ENOTFOUND,
					   "no census run %lld in the store",
					   (long long)*run_id);
		else
			err = fm_error_set(ctx, FM_ENOTFOUND,
					   "no census run in the store");
		goto done;
	}
	if (rc != SQLITE_ROW) {
		err = fm_store_db_error(ctx, s->db, "cannot load census");
		goto done;
	}
	if (sqlite3_column_type(st, 9) != SQLITE_NULL) {
		err = fm_error_set(ctx, FM_ENOTFOUND,
				   "census run %lld failed: %s",
				   (long long)*run_id,
				   (const char *)sqlite3_column_text(st, 9));
		goto done;
	}
	*run_id = sqlite3_column_int64(st, 0);
	if (fm_store_col_dup(st, 1, &c->upstream) < 0 ||
	    fm_store_col_dup(st, 2, &c->branch) < 0) {
		err = fm_error_set(ctx, FM_ENOMEM, "out of memory");
		goto done;
	}
	col_oid(st, 3, c->head);
	fm_store_col_date(st, 4, &c->head_date);
	c->head_tree_lines = (long)sqlite3_column_int64(st, 6);
	c->started = sqlite3_column_int64(st, 7);
	c->finished = sqlite3_column_int64(st, 8);
done:
	sqlite3_finalize(st);
	return err;
}

static int load_row(sqlite3_stmt *st, fm_row *r)
{
	const char *src = (const char *)sqlite3_column_text(st, 3);
	int source = fm_source_parse(src);

	if (fm_store_col_dup(st, 0, &r->name) < 0 ||
	    fm_store_col_dup(st, 1, &r->branch) < 0 ||
	    fm_store_col_dup(st, 2, &r->ref) < 0 ||
	    fm_store_col_dup(st, 4, &r->error) < 0 ||
	    fm_store_col_dup(st, 5, &r->skipped) < 0 ||
	    fm_store_col_dup(st, 12, &r->base_tag) < 0 ||
	    fm_store_col_dup(st, 13, &r->release) < 0)
		return FM_ENOMEM;
	r->source = source < 0 ? FM_SOURCE_LOCAL : (fm_source)source;
	col_oid(st, 6, r->head);
	col_oid(st, 7, r->merge_base);
	fm_store_col_measures(st, 8, r);
	r->stars = (long)sqlite3_column_int64(st, 23);
	r->patches = (long)sqlite3_column_int64(st, 24);
	return 0;
}

static int load_rows(fm_ctx *ctx, fm_store *s, int64_t id, fm_census *c)
{
	static const char sql[] =
		"SELECT name, branch, ref, source, error, skipped, head,"
		" merge_base, ahead, behind, ahead_first_parent,"
		" unique_commits, base_tag, release_tag, files, insertions,"
		" deletions, head_time, head_offset, merge_base_time,"
		" merge_base_offset, base_time, base_offset, stars, patches"
		" FROM rows WHERE run_id = ?1 ORDER BY pos";
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc, err = 0;

	if ((err = fm_store_prepare(ctx, s->db, sql, &st)) < 0)
		return err;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK) {
		err = fm_store_db_error(ctx, s->db, "cannot load census rows");
		goto done;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (c->nrows == alloc) {
			size_t n = alloc ? alloc * 2 : 64;
			fm_row *rows = realloc(c->rows, n * sizeof(*rows));

			if (!rows)
				goto nomem;
			c->rows = rows;
			alloc = n;
		}
		memset(&c->rows[c->nrows], 0, sizeof(fm_row));
		c->nrows++; /* a half-read row is freed with the census */
		if (load_row(st, &c->rows[c->nrows - 1]) < 0)
			goto nomem;
	}
	if (rc != SQLITE_DONE)
		err = fm_store_db_error(ctx, s->db, "cannot load census rows");
	goto done;
nomem:
	err = fm_error_set(ctx, FM_ENOMEM, "out of memory");
done:
	sqlite3_finalize(st);
	return err;
}

static int load_releases(fm_ctx *ctx, fm_store *s, int64_t id, fm_census *c)
{
	static const char sql[] =
		"SELECT tag, commit_id, date_time, date_offset, tree_lines"
		" FROM releases WHERE run_id = ?1 ORDER BY pos";
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc, err = 0;

	if ((err = fm_store_prepare(ctx, s->db, sql, &st)) < 0)
		return err;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK) {
		err = fm_store_db_error(ctx, s->db, "cannot load releases");
		goto done;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fm_release *r;

		if (c->nreleases == alloc) {
			size_t n = alloc ? alloc * 2 : 32;
			fm_release *rels =
				realloc(c->releases, n * sizeof(*rels));

			if (!rels)
				goto nomem;
			c->releases = rels;
			alloc = n;
		}
		r = &c->releases[c->nreleases];
		memset(r, 0, sizeof(*r));
		c->nreleases++;
		if (fm_store_col_dup(st, 0, &r->tag) < 0)
			goto nomem;
		col_oid(st, 1, r->commit);
		fm_store_col_date(st, 2, &r->date);
		r->tree_lines = (long)sqlite3_column_int64(st, 4);
	}
	if (rc != SQLITE_DONE)
		err = fm_store_db_error(ctx, s->db, "cannot load releases");
	goto done;
nomem:
	err = fm_error_set(ctx, FM_ENOMEM, "out of memory");
done:
	sqlite3_finalize(st);
	return err;
}

int fm_store_load_census(fm_ctx *ctx, fm_store *store, int64_t run_id,
			 fm_census **out)
{
	fm_census *c;
	int err;

	*out = NULL;
	if (!(c = calloc(1, sizeof(*c))))
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	pthread_mutex_lock(&store->lock);
	/* one read transaction: a concurrent writer cannot split the run */
	if ((err = fm_store_exec(ctx, store->db, "SAVEPOINT fm_load",
				 "cannot load census")) < 0)
		goto done;
	if ((err = load_run(ctx, store, &run_id, c)) == 0 &&
	    (err = load_rows(ctx, store, run_id, c)) == 0)
		err = load_releases(ctx, store, run_id, c);
	c->run_id = run_id;
	sqlite3_exec(store->db, "RELEASE fm_load", NULL, NULL, NULL);
	if (err == 0)
		err = fm_store_read_check(ctx, store);
done:
	pthread_mutex_unlock(&store->lock);
	if (err < 0) {
		fm_census_free(c);
		return err;
	}
	*out = c;
	return 0;
}

int fm_store_list_runs(fm_ctx *ctx, fm_store *store, fm_run_info **out,
		       size_t *n)
{
	/*
	 * failed: has an error; skipped: no error but a skip reason;
	 * measured: neither, and a row at all (a run without rows, failed
	 * or empty, has the LEFT JOIN's one NULL row)
	 */
	static const char sql[] =
		"SELECT r.id, r.upstream, r.branch, r.started, r.finished,"
		" r.requests, r.not_modified, r.remaining, r.complete,"
		" count(w.pos),"
		" total(w.pos IS NOT NULL AND w.error IS NULL"
		" AND w.skipped IS NULL),"
		" total(w.error IS NULL AND w.skipped IS NOT NULL),"
		" total(w.error IS NOT NULL), r.error"
		" FROM runs r LEFT JOIN rows w ON w.run_id = r.id"
		" GROUP BY r.id ORDER BY r.id DESC";
	fm_run_info *runs = NULL, *ri;
	sqlite3_stmt *st = NULL;
	size_t count = 0, alloc = 0;
	int rc, err;

	*out = NULL;
	*n = 0;
	pthread_mutex_lock(&store->lock);
	if ((err = fm_store_prepare(ctx, store->db, sql, &st)) < 0)
		goto done;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == alloc) {
			size_t na = alloc ? alloc * 2 : 16;
			fm_run_info *nr = realloc(runs, na * sizeof(*nr));

			if (!nr)
				goto nomem;
			runs = nr;
			alloc = na;
		}
		ri = &runs[count++];
		memset(ri, 0, sizeof(*ri));
		ri->id = sqlite3_column_int64(st, 0);
		if (fm_store_col_dup(st, 1, &ri->upstream) < 0 ||
		    fm_store_col_dup(st, 2, &ri->branch) < 0 ||
		    fm_store_col_dup(st, 13, &ri->error) < 0)
			goto nomem;
		ri->started = sqlite3_column_int64(st, 3);
		ri->finished = sqlite3_column_int64(st, 4);
		ri->stats.requests = (long)sqlite3_column_int64(st, 5);
		ri->stats.not_modified = (long)sqlite3_column_int64(st, 6);
		ri->stats.remaining = (long)sqlite3_column_int64(st, 7);
		ri->stats.complete = sqlite3_column_int(st, 8);
		ri->forks = (long)sqlite3_column_int64(st, 9);
		ri->measured = (long)sqlite3_column_int64(st, 10);
		ri->skipped = (long)sqlite3_column_int64(st, 11);
		ri->failed = (long)sqlite3_column_int64(st, 12);
	}
	if (rc != SQLITE_DONE) {
		err = fm_store_db_error(ctx, store->db, "cannot list runs");
		goto done;
	}
	if ((err = fm_store_read_check(ctx, store)) < 0)
		goto done;
	*out = runs;
	*n = count;
	runs = NULL;
	count = 0;
	err = 0;
	goto done;
nomem:
	err = fm_error_set(ctx, FM_ENOMEM, "out of memory");
done:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&store->lock);
	fm_run_info_free(runs, count);
	return err;
}

void fm_run_info_free(fm_run_info *runs, size_t n)
{
	size_t i;

	if (!runs)
		return;
	for (i = 0; i < n; i++) {
		free(runs[i].upstream);
		free(runs[i].branch);
		free(runs[i].error);
	}
	free(runs);
}
