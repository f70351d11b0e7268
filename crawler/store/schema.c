/*
 * The schema of the census store and its migrations. The schema is
 * versioned with PRAGMA user_version and migrated on open, one step per
 * version, each step in its own transaction.
 */
#include <stdio.h>

#include "store/store_internal.h"

/*
 * PRAGMA application_id of a forkmap store ("fkmp"), written by the 2 -> 3
 * step: it tells our stores from other SQLite files that happen to carry a
 * schema version. Stores older than version 3 have 0.
 */
#define APPLICATION_ID 1718316400
#define APPLICATION_ID_VERSION 3
#define STR_(x) #x
#define STR(x) STR_(x)

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
	/* 2 -> 3: failed runs (their error, no rows); our application id */
	"ALTER TABLE runs ADD COLUMN error TEXT;"
	"PRAGMA application_id = " STR(APPLICATION_ID) ";",
	/*
	 * 3 -> 4: reusable census rows and commit nodes (rowcache.c). Their
	 * keys carry FM_METRIC_VERSION, so a change to how a number is
	 * computed needs no step here: old keys are simply never asked for.
	 */
	"CREATE TABLE row_cache ("
	" key TEXT PRIMARY KEY,"
	" skipped TEXT,"
	" merge_base TEXT NOT NULL,"
	" ahead INTEGER NOT NULL,"
	" behind INTEGER NOT NULL,"
	" ahead_first_parent INTEGER NOT NULL,"
	" unique_commits INTEGER NOT NULL,"
	" base_tag TEXT NOT NULL,"
	" release_tag TEXT NOT NULL,"
	" files INTEGER NOT NULL,"
	" insertions INTEGER NOT NULL,"
	" deletions INTEGER NOT NULL,"
	" head_time INTEGER, head_offset INTEGER,"
	" merge_base_time INTEGER, merge_base_offset INTEGER,"
	" base_time INTEGER, base_offset INTEGER) WITHOUT ROWID;"
	"CREATE TABLE node_cache ("
	" key TEXT PRIMARY KEY,"
	" date_time INTEGER NOT NULL, date_offset INTEGER NOT NULL,"
	" tree_lines INTEGER NOT NULL) WITHOUT ROWID;",
	/*
	 * 4 -> 5: patches, the distinct patch ids among a row's unique
	 * commits (-1: measured before forkmap knew it). The row cache
	 * gets it too; FM_METRIC_VERSION 2 keeps old cached rows unused.
	 */
	"ALTER TABLE rows ADD COLUMN patches INTEGER NOT NULL DEFAULT -1;"
	"ALTER TABLE row_cache ADD COLUMN patches INTEGER NOT NULL"
	" DEFAULT -1;"
	/* the files of a distinct patch, for show (store/patchfiles.c) */
	"CREATE TABLE patch_files ("
	" key TEXT PRIMARY KEY, files BLOB NOT NULL) WITHOUT ROWID;",
};

#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* One integer from a query (a pragma, a count). */
static int query_int(fm_ctx *ctx, sqlite3 *db, const char *sql,
		     const char *what, long long *out)
{
	sqlite3_stmt *stmt;
	int err;

	if ((err = fm_store_prepare(ctx, db, sql, &stmt)) < 0)
		return err;
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		err = fm_store_db_error(ctx, db, what);
	} else {
		*out = sqlite3_column_int64(stmt, 0);
		err = 0;
	}
	sqlite3_finalize(stmt);
	return err;
}

static int user_version(fm_ctx *ctx, sqlite3 *db, int *version)
{
	long long v = 0;
	int err = query_int(ctx, db, "PRAGMA user_version",
			    "cannot read schema version", &v);

	*version = (int)v;
	return err;
}

static int not_ours(fm_ctx *ctx, const char *path, const char *why)
{
	return fm_error_set(ctx, FM_ESTORE,
			    "'%s' is an SQLite database but not a forkmap "
			    "store (%s): refusing to touch it",
			    path, why);
}

int fm_store_schema_check(fm_ctx *ctx, sqlite3 *db, const char *path,
			  int readonly, int *version)
{
	long long app_id = 0, objects = 0, runs = 0;
	int err;

	*version = 0;
	if ((err = user_version(ctx, db, version)) < 0 ||
	    (err = query_int(ctx, db, "PRAGMA application_id",
			     "cannot read application id", &app_id)) < 0 ||
	    (err = query_int(ctx, db, "SELECT count(*) FROM sqlite_master",
			     "cannot read schema", &objects)) < 0 ||
	    (err = query_int(ctx, db,
			     "SELECT count(*) FROM sqlite_master"
			     " WHERE type = 'table' AND name = 'runs'",
			     "cannot read schema", &runs)) < 0)
		return err;
	if (app_id != 0 && app_id != APPLICATION_ID)
		return not_ours(ctx, path, "another application id");
	/* checked before the tables: the version indexes migrations[] */
	if (*version < 0)
		return fm_error_set(ctx, FM_ESTORE,
				    "store '%s' has an invalid schema version "
				    "%d: refusing to touch it",
				    path, *version);
	if (*version > SCHEMA_VERSION)
		return fm_error_set(ctx, FM_ESTORE,
				    "store '%s': schema version %d is newer "
				    "than this forkmap's (%d): use a newer "
				    "forkmap",
				    path, *version, SCHEMA_VERSION);
	if (*version == 0 && objects > 0)
		return not_ours(ctx, path, "tables but no schema version");
	if (*version > 0 && !runs)
		return not_ours(ctx, path, "no runs table");
	if (*version >= APPLICATION_ID_VERSION && app_id != APPLICATION_ID)
		return not_ours(ctx, path, "no forkmap application id");
	if (readonly && *version < SCHEMA_VERSION)
		return fm_error_set(ctx, FM_ESTORE,
				    "store '%s' has schema version %d, this "
				    "forkmap reads %d: run 'forkmap census' "
				    "on it once to migrate",
				    path, *version, SCHEMA_VERSION);
	return 0;
}

int fm_store_migrate(fm_ctx *ctx, sqlite3 *db, const char *path)
{
	char sql[64];
	int version = 0, err;

	if ((err = fm_store_schema_check(ctx, db, path, 0, &version)) < 0)
		return err;
	while (version < SCHEMA_VERSION) {
		if ((err = fm_store_exec(ctx, db, "BEGIN IMMEDIATE",
					 "cannot migrate store")) < 0)
			return err;
		/* Read again under the lock: another process opening the same
		 * new store may have migrated it meanwhile. */
		if ((err = fm_store_schema_check(ctx, db, path, 0, &version)) <
		    0) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return err;
		}
		if (version >= SCHEMA_VERSION) {
			sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
			break;
		}
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
			 version + 1);
		if ((err = fm_store_exec(ctx, db, migrations[version],
					 "cannot migrate store")) < 0 ||
		    (err = fm_store_exec(ctx, db, sql,
					 "cannot migrate store")) < 0 ||
		    (err = fm_store_exec(ctx, db, "COMMIT",
					 "cannot migrate store")) < 0) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return err;
		}
		version++;
	}
	return 0;
}
