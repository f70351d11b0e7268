/*
 * The census store handle: opening and closing the SQLite database, the
 * caller's transactions, and the wrappers through which every file of the
 * store calls SQLite, so an SQLite failure becomes one FM_ESTORE message
 * set where it happened.
 *
 * Every statement is prepared with bound parameters (names come from
 * forges and are untrusted); no SQL is ever built from data.
 */
#include <stdlib.h>
#include <string.h>

#include "store/cache.h"
#include "store/store_internal.h"

int fm_store_db_error(fm_ctx *ctx, sqlite3 *db, const char *what)
{
	return fm_error_set(ctx, FM_ESTORE, "%s: %s", what,
			    db ? sqlite3_errmsg(db) : "out of memory");
}

int fm_store_exec(fm_ctx *ctx, sqlite3 *db, const char *sql, const char *what)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return fm_store_db_error(ctx, db, what);
	return 0;
}

int fm_store_prepare(fm_ctx *ctx, sqlite3 *db, const char *sql,
		     sqlite3_stmt **stmt)
{
	if (sqlite3_prepare_v2(db, sql, -1, stmt, NULL) != SQLITE_OK) {
		*stmt = NULL;
		return fm_store_db_error(ctx, db, "cannot prepare statement");
	}
	return 0;
}

int fm_store_step(fm_ctx *ctx, fm_store *s, sqlite3_stmt *st, int bind_rc,
		  const char *what)
{
	int err = 0;

	/* the message is read before the reset, which may replace it */
	if (bind_rc != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
		err = fm_store_db_error(ctx, s->db, what);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return err;
}

int fm_store_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

int fm_store_col_dup(sqlite3_stmt *st, int i, char **out)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	*out = NULL;
	if (!t)
		return sqlite3_column_type(st, i) == SQLITE_NULL ? 0 : -1;
	return (*out = strdup((const char *)t)) ? 0 : -1;
}

int fm_store_bind_date(sqlite3_stmt *st, int i, const fm_date *d)
{
	int rc;

	if (!d->set) {
		if ((rc = sqlite3_bind_null(st, i)) != SQLITE_OK)
			return rc;
		return sqlite3_bind_null(st, i + 1);
	}
	if ((rc = sqlite3_bind_int64(st, i, d->time)) != SQLITE_OK)
		return rc;
	return sqlite3_bind_int(st, i + 1, d->offset);
}

void fm_store_col_date(sqlite3_stmt *st, int i, fm_date *d)
{
	memset(d, 0, sizeof(*d));
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return;
	d->time = sqlite3_column_int64(st, i);
	d->offset = sqlite3_column_int(st, i + 1);
	d->set = 1;
}

int fm_store_bind_measures(sqlite3_stmt *st, int i, const fm_row *r)
{
	int rc = sqlite3_bind_int64(st, i, r->ahead);

	rc = rc ? rc : sqlite3_bind_int64(st, i + 1, r->behind);
	rc = rc ? rc : sqlite3_bind_int64(st, i + 2, r->ahead_first_parent);
	rc = rc ? rc : sqlite3_bind_int64(st, i + 3, r->unique);
	rc = rc ? rc : fm_store_bind_text(st, i + 4, r->base_tag);
	rc = rc ? rc : fm_store_bind_text(st, i + 5, r->release);
	rc = rc ? rc : sqlite3_bind_int64(st, i + 6, r->files);
	rc = rc ? rc : sqlite3_bind_int64(st, i + 7, r->insertions);
	rc = rc ? rc : sqlite3_bind_int64(st, i + 8, r->deletions);
	rc = rc ? rc : fm_store_bind_date(st, i + 9, &r->head_date);
	rc = rc ? rc : fm_store_bind_date(st, i + 11, &r->merge_base_date);
	return rc ? rc : fm_store_bind_date(st, i + 13, &r->base_date);
}

void fm_store_col_measures(sqlite3_stmt *st, int i, fm_row *r)
{
	r->ahead = (long)sqlite3_column_int64(st, i);
	r->behind = (long)sqlite3_column_int64(st, i + 1);
	r->ahead_first_parent = (long)sqlite3_column_int64(st, i + 2);
	r->unique = (long)sqlite3_column_int64(st, i + 3);
	r->files = (long)sqlite3_column_int64(st, i + 6);
	r->insertions = (long)sqlite3_column_int64(st, i + 7);
	r->deletions = (long)sqlite3_column_int64(st, i + 8);
	fm_store_col_date(st, i + 9, &r->head_date);
	fm_store_col_date(st, i + 11, &r->merge_base_date);
	fm_store_col_date(st, i + 13, &r->base_date);
}

void fm_store_free(fm_store *store)
{
	if (!store)
		return;
	fm_store_cache_finalize(store);
	sqlite3_close(store->db);
	pthread_mutex_destroy(&store->lock);
	free(store);
}

int fm_store_open(fm_ctx *ctx, const char *path, fm_store **out)
{
	fm_store *s;
	int err;

	*out = NULL;
	if (!(s = calloc(1, sizeof(*s))))
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	if (pthread_mutex_init(&s->lock, NULL) != 0) {
		free(s);
		return fm_error_set(ctx, FM_ENOMEM, "cannot create mutex");
	}
	if (sqlite3_open_v2(path, &s->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NULL) != SQLITE_OK) {
		err = fm_error_set(
			ctx, FM_ESTORE, "cannot open store '%s': %s", path,
			s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
	/* WAL: readers (forkmap history) never block the nightly writer. */
	if ((err = fm_store_exec(ctx, s->db, "PRAGMA journal_mode = WAL",
				 "cannot open store")) < 0 ||
	    (err = fm_store_exec(ctx, s->db,
				 "PRAGMA synchronous = NORMAL;"
				 "PRAGMA foreign_keys = ON",
				 "cannot open store")) < 0 ||
	    (err = fm_store_migrate(ctx, s->db)) < 0 ||
	    (err = fm_store_cache_prepare(ctx, s)) < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	fm_store_free(s);
	return err;
}

int fm_store_txn_begin(fm_ctx *ctx, fm_store *s, int *outer)
{
	*outer = sqlite3_get_autocommit(s->db);
	return fm_store_exec(ctx, s->db,
			     *outer ? "BEGIN IMMEDIATE" : "SAVEPOINT fm_txn",
			     "cannot begin transaction");
}

int fm_store_txn_end(fm_ctx *ctx, fm_store *s, int outer, int ok)
{
	if (ok)
		return fm_store_exec(ctx, s->db,
				     outer ? "COMMIT" : "RELEASE fm_txn",
				     "cannot commit");
	sqlite3_exec(s->db,
		     outer ? "ROLLBACK" : "ROLLBACK TO fm_txn; RELEASE fm_txn",
		     NULL, NULL, NULL);
	return 0;
}

int fm_store_begin(fm_ctx *ctx, fm_store *store)
{
	int err;

	pthread_mutex_lock(&store->lock);
	err = fm_store_exec(ctx, store->db, "BEGIN IMMEDIATE",
			    "cannot begin transaction");
	pthread_mutex_unlock(&store->lock);
	return err;
}

/* A failed COMMIT is rolled back, so the store never stays inside a
 * transaction that a later fm_store_save_census would nest into. */
int fm_store_commit(fm_ctx *ctx, fm_store *store)
{
	int err;

	pthread_mutex_lock(&store->lock);
	err = fm_store_exec(ctx, store->db, "COMMIT", "cannot commit");
	if (err < 0 && !sqlite3_get_autocommit(store->db))
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	pthread_mutex_unlock(&store->lock);
	return err;
}

void fm_store_rollback(fm_store *store)
{
	pthread_mutex_lock(&store->lock);
	if (!sqlite3_get_autocommit(store->db))
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	pthread_mutex_unlock(&store->lock);
}
