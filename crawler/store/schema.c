/*
 * The schema of the census store and its migrations. The schema is
 * versioned with PRAGMA user_version and migrated on open, one step per
 * version, each step in its own transaction.
 */
#include <stdio.h>

#include "store/store_internal.h"

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
	/*
	 * 2 -> 3: PLACEHOLDER, does nothing. Version 3 (read-only store and
	 * failed runs) is written on another branch of issue 8; when it is
	 * merged, its step replaces this line and 3 -> 4 stays as it is.
	 */
	"",
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
};

#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

static int user_version(fm_ctx *ctx, sqlite3 *db, int *version)
{
	sqlite3_stmt *stmt;
	int err;

	if ((err = fm_store_prepare(ctx, db, "PRAGMA user_version", &stmt)) < 0)
		return err;
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		err = fm_store_db_error(ctx, db, "cannot read schema version");
	} else {
		*version = sqlite3_column_int(stmt, 0);
		err = 0;
	}
	sqlite3_finalize(stmt);
	return err;
}

int fm_store_migrate(fm_ctx *ctx, sqlite3 *db)
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
		if ((err = fm_store_exec(ctx, db, "BEGIN IMMEDIATE",
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
