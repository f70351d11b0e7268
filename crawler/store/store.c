/*
 * The census store handle: opening and closing the SQLite database, the
 * caller's transactions, and the wrappers through which every file of the
 * store calls SQLite, so an SQLite failure becomes one FM_ESTORE message
 * set where it happened.
 *
 * Every statement is prepared with bound parameters (names come from
 * forges and are untrusted); no SQL is ever built from data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
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
	free(store->path);
	free(store);
}

static int store_new(fm_ctx *ctx, const char *path, fm_store **out)
{
	fm_store *s;

	*out = NULL;
	if (!(s = calloc(1, sizeof(*s))))
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	if (pthread_mutex_init(&s->lock, NULL) != 0) {
		free(s);
		return fm_error_set(ctx, FM_ENOMEM, "cannot create mutex");
	}
	if (!(s->path = strdup(path))) {
		fm_store_free(s);
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	}
	*out = s;
	return 0;
}

static int open_db(fm_ctx *ctx, fm_store *s, const char *name, int flags)
{
	if (sqlite3_open_v2(name, &s->db, flags, NULL) != SQLITE_OK)
		return fm_error_set(
			ctx, FM_ESTORE, "cannot open store '%s': %s", s->path,
			s->db ? sqlite3_errmsg(s->db) : "out of memory");
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
	return 0;
}

int fm_store_open(fm_ctx *ctx, const char *path, fm_store **out)
{
	fm_store *s;
	int version, err;

	*out = NULL;
	if ((err = store_new(ctx, path, &s)) < 0)
		return err;
	if ((err = open_db(ctx, s, path,
			   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) < 0)
		goto fail;
	/*
	 * Checked before the WAL switch, which rewrites the file header: a
	 * file that is not ours, or of a version we do not know, is left
	 * byte for byte as it was.
	 */
	if ((err = fm_store_schema_check(ctx, s->db, path, 0, &version)) < 0)
		goto fail;
	/* WAL: readers (forkmap history) never block the nightly writer. */
	if ((err = fm_store_exec(ctx, s->db, "PRAGMA journal_mode = WAL",
				 "cannot open store")) < 0 ||
	    (err = fm_store_exec(ctx, s->db,
				 "PRAGMA synchronous = NORMAL;"
				 "PRAGMA foreign_keys = ON",
				 "cannot open store")) < 0 ||
	    (err = fm_store_migrate(ctx, s->db, path)) < 0 ||
	    (err = fm_store_cache_prepare(ctx, s)) < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	fm_store_free(s);
	return err;
}

static int exists(const char *path, const char *suffix)
{
	char name[4096];
	struct stat st;

	if (snprintf(name, sizeof(name), "%s%s", path, suffix) >=
	    (int)sizeof(name))
		return 1; /* cannot tell: assume it does (the safe side) */
	return stat(name, &st) == 0;
}

/* "file:" + path with every byte a URI could read otherwise escaped. */
static int immutable_uri(fm_ctx *ctx, const char *path, fm_buf *uri)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	fm_buf_puts(uri, "file:");
	for (p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/-._~", *p)) {
			fm_buf_putc(uri, (char)*p);
		} else {
			fm_buf_putc(uri, '%');
			fm_buf_putc(uri, hex[*p >> 4]);
			fm_buf_putc(uri, hex[*p & 15]);
		}
	}
	fm_buf_puts(uri, "?mode=ro&immutable=1");
	return uri->oom ? fm_error_set(ctx, FM_ENOMEM, "out of memory") : 0;
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	       a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	       a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

int fm_store_read_check(fm_ctx *ctx, fm_store *s)
{
	struct stat now;

	if (!s->immutable)
		return 0;
	if (stat(s->path, &now) != 0 || !same_file(&now, &s->at_open) ||
	    exists(s->path, "-wal") || exists(s->path, "-journal"))
		return fm_error_set(ctx, FM_ESTORE,
				    "store '%s' changed while it was read (a "
				    "census is writing it): read it again",
				    s->path);
	return 0;
}

/*
 * A reader opens the store SQLITE_OPEN_READONLY: it never creates the
 * file, switches the journal mode, migrates or creates a table. WAL needs
 * more than that, though: a WAL reader maps the -shm index beside the
 * store, and with no -wal/-shm there (the last writer removes them when
 * it closes) SQLite wants to create them: that fails in a directory the
 * reader cannot write (SQLITE_READONLY_DIRECTORY), and elsewhere leaves
 * two files behind a reader that should leave no trace.
 *
 * So: when a -wal or -journal file is there, a writer is at work (or died
 * mid-transaction) and the newest data may be in it; the ordinary
 * read-only open reads it, and SQLite copes with an -shm it cannot write
 * (it rebuilds the index in its own memory, SQLite 3.22 and later). When
 * neither is there, the whole store is the one file, and it is read with
 * immutable=1: no -shm, no locks. immutable promises SQLite the file will
 * not change; a census starting meanwhile could break that promise (its
 * checkpoint writes the file), so the file's identity, size and times are
 * taken now and compared after every read (fm_store_read_check), together
 * with the absence of -wal/-journal: a read that may have seen a change is
 * refused, never returned.
 */
int fm_store_open_readonly(fm_ctx *ctx, const char *path, fm_store **out)
{
	fm_buf uri = FM_BUF_INIT;
	fm_store *s;
	int version, err;

	*out = NULL;
	if ((err = store_new(ctx, path, &s)) < 0)
		return err;
	s->readonly = 1;
	if (stat(path, &s->at_open) != 0) {
		err = fm_error_set(ctx, FM_ESTORE, "no store at '%s'", path);
		goto fail;
	}
	s->immutable = !exists(path, "-wal") && !exists(path, "-journal");
	if (s->immutable) {
		if ((err = immutable_uri(ctx, path, &uri)) < 0 ||
		    (err = open_db(ctx, s, fm_buf_str(&uri),
				   SQLITE_OPEN_READONLY | SQLITE_OPEN_URI)) < 0)
			goto fail;
	} else if ((err = open_db(ctx, s, path, SQLITE_OPEN_READONLY)) < 0) {
		goto fail;
	}
	/* the cache statements too: a get works, a put fails (FM_ESTORE) */
	if ((err = fm_store_schema_check(ctx, s->db, path, 1, &version)) < 0 ||
	    (err = fm_store_cache_prepare(ctx, s)) < 0 ||
	    (err = fm_store_read_check(ctx, s)) < 0)
		goto fail;
	fm_buf_clear(&uri);
	*out = s;
	return 0;
fail:
	fm_buf_clear(&uri);
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
