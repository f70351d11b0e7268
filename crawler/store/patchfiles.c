/*
 * The files of distinct patches (store/cache.h): what `forkmap show` needs
 * of a patch (its size, the directories it touches) kept by the census
 * that diffed it, so that show diffs no commit again.
 */
#include <stdlib.h>
#include <string.h>

#include "store/cache.h"
#include "store/store_internal.h"

int fm_store_patch_files_get(fm_ctx *ctx, fm_store *store, const char *key,
			     char **out, size_t *len)
{
	static const char sql[] =
		"SELECT files FROM patch_files WHERE key = ?1";
	sqlite3_stmt *st = NULL;
	const void *blob;
	int rc, err;

	*out = NULL;
	*len = 0;
	pthread_mutex_lock(&store->lock);
	if ((err = fm_store_prepare(ctx, store->db, sql, &st)) < 0)
		goto done;
	if (fm_store_bind_text(st, 1, key) != SQLITE_OK) {
		err = fm_store_db_error(ctx, store->db, "cannot read patches");
		goto done;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		err = FM_ENOTFOUND; /* a miss: no message */
		goto done;
	}
	if (rc != SQLITE_ROW) {
		err = fm_store_db_error(ctx, store->db, "cannot read patches");
		goto done;
	}
	blob = sqlite3_column_blob(st, 0);
	*len = (size_t)sqlite3_column_bytes(st, 0);
	if (!(*out = malloc(*len + 1))) {
		*len = 0;
		err = fm_error_set(ctx, FM_ENOMEM, "out of memory");
		goto done;
	}
	if (*len)
		memcpy(*out, blob, *len);
	(*out)[*len] = '\0';
	err = 0;
done:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&store->lock);
	return err;
}

int fm_store_patch_files_put(fm_ctx *ctx, fm_store *store, const char *key,
			     const char *files, size_t len)
{
	static const char sql[] = "INSERT OR REPLACE INTO patch_files (key,"
				  " files) VALUES (?1, ?2)";
	sqlite3_stmt *st = NULL;
	int rc, err;

	pthread_mutex_lock(&store->lock);
	if ((err = fm_store_prepare(ctx, store->db, sql, &st)) < 0)
		goto done;
	rc = fm_store_bind_text(st, 1, key);
	rc = rc ? rc
		: sqlite3_bind_blob64(st, 2, files ? files : "", len,
				      SQLITE_STATIC);
	err = fm_store_step(ctx, store, st, rc, "cannot save patches");
done:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&store->lock);
	return err;
}
