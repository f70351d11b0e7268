#ifndef FORKMAP_SHOW_H
#define FORKMAP_SHOW_H
/*
 * One fork up close (`forkmap show FORK`): what it carries and where.
 *
 *	fm_show_opts opts = FM_SHOW_OPTS_INIT;
 *	fm_show *s;
 *
 *	if (fm_show_fork(ctx, repo, store, census, "acme/qemu:stable",
 *			 &opts, &s) < 0) ...
 *	... s->row->unique, s->patches[i].subject, s->dirs[i].insertions ...
 *	fm_show_free(s);
 *
 * - Patches: the fork's unique commits (those `git cherry U F` marks '+'),
 *   deduplicated by patch id. Each distinct patch is shown by its first
 *   copy (oldest committer date, then object id) with the number of
 *   copies; commits that change nothing are no patch (git patch-id prints
 *   none for them) and are counted in `empty`. npatches == row->patches
 *   when the row has it.
 * - Directories: the tree delta MB -> F per directory with the census's
 *   rules (`git diff --numstat --no-renames MB F`, binary files 0/0), so
 *   the sums equal the row's files, insertions and deletions; and the
 *   unique commits touching each directory (the copies of the patches
 *   that change a file in it).
 *
 * Directory keys. A changed file counts in its directory cut to `depth`
 * path components ("hw/arm" at depth 2 for hw/arm/virt.c; "." for a file
 * at the top). A key is a *family of siblings* when no changed file lies
 * in it directly and its changed files lie in two or more of its
 * subdirectories (QEMU's target/ at depth 1, include/hw at depth 2):
 * such a key is split one level deeper (target/arm, target/i386), once.
 *
 * Cost: the unique commits are found with the census's own algorithm
 * (measure stage), reading the patch ids a census kept in the store; the
 * files of each patch come from the store too (the census keeps them). A
 * store that lacks one makes show compute it (ids_computed,
 * patches_diffed count those, for tests): after a census of the same
 * fork, show diffs no commit. show never writes the store.
 */
#include "census.h"
#include "repo.h"
#include "runs.h"
#include "settings.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fm_show_sort {
	FM_SHOW_SORT_DATE = 0, /* newest first copy first */
	FM_SHOW_SORT_SIZE = 1, /* most lines changed first */
} fm_show_sort;

typedef struct fm_show_opts {
	int depth;	   /* directory depth (FM_DEFAULT_SHOW_DEPTH: 2) */
	fm_show_sort sort; /* order of the patches */
	size_t limit;	   /* only the first N patches; 0: all */
} fm_show_opts;

#define FM_SHOW_OPTS_INIT                                   \
	{                                                   \
		FM_DEFAULT_SHOW_DEPTH, FM_SHOW_SORT_DATE, 0 \
	}

typedef struct fm_show_patch {
	char commit[41]; /* the first copy */
	char *subject;	 /* its first line */
	char *author;	 /* its author's name */
	fm_date date;	 /* its author date */
	long copies;	 /* unique commits that carry this patch */
	char **commits;	 /* every copy (ncommits == copies), hex */
	long files, insertions, deletions; /* the first copy's numstat */
} fm_show_patch;

typedef struct fm_show_dir {
	char *path; /* "hw/arm", "." for files at the top */
	long files, insertions, deletions; /* of MB -> F */
	long commits;			   /* unique commits touching it */
	fm_date newest; /* newest committer date of those commits */
} fm_show_dir;

typedef struct fm_show {
	const fm_row *row;	 /* the fork's row in the census (borrowed) */
	const fm_census *census; /* borrowed */
	fm_show_patch *patches;	 /* in opts->sort order, up to opts->limit */
	size_t npatches;	 /* shown */
	size_t total_patches;	 /* before the limit */
	long empty;		 /* unique commits that change nothing */
	fm_show_dir *dirs;	 /* most lines changed first, then by path */
	size_t ndirs;
	int depth;
	size_t ids_computed;   /* patch ids not found in the store */
	size_t patches_diffed; /* patches whose files were not in the store */
} fm_show;

/*
 * The row of census that fork names (NAME, NAME:BRANCH or NAME/BRANCH, as
 * `forkmap log` takes it): FM_EINVAL when it names none or several (the
 * message lists them), or a row with an error or a skip reason.
 */
int fm_show_find_row(fm_ctx *ctx, const fm_census *census, const char *fork,
		     const fm_row **out);

/*
 * Show the fork `fork` names in census, measured in repo (where the census
 * ran), with the caches of store (read-only; NULL: compute everything).
 * The fork's head and the census's upstream tip must be in repo. Free
 * with fm_show_free.
 */
int fm_show_fork(fm_ctx *ctx, fm_repo *repo, fm_store *store,
		 const fm_census *census, const char *fork,
		 const fm_show_opts *opts, fm_show **out);
void fm_show_free(fm_show *show);

/*
 * Output for notebooks and scripts (NUL-terminated text, free *out with
 * free()): one JSON document {"schema": 1, "upstream", "branch", "run_id",
 * "fork": {the census JSON's fork object}, "depth", "empty",
 * "total_patches", "patches": [{"commit", "subject", "author", "date",
 * "copies", "commits", "files", "insertions", "deletions"}],
 * "directories": [{"path", "files", "insertions", "deletions",
 * "commits", "newest"}]}; and CSV, the patches (commit,date,copies,files,
 * insertions,deletions,author,subject) or the directories (path,files,
 * insertions,deletions,commits,newest), with the census CSV's quoting and
 * formula guard.
 */
int fm_show_json(fm_ctx *ctx, const fm_show *show, char **out);
int fm_show_patches_csv(fm_ctx *ctx, const fm_show *show, char **out);
int fm_show_dirs_csv(fm_ctx *ctx, const fm_show *show, char **out);

/* The treemap of a show's directories (graphviz patchwork). */
typedef enum fm_treemap_colour {
	FM_TREEMAP_COMMITS = 0, /* unique commits touching the directory */
	FM_TREEMAP_RECENCY = 1, /* newest unique commit touching it */
} fm_treemap_colour;

typedef struct fm_treemap_opts {
	int format;	   /* an fm_render_format (render.h); 0: by path */
	const char *title; /* NULL: "<fork>: where the work lives" */
	fm_treemap_colour colour;
	double dpi; /* PNG; 0: FM_RENDER_DPI */
} fm_treemap_opts;

#define FM_TREEMAP_OPTS_INIT                     \
	{                                        \
		0, NULL, FM_TREEMAP_COMMITS, 0.0 \
	}

/*
 * Draw the directories as a treemap: box area = lines changed (insertions
 * + deletions; a directory touched by commits but with no net change
 * gets no box), fill = unique commits touching it or the newest of them
 * (opts->colour; viridis, with a legend), labels that fit their box (path and
 * lines; dropped for boxes too small to hold one). SVG, PNG, PDF or DOT as
 * render does (same atomic write, byte-for-byte repeatable).
 */
int fm_show_treemap_file(fm_ctx *ctx, const fm_show *show,
			 const fm_treemap_opts *opts, const char *path);
int fm_show_treemap_buffer(fm_ctx *ctx, const fm_show *show,
			   const fm_treemap_opts *opts, char **out,
			   size_t *len);

#ifdef __cplusplus
}
#endif
#endif
