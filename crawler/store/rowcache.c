/*
 * Reusable census results (store/cache.h): a fork's row, and a commit's
 * date and tree lines (release nodes, the upstream tip), each under a key
 * the measure stage makes of everything the values depend on
 * (measure/reuse.c). A nightly census whose forks did not move reads them
 * back instead of loading the commit graph. A few hundred calls a census
 * at most: statements are prepared per call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/cache.h"
#include "store/store_internal.h"

/* Set ctx's message for a failed read or write of the reusable rows. */
static int row_error(fm_ctx *ctx, fm_store *store)
{
	return fm_store_db_error(ctx, store->db, "cannot use reusable rows");
}

/* Text column i, "" for NULL; NULL when out of memory. */
static char *col_str(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return strdup(t ? (const char *)t : "");
}

static void swap_str(char **dst, char *s)
{
	free(*dst);
	*dst = s;
}

/*
 * Run a lookup by key: 0 with *st on the row (the caller finalizes it),
 * FM_ENOTFOUND for a miss (no message), or the store's error.
 */
static int lookup(fm_ctx *ctx, fm_store *store, const char *sql,
		  const char *key, sqlite3_stmt **st)
{
	int rc, err;

	if ((err = fm_store_prepare(ctx, store->db, sql, st)) < 0)
		return err;
	if (fm_store_bind_text(*st, 1, key) != SQLITE_OK)
		return row_error(ctx, store);
	rc = sqlite3_step(*st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? FM_ENOTFOUND : row_error(ctx, store);
}

int fm_store_row_get(fm_ctx *ctx, fm_store *store, const char *key, fm_row *row)
{
	static const char sql[] =
		"SELECT skipped, merge_base, ahead, behind,"
		" ahead_first_parent, unique_commits, base_tag, release_tag,"
		" files, insertions, deletions, head_time, head_offset,"
		" merge_base_time, merge_base_offset, base_time, base_offset,"
		" patches FROM row_cache WHERE key = ?1";
	sqlite3_stmt *st = NULL;
	char *skipped = NULL, *base_tag = NULL, *release = NULL;
	const unsigned char *mb;
	int err;

	pthread_mutex_lock(&store->lock);
	if ((err = lookup(ctx, store, sql, key, &st)) < 0)
		goto done;
	/* All strings first, so a failure leaves the row as it was. */
	if (fm_store_col_dup(st, 0, &skipped) < 0 ||
	    !(base_tag = col_str(st, 6)) || !(release = col_str(st, 7))) {
		err = fm_error_set(ctx, FM_ENOMEM, "out of memory");
		goto done;
	}
	swap_str(&row->skipped, skipped);
	swap_str(&row->base_tag, base_tag);
	swap_str(&row->release, release);
	skipped = base_tag = release = NULL;
	mb = sqlite3_column_text(st, 1);
	snprintf(row->merge_base, sizeof(row->merge_base), "%s",
		 mb ? (const char *)mb : "");
	fm_store_col_measures(st, 2, row);
	row->patches = (long)sqlite3_column_int64(st, 17);
done:
	free(skipped);
	free(base_tag);
	free(release);
	sqlite3_finalize(st);
	pthread_mutex_unlock(&store->lock);
	return err;
}

int fm_store_row_put(fm_ctx *ctx, fm_store *store, const char *key,
		     const fm_row *row)
{
	static const char sql[] =
		"INSERT OR REPLACE INTO row_cache (key, skipped, merge_base,"
		" ahead, behind, ahead_first_parent, unique_commits, base_tag,"
		" release_tag, files, insertions, deletions, head_time,"
		" head_offset, merge_base_time, merge_base_offset, base_time,"
		" base_offset, patches) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
		" ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)";
	sqlite3_stmt *st = NULL;
	int rc, err;

	if (!key)
		return fm_error_set(ctx, FM_EINVAL, "reusable rows: no key");
	pthread_mutex_lock(&store->lock);
	if ((err = fm_store_prepare(ctx, store->db, sql, &st)) < 0)
		goto done;
	rc = fm_store_bind_text(st, 1, key);
	rc = rc ? rc : fm_store_bind_text(st, 2, row->skipped);
	rc = rc ? rc : fm_store_bind_text(st, 3, row->merge_base);
	rc = rc ? rc : fm_store_bind_measures(st, 4, row);
	rc = rc ? rc : sqlite3_bind_int64(st, 19, row->patches);
	err = fm_store_step(ctx, store, st, rc, "cannot save reusable row");
done:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&store->lock);
	return err;
}

int fm_store_node_get(fm_ctx *ctx, fm_store *store, const char *key,
		      fm_date *date, long *tree_lines)
{
	static const char sql[] =
		"SELECT date_time, date_offset, tree_lines FROM node_cache"
		" WHERE key = ?1";
	sqlite3_stmt *st = NULL;
	int err;

	pthread_mutex_lock(&store->lock);
	if ((err = lookup(ctx, store, sql, key, &st)) == 0) {
		fm_store_col_date(st, 0, date);
		*tree_lines = (long)sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&store->lock);
	return err;
}

int fm_store_node_put(fm_ctx *ctx, fm_store *store, const char *key,
		      const fm_date *date, long tree_lines)
{
	static const char sql[] =
		"INSERT OR REPLACE INTO node_cache (key, date_time,"
		" date_offset, tree_lines) VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt *st = NULL;
	int rc, err;

	if (!key || !date->set)
		return fm_error_set(ctx, FM_EINVAL,
				    "reusable nodes: no key or date");
	pthread_mutex_lock(&store->lock);
	if ((err = fm_store_prepare(ctx, store->db, sql, &st)) < 0)
		goto done;
	rc = fm_store_bind_text(st, 1, key);
	rc = rc ? rc : fm_store_bind_date(st, 2, date);
	rc = rc ? rc : sqlite3_bind_int64(st, 4, tree_lines);
	err = fm_store_step(ctx, store, st, rc, "cannot save reusable node");
done:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&store->lock);
	return err;
}
