#ifndef FM_STORE_STORE_INTERNAL_H
#define FM_STORE_STORE_INTERNAL_H
/*
 * Inside crawler/store only: the store handle and the few wrappers around
 * SQLite that every file of the store uses, so that an SQLite failure is
 * turned into an FM_ESTORE message in one place.
 *
 *	sqlite3_stmt *st;
 *	if ((err = fm_store_prepare(ctx, s->db, sql, &st)) < 0)
 *		return err;
 *	rc = fm_store_bind_text(st, 1, name);
 *	err = fm_store_step(ctx, s, st, rc, "cannot save census row");
 *	sqlite3_finalize(st);
 */
#include <pthread.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include <forkmap/runs.h>

/* The key/value cache tables of store/cache.h (cache.c knows their names). */
#define FM_STORE_NCACHES 4

/*
 * The cache calls may come from several threads (the patch-id workers):
 * they share the prepared cache statements, so lock guards every use of db.
 */
struct fm_store {
	sqlite3 *db;
	pthread_mutex_t lock;
	char *path;	     /* for messages */
	int readonly;	     /* fm_store_open_readonly */
	int immutable;	     /* read through immutable=1: see store.c */
	struct stat at_open; /* the file when opened immutable */
	sqlite3_stmt *cache_get[FM_STORE_NCACHES];
	sqlite3_stmt *cache_put[FM_STORE_NCACHES];
};

/* store.c: the SQLite calls, each failure set on ctx once. */

/* Set FM_ESTORE from the handle's message: "what: sqlite message". */
int fm_store_db_error(fm_ctx *ctx, sqlite3 *db, const char *what);
/* Run SQL without results (pragmas, BEGIN, COMMIT, schema steps). */
int fm_store_exec(fm_ctx *ctx, sqlite3 *db, const char *sql, const char *what);
/* Prepare one statement; *stmt is NULL on failure. */
int fm_store_prepare(fm_ctx *ctx, sqlite3 *db, const char *sql,
		     sqlite3_stmt **stmt);
/*
 * Run a bound INSERT/UPDATE and make it ready for the next row. bind_rc is
 * the SQLite result of binding its parameters: when that failed, the step
 * is not run and the failure is reported as "what".
 */
int fm_store_step(fm_ctx *ctx, fm_store *s, sqlite3_stmt *st, int bind_rc,
		  const char *what);
/* Bind a string that outlives the statement's step (NULL binds NULL). */
int fm_store_bind_text(sqlite3_stmt *st, int i, const char *s);
/* A copy of a text column, NULL for SQL NULL; -1 on allocation failure. */
int fm_store_col_dup(sqlite3_stmt *st, int i, char **out);

/*
 * A date is two columns, time (i) and offset (i + 1), both NULL when
 * unset (runs, rows and the reusable rows of rowcache.c).
 */
int fm_store_bind_date(sqlite3_stmt *st, int i, const fm_date *d);
void fm_store_col_date(sqlite3_stmt *st, int i, fm_date *d);

/*
 * A row's numbers and dates from the 15 columns at i, in the order the
 * rows of runs and the reusable rows both keep them: ahead, behind,
 * ahead_first_parent, unique (i .. i + 3), base_tag and release (i + 4,
 * i + 5: strings, the caller's), files, insertions, deletions (i + 6 ..
 * i + 8), then the head, merge base and base dates (two columns each).
 */
void fm_store_col_measures(sqlite3_stmt *st, int i, fm_row *r);
/* The same 15 columns bound, base_tag and release too; an SQLite code. */
int fm_store_bind_measures(sqlite3_stmt *st, int i, const fm_row *r);

/*
 * One transaction for one logical write, under the caller's lock. Inside
 * the caller's own fm_store_begin a savepoint is used instead, so both
 * nest. *outer tells fm_store_txn_end which one was opened; ok 0 rolls
 * back (and cannot fail).
 */
int fm_store_txn_begin(fm_ctx *ctx, fm_store *s, int *outer);
int fm_store_txn_end(fm_ctx *ctx, fm_store *s, int outer, int ok);

/*
 * An immutable store must not have changed since it was opened: every read
 * calls this after reading (0, or FM_ESTORE "changed while it was read").
 */
int fm_store_read_check(fm_ctx *ctx, fm_store *s);

/* schema.c */

/*
 * Refuse what this forkmap must not touch or cannot read, before anything
 * is written: a file that is not a forkmap store (a foreign application
 * id, tables of its own but no schema version, a version without the runs
 * table), a negative schema version, a newer one; readonly also refuses an
 * older version (it needs a migration, which only a writer may run). An
 * empty database is a new store (*version 0). Messages name path.
 */
int fm_store_schema_check(fm_ctx *ctx, sqlite3 *db, const char *path,
			  int readonly, int *version);
/* Bring the schema to this forkmap's version (user_version), step by step. */
int fm_store_migrate(fm_ctx *ctx, sqlite3 *db, const char *path);

/* cache.c: the prepared cache statements, made on open, freed on close. */
int fm_store_cache_prepare(fm_ctx *ctx, fm_store *s);
void fm_store_cache_finalize(fm_store *s);

#endif
