/*
 * The census store on SQLite: census runs with their rows and release
 * nodes, the HTTP cache, and the blob-line and patch-id caches.
 *
 * Every statement is prepared with bound parameters (names come from
 * forges and are untrusted); no SQL is ever built from data. The schema is
 * versioned with PRAGMA user_version and migrated on open, one step per
 * version, each step in its own transaction.
 *
 * The cache calls may come from several threads (the patch-id workers):
 * they share prepared statements, so a mutex guards them.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include <forkmap/runs.h>

#include "store/cache.h"

/*
 * migrations[v] takes the schema from version v to v + 1. To change the
 * schema, append a step (ALTER TABLE ..., new tables) and never edit an
 * old one: stores in the field are at every version. The caches hold
 * results of forkmap's own algorithms keyed by object ids only: a change
 * to how patch ids or line counts are computed must come with a step that
 * empties the affected cache tables (DELETE FROM patch_ids; ...).
 */
static const char *const migrations[] = {
	/* 0 -> 1: the first schema */
	"CREATE TABLE runs ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" upstream TEXT,"
	" branch TEXT,"
	" head TEXT NOT NULL,"
	" head_time INTEGER, head_offset INTEGER,"
	" head_tree_lines INTEGER NOT NULL,"
	" started INTEGER NOT NULL,"
	" finished INTEGER NOT NULL,"
	" requests INTEGER NOT NULL,"
	" not_modified INTEGER NOT NULL,"
	" remaining INTEGER NOT NULL,"
	" complete INTEGER NOT NULL);"
	"CREATE TABLE rows ("
	" run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	" pos INTEGER NOT NULL,"
	" name TEXT NOT NULL,"
	" branch TEXT,"
	" ref TEXT,"
	" source TEXT NOT NULL,"
	" error TEXT,"
	" skipped TEXT,"
	" head TEXT NOT NULL,"
	" merge_base TEXT NOT NULL,"
	" ahead INTEGER NOT NULL,"
	" behind INTEGER NOT NULL,"
	" ahead_first_parent INTEGER NOT NULL,"
	" unique_commits INTEGER NOT NULL,"
	" base_tag TEXT,"
	" release_tag TEXT,"
	" files INTEGER NOT NULL,"
	" insertions INTEGER NOT NULL,"
	" deletions INTEGER NOT NULL,"
	" head_time INTEGER, head_offset INTEGER,"
	" merge_base_time INTEGER, merge_base_offset INTEGER,"
	" base_time INTEGER, base_offset INTEGER,"
	" stars INTEGER NOT NULL,"
	" PRIMARY KEY (run_id, pos));"
	"CREATE INDEX rows_by_name ON rows(name, run_id);"
	"CREATE TABLE releases ("
	" run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	" pos INTEGER NOT NULL,"
	" tag TEXT NOT NULL,"
	" commit_id TEXT NOT NULL,"
	" date_time INTEGER, date_offset INTEGER,"
	" tree_lines INTEGER NOT NULL,"
	" PRIMARY KEY (run_id, pos));"
	"CREATE TABLE http_cache ("
	" url TEXT PRIMARY KEY,"
	" etag TEXT,"
	" last_modified TEXT,"
	" link TEXT,"
	" body BLOB,"
	" stored_at INTEGER NOT NULL);"
	"CREATE TABLE blob_lines ("
	" key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE patch_ids ("
	" key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE patch_headers ("
	" key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;",
	/* 1 -> 2: line counts of tree-to-tree diffs ("OLD..NEW:f|i|d") */
	"CREATE TABLE diff_stats ("
	" key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;",
};

#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* The key/value cache tables; the only names the cache calls accept. */
static const char *const cache_tables[] = {"blob_lines", "patch_ids",
					   "patch_headers", "diff_stats"};
static const char *const cache_get_sql[] = {
	"SELECT value FROM blob_lines WHERE key = ?1",
	"SELECT value FROM patch_ids WHERE key = ?1",
	"SELECT value FROM patch_headers WHERE key = ?1",
	"SELECT value FROM diff_stats WHERE key = ?1",
};
static const char *const cache_put_sql[] = {
	"INSERT OR REPLACE INTO blob_lines (key, value) VALUES (?1, ?2)",
	"INSERT OR REPLACE INTO patch_ids (key, value) VALUES (?1, ?2)",
	"INSERT OR REPLACE INTO patch_headers (key, value) VALUES (?1, ?2)",
	"INSERT OR REPLACE INTO diff_stats (key, value) VALUES (?1, ?2)",
};
#define NCACHES 4

struct fm_store {
	sqlite3 *db;
	pthread_mutex_t lock;
	sqlite3_stmt *cache_get[NCACHES];
	sqlite3_stmt *cache_put[NCACHES];
};

/* Set the error from the handle's message: "what: sqlite message". */
static int db_error(fm_ctx *ctx, sqlite3 *db, const char *what)
{
	return fm_error_set(ctx, FM_ESTORE, "%s: %s", what,
			    db ? sqlite3_errmsg(db) : "out of memory");
}

static int exec(fm_ctx *ctx, sqlite3 *db, const char *sql, const char *what)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(ctx, db, what);
	return 0;
}

static int prepare(fm_ctx *ctx, sqlite3 *db, const char *sql,
		   sqlite3_stmt **stmt)
{
	if (sqlite3_prepare_v2(db, sql, -1, stmt, NULL) != SQLITE_OK) {
		*stmt = NULL;
		return db_error(ctx, db, "cannot prepare statement");
	}
	return 0;
}

static int user_version(fm_ctx *ctx, sqlite3 *db, int *version)
{
	sqlite3_stmt *stmt;
	int err;

	if ((err = prepare(ctx, db, "PRAGMA user_version", &stmt)) < 0)
		return err;
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		err = db_error(ctx, db, "cannot read schema version");
	} else {
		*version = sqlite3_column_int(stmt, 0);
		err = 0;
	}
	sqlite3_finalize(stmt);
	return err;
}

static int migrate(fm_ctx *ctx, sqlite3 *db)
{
	char sql[64];
	int version = 0, err;

	if ((err = user_version(ctx, db, &version)) < 0)
		return err;
	if (version > SCHEMA_VERSION)
		return fm_error_set(ctx, FM_ESTORE,
				    "store schema version %d is newer than "
				    "this forkmap's (%d)",
				    version, SCHEMA_VERSION);
	while (version < SCHEMA_VERSION) {
		if ((err = exec(ctx, db, "BEGIN IMMEDIATE",
				"cannot migrate store")) < 0)
			return err;
		/* Read again under the lock: another process opening the same
		 * new store may have migrated it meanwhile. */
		if ((err = user_version(ctx, db, &version)) < 0) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return err;
		}
		if (version >= SCHEMA_VERSION) {
			sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
			break;
		}
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
			 version + 1);
		if ((err = exec(ctx, db, migrations[version],
				"cannot migrate store")) < 0 ||
		    (err = exec(ctx, db, sql, "cannot migrate store")) < 0 ||
		    (err = exec(ctx, db, "COMMIT", "cannot migrate store")) <
			    0) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return err;
		}
		version++;
	}
	return 0;
}

void fm_store_free(fm_store *store)
{
	int i;

	if (!store)
		return;
	for (i = 0; i < NCACHES; i++) {
		sqlite3_finalize(store->cache_get[i]);
		sqlite3_finalize(store->cache_put[i]);
	}
	sqlite3_close(store->db);
	pthread_mutex_destroy(&store->lock);
	free(store);
}

int fm_store_open(fm_ctx *ctx, const char *path, fm_store **out)
{
	fm_store *s;
	int i, err;

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
	if ((err = exec(ctx, s->db, "PRAGMA journal_mode = WAL",
			"cannot open store")) < 0 ||
	    (err = exec(ctx, s->db,
			"PRAGMA synchronous = NORMAL;"
			"PRAGMA foreign_keys = ON",
			"cannot open store")) < 0 ||
	    (err = migrate(ctx, s->db)) < 0)
		goto fail;
	for (i = 0; i < NCACHES; i++)
		if ((err = prepare(ctx, s->db, cache_get_sql[i],
				   &s->cache_get[i])) < 0 ||
		    (err = prepare(ctx, s->db, cache_put_sql[i],
				   &s->cache_put[i])) < 0)
			goto fail;
	*out = s;
	return 0;
fail:
	fm_store_free(s);
	return err;
}

/*
 * A transaction for one logical write. Inside the caller's own
 * fm_store_begin a savepoint is used instead, so both nest.
 */
static int txn_begin(fm_ctx *ctx, fm_store *s, int *outer)
{
	*outer = sqlite3_get_autocommit(s->db);
	return exec(ctx, s->db, *outer ? "BEGIN IMMEDIATE" : "SAVEPOINT fm_txn",
		    "cannot begin transaction");
}

static int txn_end(fm_ctx *ctx, fm_store *s, int outer, int ok)
{
	if (ok)
		return exec(ctx, s->db, outer ? "COMMIT" : "RELEASE fm_txn",
			    "cannot commit");
	sqlite3_exec(s->db,
		     outer ? "ROLLBACK" : "ROLLBACK TO fm_txn; RELEASE fm_txn",
		     NULL, NULL, NULL);
	return 0;
}

static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* A date is two columns: time and offset, both NULL when unset. */
static int bind_date(sqlite3_stmt *st, int i, const fm_date *d)
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

/* Run a bound INSERT/UPDATE and make it ready for the next row. */
static int step_done(fm_ctx *ctx, fm_store *s, sqlite3_stmt *st,
		     const char *what)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE) {
		int err = db_error(ctx, s->db, what);

		sqlite3_reset(st);
		return err;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return 0;
}

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

	if ((err = prepare(ctx, s->db, sql, &st)) < 0)
		return err;
	rc = bind_text(st, 1, c->upstream);
	rc = rc ? rc : bind_text(st, 2, c->branch);
	rc = rc ? rc : bind_text(st, 3, c->head);
	rc = rc ? rc : bind_date(st, 4, &c->head_date);
	rc = rc ? rc : sqlite3_bind_int64(st, 6, c->head_tree_lines);
	rc = rc ? rc : sqlite3_bind_int64(st, 7, c->started);
	rc = rc ? rc : sqlite3_bind_int64(st, 8, c->finished);
	rc = rc ? rc : sqlite3_bind_int64(st, 9, stats->requests);
	rc = rc ? rc : sqlite3_bind_int64(st, 10, stats->not_modified);
	rc = rc ? rc : sqlite3_bind_int64(st, 11, stats->remaining);
	rc = rc ? rc : sqlite3_bind_int(st, 12, stats->complete);
	if (rc != SQLITE_OK)
		err = db_error(ctx, s->db, "cannot save census run");
	else
		err = step_done(ctx, s, st, "cannot save census run");
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
		" stars) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
		" ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22,"
		" ?23, ?24, ?25, ?26)";
	sqlite3_stmt *st;
	size_t i;
	int rc, err = 0;

	if ((err = prepare(ctx, s->db, sql, &st)) < 0)
		return err;
	for (i = 0; i < c->nrows && err == 0; i++) {
		const fm_row *r = &c->rows[i];

		rc = sqlite3_bind_int64(st, 1, id);
		rc = rc ? rc : sqlite3_bind_int64(st, 2, (int64_t)i);
		rc = rc ? rc : bind_text(st, 3, r->name);
		rc = rc ? rc : bind_text(st, 4, r->branch);
		rc = rc ? rc : bind_text(st, 5, r->ref);
		rc = rc ? rc : bind_text(st, 6, fm_source_name(r->source));
		rc = rc ? rc : bind_text(st, 7, r->error);
		rc = rc ? rc : bind_text(st, 8, r->skipped);
		rc = rc ? rc : bind_text(st, 9, r->head);
		rc = rc ? rc : bind_text(st, 10, r->merge_base);
		rc = rc ? rc : sqlite3_bind_int64(st, 11, r->ahead);
		rc = rc ? rc : sqlite3_bind_int64(st, 12, r->behind);
		rc = rc ? rc
			: sqlite3_bind_int64(st, 13, r->ahead_first_parent);
		rc = rc ? rc : sqlite3_bind_int64(st, 14, r->unique);
		rc = rc ? rc : bind_text(st, 15, r->base_tag);
		rc = rc ? rc : bind_text(st, 16, r->release);
		rc = rc ? rc : sqlite3_bind_int64(st, 17, r->files);
		rc = rc ? rc : sqlite3_bind_int64(st, 18, r->insertions);
		rc = rc ? rc : sqlite3_bind_int64(st, 19, r->deletions);
		rc = rc ? rc : bind_date(st, 20, &r->head_date);
		rc = rc ? rc : bind_date(st, 22, &r->merge_base_date);
		rc = rc ? rc : bind_date(st, 24, &r->base_date);
		rc = rc ? rc : sqlite3_bind_int64(st, 26, r->stars);
		if (rc != SQLITE_OK)
			err = db_error(ctx, s->db, "cannot save census row");
		else
			err = step_done(ctx, s, st, "cannot save census row");
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

	if ((err = prepare(ctx, s->db, sql, &st)) < 0)
		return err;
	for (i = 0; i < c->nreleases && err == 0; i++) {
		const fm_release *r = &c->releases[i];

		rc = sqlite3_bind_int64(st, 1, id);
		rc = rc ? rc : sqlite3_bind_int64(st, 2, (int64_t)i);
		rc = rc ? rc : bind_text(st, 3, r->tag);
		rc = rc ? rc : bind_text(st, 4, r->commit);
		rc = rc ? rc : bind_date(st, 5, &r->date);
		rc = rc ? rc : sqlite3_bind_int64(st, 7, r->tree_lines);
		if (rc != SQLITE_OK)
			err = db_error(ctx, s->db, "cannot save release");
		else
			err = step_done(ctx, s, st, "cannot save release");
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
	if ((err = txn_begin(ctx, store, &outer)) < 0)
		goto done;
	if ((err = insert_run(ctx, store, census, stats, &id)) < 0 ||
	    (err = insert_rows(ctx, store, census, id)) < 0 ||
	    (err = insert_releases(ctx, store, census, id)) < 0) {
		txn_end(ctx, store, outer, 0);
		goto done;
	}
	if ((err = txn_end(ctx, store, outer, 1)) < 0) {
		txn_end(ctx, store, outer, 0);
		goto done;
	}
	if (run_id)
		*run_id = id;
done:
	pthread_mutex_unlock(&store->lock);
	return err;
}

/* A copy of a text column, NULL for SQL NULL; -1 on allocation failure. */
static int col_dup(sqlite3_stmt *st, int i, char **out)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	*out = NULL;
	if (!t)
		return sqlite3_column_type(st, i) == SQLITE_NULL ? 0 : -1;
	return (*out = strdup((const char *)t)) ? 0 : -1;
}

static void col_oid(sqlite3_stmt *st, int i, char out[41])
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(out, 41, "%s", t ? (const char *)t : "");
}

static void col_date(sqlite3_stmt *st, int i, fm_date *d)
{
	memset(d, 0, sizeof(*d));
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return;
	d->time = sqlite3_column_int64(st, i);
	d->offset = sqlite3_column_int(st, i + 1);
	d->set = 1;
}

static int load_run(fm_ctx *ctx, fm_store *s, int64_t *run_id, fm_census *c)
{
	static const char sql[] =
		"SELECT id, upstream, branch, head, head_time, head_offset,"
		" head_tree_lines, started, finished FROM runs"
		" WHERE id = CASE WHEN ?1 = 0 THEN (SELECT max(id) FROM runs)"
		" ELSE ?1 END";
	sqlite3_stmt *st;
	int rc, err = 0;

	if ((err = prepare(ctx, s->db, sql, &st)) < 0)
		return err;
	if (sqlite3_bind_int64(st, 1, *run_id) != SQLITE_OK) {
		err = db_error(ctx, s->db, "cannot load census");
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
		err = db_error(ctx, s->db, "cannot load census");
		goto done;
	}
	*run_id = sqlite3_column_int64(st, 0);
	if (col_dup(st, 1, &c->upstream) < 0 ||
	    col_dup(st, 2, &c->branch) < 0) {
		err = fm_error_set(ctx, FM_ENOMEM, "out of memory");
		goto done;
	}
	col_oid(st, 3, c->head);
	col_date(st, 4, &c->head_date);
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

	if (col_dup(st, 0, &r->name) < 0 || col_dup(st, 1, &r->branch) < 0 ||
	    col_dup(st, 2, &r->ref) < 0 || col_dup(st, 4, &r->error) < 0 ||
	    col_dup(st, 5, &r->skipped) < 0 ||
	    col_dup(st, 12, &r->base_tag) < 0 ||
	    col_dup(st, 13, &r->release) < 0)
		return FM_ENOMEM;
	r->source = source < 0 ? FM_SOURCE_LOCAL : (fm_source)source;
	col_oid(st, 6, r->head);
	col_oid(st, 7, r->merge_base);
	r->ahead = (long)sqlite3_column_int64(st, 8);
	r->behind = (long)sqlite3_column_int64(st, 9);
	r->ahead_first_parent = (long)sqlite3_column_int64(st, 10);
	r->unique = (long)sqlite3_column_int64(st, 11);
	r->files = (long)sqlite3_column_int64(st, 14);
	r->insertions = (long)sqlite3_column_int64(st, 15);
	r->deletions = (long)sqlite3_column_int64(st, 16);
	col_date(st, 17, &r->head_date);
	col_date(st, 19, &r->merge_base_date);
	col_date(st, 21, &r->base_date);
	r->stars = (long)sqlite3_column_int64(st, 23);
	return 0;
}

static int load_rows(fm_ctx *ctx, fm_store *s, int64_t id, fm_census *c)
{
	static const char sql[] =
		"SELECT name, branch, ref, source, error, skipped, head,"
		" merge_base, ahead, behind, ahead_first_parent,"
		" unique_commits, base_tag, release_tag, files, insertions,"
		" deletions, head_time, head_offset, merge_base_time,"
		" merge_base_offset, base_time, base_offset, stars"
		" FROM rows WHERE run_id = ?1 ORDER BY pos";
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc, err = 0;

	if ((err = prepare(ctx, s->db, sql, &st)) < 0)
		return err;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK) {
		err = db_error(ctx, s->db, "cannot load census rows");
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
		err = db_error(ctx, s->db, "cannot load census rows");
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

	if ((err = prepare(ctx, s->db, sql, &st)) < 0)
		return err;
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK) {
		err = db_error(ctx, s->db, "cannot load releases");
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
		if (col_dup(st, 0, &r->tag) < 0)
			goto nomem;
		col_oid(st, 1, r->commit);
		col_date(st, 2, &r->date);
		r->tree_lines = (long)sqlite3_column_int64(st, 4);
	}
	if (rc != SQLITE_DONE)
		err = db_error(ctx, s->db, "cannot load releases");
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
	if ((err = exec(ctx, store->db, "SAVEPOINT fm_load",
			"cannot load census")) < 0)
		goto done;
	if ((err = load_run(ctx, store, &run_id, c)) == 0 &&
	    (err = load_rows(ctx, store, run_id, c)) == 0)
		err = load_releases(ctx, store, run_id, c);
	sqlite3_exec(store->db, "RELEASE fm_load", NULL, NULL, NULL);
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
	/* failed: has an error; skipped: no error but a skip reason */
	static const char sql[] =
		"SELECT r.id, r.upstream, r.branch, r.started, r.finished,"
		" r.requests, r.not_modified, r.remaining, r.complete,"
		" count(w.pos),"
		" total(w.error IS NULL AND w.skipped IS NULL),"
		" total(w.error IS NULL AND w.skipped IS NOT NULL),"
		" total(w.error IS NOT NULL)"
		" FROM runs r LEFT JOIN rows w ON w.run_id = r.id"
		" GROUP BY r.id ORDER BY r.id DESC";
	fm_run_info *runs = NULL, *ri;
	sqlite3_stmt *st = NULL;
	size_t count = 0, alloc = 0;
	int rc, err;

	*out = NULL;
	*n = 0;
	pthread_mutex_lock(&store->lock);
	if ((err = prepare(ctx, store->db, sql, &st)) < 0)
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
		if (col_dup(st, 1, &ri->upstream) < 0 ||
		    col_dup(st, 2, &ri->branch) < 0)
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
		err = db_error(ctx, store->db, "cannot list runs");
		goto done;
	}
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
	}
	free(runs);
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
	if ((err = prepare(ctx, store->db, sql, &st)) < 0)
		goto done;
	if (bind_text(st, 1, url) != SQLITE_OK) {
		err = db_error(ctx, store->db, "cannot read http cache");
		goto done;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		err = FM_ENOTFOUND; /* a miss is not a failure: no message */
		goto done;
	}
	if (rc != SQLITE_ROW) {
		err = db_error(ctx, store->db, "cannot read http cache");
		goto done;
	}
	if (col_dup(st, 0, &out->etag) < 0 ||
	    col_dup(st, 1, &out->last_modified) < 0 ||
	    col_dup(st, 2, &out->link) < 0)
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
	if ((err = prepare(ctx, store->db, sql, &st)) < 0)
		goto done;
	rc = bind_text(st, 1, url);
	rc = rc ? rc : bind_text(st, 2, e->etag);
	rc = rc ? rc : bind_text(st, 3, e->last_modified);
	rc = rc ? rc : bind_text(st, 4, e->link);
	if (!rc && e->body)
		rc = sqlite3_bind_blob64(st, 5, e->body, e->body_len,
					 SQLITE_STATIC);
	rc = rc ? rc : sqlite3_bind_int64(st, 6, fm_ctx_now(ctx));
	if (rc != SQLITE_OK)
		err = db_error(ctx, store->db, "cannot write http cache");
	else
		err = step_done(ctx, store, st, "cannot write http cache");
done:
	sqlite3_finalize(st);
	pthread_mutex_unlock(&store->lock);
	return err;
}

static int cache_index(fm_ctx *ctx, const char *table)
{
	int i;

	for (i = 0; table && i < NCACHES; i++)
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
	if (bind_text(st, 1, key) != SQLITE_OK) {
		err = db_error(ctx, store->db, "cannot read cache");
		goto done;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*value = sqlite3_column_int64(st, 0);
		err = 0;
	} else if (rc == SQLITE_DONE) {
		err = FM_ENOTFOUND; /* a miss: no message */
	} else {
		err = db_error(ctx, store->db, "cannot read cache");
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
	rc = bind_text(st, 1, key);
	rc = rc ? rc : sqlite3_bind_int64(st, 2, value);
	if (rc != SQLITE_OK) {
		err = db_error(ctx, store->db, "cannot write cache");
		sqlite3_clear_bindings(st);
	} else {
		err = step_done(ctx, store, st, "cannot write cache");
	}
	pthread_mutex_unlock(&store->lock);
	return err;
}

int fm_store_begin(fm_ctx *ctx, fm_store *store)
{
	int err;

	pthread_mutex_lock(&store->lock);
	err = exec(ctx, store->db, "BEGIN IMMEDIATE",
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
	err = exec(ctx, store->db, "COMMIT", "cannot commit");
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
