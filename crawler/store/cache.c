/*
 * The caches of the census store (store/cache.h): the HTTP cache of forge
 * responses with their validators, and the key/value caches keyed by
 * object id. The key/value calls run in the patch-id workers' hot loop, so
 * their statements are prepared once, on open, and shared under the lock.
 */
#include <stdlib.h>
#include <string.h>

#include "store/cache.h"
#include "store/store_internal.h"

/* The key/value cache tables; the only names the cache calls accept. */
static const char *const cache_tables[FM_STORE_NCACHES] = {
	"blob_lines", "patch_ids", "patch_headers", "diff_stats"};
static const char *const cache_get_sql[FM_STORE_NCACHES] = {
	"SELECT value FROM blob_lines WHERE key = ?1",
	"SELECT value FROM patch_ids WHERE key = ?1",
	"SELECT value FROM patch_headers WHERE key = ?1",
	"SELECT value FROM diff_stats WHERE key = ?1",
};
static const char *const cache_put_sql[FM_STORE_NCACHES] = {
	"INSERT OR REPLACE INTO blob_lines (key, value) VALUES (?1, ?2)",
	"INSERT OR REPLACE INTO patch_ids (key, value) VALUES (?1, ?2)",
	"INSERT OR REPLACE INTO patch_headers (key, value) VALUES (?1, ?2)",
	"INSERT OR REPLACE INTO diff_stats (key, value) VALUES (?1, ?2)",
};

int fm_store_cache_prepare(fm_ctx *ctx, fm_store *s)
{
	int i, err;

	for (i = 0; i < FM_STORE_NCACHES; i++)
		if ((err = fm_store_prepare(ctx, s->db, cache_get_sql[i],
					    &s->cache_get[i])) < 0 ||
		    (err = fm_store_prepare(ctx, s->db, cache_put_sql[i],
					    &s->cache_put[i])) < 0)
			return err;
	return 0;
}

void fm_store_cache_finalize(fm_store *s)
{
	int i;

	for (i = 0; i < FM_STORE_NCACHES; i++) {
		sqlite3_finalize(s->cache_get[i]);
		sqlite3_finalize(s->cache_put[i]);
		s->cache_get[i] = s->cache_put[i] = NULL;
	}
}

void fm_http_entry_clear(fm_http_entry *e)
{
	if (!e)
		return;
	free(e->etag);
	free(e->last_modified);
	free(e->link);
	free(e->body);
	memset(e, 0, sizeof(*e));
}

/* The body comes back NUL-terminated (body_len excludes the NUL). */
int fm_store_http_get(fm_ctx *ctx, fm_store *store, const char *url,
		      fm_http_entry *out)
{
	static const char sql[] =
		"SELECT etag, last_modified, link, body FROM http_cache"
		" WHERE url = ?1";
	sqlite3_stmt *st = NULL;
	const void *body;
	int rc, err;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&store->lock);
	if ((err = fm_store_prepare(ctx, store->db, sql, &st)) < 0)
		goto done;
	if (fm_store_bind_text(st, 1, url) != SQLITE_OK) {
		err = fm_store_db_error(ctx, store->db,
					"cannot read http cache");
		goto done;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		err = FM_ENOTFOUND; /* a miss is not a failure: no message */
		goto done;
	}
	if (rc != SQLITE_ROW) {
		err = fm_store_db_error(ctx, store->db,
					"cannot read http cache");
		goto done;
	}
	if (fm_store_col_dup(st, 0, &out->etag) < 0 ||
	    fm_store_col_dup(st, 1, &out->last_modified) < 0 ||
	    fm_store_col_dup(st, 2, &out->link) < 0)
		goto nomem;
	if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
		body = sqlite3_column_blob(st, 3);
		out->body_len = (size_t)sqlite3_column_bytes(st, 3);
		if (!(out->body = malloc(out->body_len + 1)))
			goto nomem;
		if (out->body_len)
			memcpy(out->body, body, out->body_len);
		out->body[out->body_len] = '\0';
	}
	err = 0;
	goto done;
nomem:
	err = fm_error_set(ctx, FM_ENOMEM, "out of memory");
done:
	if (err < 0)
		fm_http_entry_clear(out);
	sqlite3_finalize(st);
	pthread_mutex_unlock(&store->lock);
	return err;
}

int fm_store_http_put(fm_ctx *ctx, fm_store *store, const char *url,
		      const fm_http_entry *e)
{
	static const char sql[] =
		"INSERT OR REPLACE INTO http_cache (url, etag, last_modified,"
		" link, body, stored_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	sqlite3_stmt *st = NULL;
	int rc, err;

	if (!url)
		return fm_error_set(ctx, FM_EINVAL, "http cache: no url");
	pthread_mutex_lock(&store->lock);
	if ((err = fm_store_prepare(ctx, store->db, sql, &st)) < 0)
		goto done;
	rc = fm_store_bind_text(st, 1, url);
	rc = rc ? rc : fm_store_bind_text(st, 2, e->etag);
	rc = rc ? rc : fm_store_bind_text(st, 3, e->last_modified);
	rc = rc ? rc : fm_store_bind_text(st, 4, e->link);
	if (!rc && e->body)
		rc = sqlite3_bind_blob64(st, 5, e->body, e->body_len,
					 SQLITE_STATIC);
	rc = rc ? rc : sqlite3_bind_int64(st, 6, fm_ctx_now(ctx));
	err = fm_store_step(ctx, store, st, rc, "cannot write http cache");
done:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&store->lock);
	return err;
}

static int cache_index(fm_ctx *ctx, const char *table)
{
	int i;

	for (i = 0; table && i < FM_STORE_NCACHES; i++)
		if (strcmp(table, cache_tables[i]) == 0)
			return i;
	return fm_error_set(ctx, FM_EINVAL, "unknown cache table '%s'",
			    table ? table : "(null)");
}

int fm_store_cache_get(fm_ctx *ctx, fm_store *store, const char *table,
		       const char *key, int64_t *value)
{
	sqlite3_stmt *st;
	int i, rc, err;

	if ((i = cache_index(ctx, table)) < 0)
		return i;
	pthread_mutex_lock(&store->lock);
	st = store->cache_get[i];
	if (fm_store_bind_text(st, 1, key) != SQLITE_OK) {
		err = fm_store_db_error(ctx, store->db, "cannot read cache");
		goto done;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*value = sqlite3_column_int64(st, 0);
		err = 0;
	} else if (rc == SQLITE_DONE) {
		err = FM_ENOTFOUND; /* a miss: no message */
	} else {
		err = fm_store_db_error(ctx, store->db, "cannot read cache");
	}
done:
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	pthread_mutex_unlock(&store->lock);
	return err;
}

int fm_store_cache_put(fm_ctx *ctx, fm_store *store, const char *table,
		       const char *key, int64_t value)
{
	sqlite3_stmt *st;
	int i, rc, err;

	if ((i = cache_index(ctx, table)) < 0)
		return i;
	if (!key)
		return fm_error_set(ctx, FM_EINVAL, "cache: no key");
	pthread_mutex_lock(&store->lock);
	st = store->cache_put[i];
	rc = fm_store_bind_text(st, 1, key);
	rc = rc ? rc : sqlite3_bind_int64(st, 2, value);
	err = fm_store_step(ctx, store, st, rc, "cannot write cache");
	pthread_mutex_unlock(&store->lock);
	return err;
}
