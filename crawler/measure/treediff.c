/* Lean tree comparison, line counts and diff stats (see treediff.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/oidmap.h"
#include "measure/treediff.h"

#define MODE_TREE 0040000
#define MODE_GITLINK 0160000

struct walk {
	git_odb *odb;
	fm_tree_change_cb cb;
	void *payload;
	char *path;
	size_t len;
	size_t alloc;
};

static const git_oid zero_oid;

/*
 * A tree read straight from the object store and iterated in its raw form
 * ("<octal mode> <name>\0<20-byte id>" per entry): no per-entry allocation,
 * which matters at hundreds of thousands of trees per census.
 */
struct raw_tree {
	git_odb_object *obj;
	const unsigned char *p;
	const unsigned char *end;
};

struct raw_entry {
	const char *name;
	size_t namelen;
	uint32_t mode;
	const git_oid *id;
};

static int raw_open(struct raw_tree *t, git_odb *odb, const git_oid *id)
{
	int rc;

	memset(t, 0, sizeof(*t));
	if (!id)
		return 0;
	if ((rc = git_odb_read(&t->obj, odb, id)) < 0)
		return rc;
	if (git_odb_object_type(t->obj) != GIT_OBJECT_TREE) {
		git_odb_object_free(t->obj);
		t->obj = NULL;
		git_error_set_str(GIT_ERROR_OBJECT, "object is not a tree");
		return GIT_ERROR;
	}
	t->p = git_odb_object_data(t->obj);
	t->end = t->p + git_odb_object_size(t->obj);
	return 0;
}

/*
 * git's canon_mode(): old trees hold modes like 100664 or 100775, which
 * git reads as 100644 / 100755 (owner execute bit decides).
 */
static uint32_t canon_mode(uint32_t mode)
{
	switch (mode & 0170000) {
	case 0100000:
		return mode & 0100 ? 0100755 : 0100644;
	case 0120000:
		return 0120000;
	case 0040000:
		return MODE_TREE;
	default:
		return MODE_GITLINK;
	}
}

/* 1 with the next entry, 0 at the end, <0 for a corrupt tree. */
static int raw_next(struct raw_tree *t, struct raw_entry *e)
{
	const unsigned char *p = t->p, *nul;
	uint32_t mode = 0;

	if (!p || p >= t->end)
		return 0;
	while (p < t->end && *p >= '0' && *p <= '7')
		mode = mode * 8 + (uint32_t)(*p++ - '0');
	if (p >= t->end || *p++ != ' ' ||
	    !(nul = memchr(p, 0, (size_t)(t->end - p))) ||
	    (size_t)(t->end - nul) < 1 + GIT_OID_RAWSZ) {
		git_error_set_str(GIT_ERROR_OBJECT, "corrupt tree object");
		return GIT_ERROR;
	}
	e->name = (const char *)p;
	e->namelen = (size_t)(nul - p);
	e->mode = canon_mode(mode);
	e->id = (const git_oid *)(nul + 1);
	t->p = nul + 1 + GIT_OID_RAWSZ;
	return 1;
}

/* git's base_name_compare: a tree sorts as if its name ended in '/'. */
static int entry_cmp(const struct raw_entry *a, const struct raw_entry *b)
{
	size_t len = a->namelen < b->namelen ? a->namelen : b->namelen;
	int cmp = memcmp(a->name, b->name, len);
	unsigned char ca, cb;

	if (cmp)
		return cmp;
	ca = len < a->namelen ? (unsigned char)a->name[len]
			      : (a->mode == MODE_TREE ? '/' : '\0');
	cb = len < b->namelen ? (unsigned char)b->name[len]
			      : (b->mode == MODE_TREE ? '/' : '\0');
	return ca - cb;
}

static int path_push(struct walk *w, const struct raw_entry *e, size_t *saved)
{
	size_t need = w->len + e->namelen + 2;

	if (need > w->alloc) {
		size_t a = need * 2;
		char *p = realloc(w->path, a);

		if (!p)
			return -1;
		w->path = p;
		w->alloc = a;
	}
	*saved = w->len;
	if (w->len)
		w->path[w->len++] = '/';
	memcpy(w->path + w->len, e->name, e->namelen);
	w->len += e->namelen;
	w->path[w->len] = '\0';
	return 0;
}

static int walk_trees(struct walk *w, const git_oid *a, const git_oid *b);

/* One entry on either or both sides; both sides have the same kind. */
static int emit(struct walk *w, const struct raw_entry *o,
		const struct raw_entry *n)
{
	const struct raw_entry *e = o ? o : n;
	size_t saved;
	int rc;

	if (path_push(w, e, &saved) < 0)
		return GIT_ERROR;
	if (e->mode == MODE_TREE) {
		rc = walk_trees(w, o ? o->id : NULL, n ? n->id : NULL);
	} else {
		fm_tree_change c;

		c.path = w->path;
		c.pathlen = w->len;
		c.old_oid = o ? o->id : &zero_oid;
		c.old_mode = o ? o->mode : 0;
		c.new_oid = n ? n->id : &zero_oid;
		c.new_mode = n ? n->mode : 0;
		rc = w->cb(&c, w->payload);
	}
	w->len = saved;
	w->path[w->len] = '\0';
	return rc;
}

static int walk_trees(struct walk *w, const git_oid *a, const git_oid *b)
{
	struct raw_tree ta, tb;
	struct raw_entry ea, eb;
	int rc, ha, hb;

	if ((rc = raw_open(&ta, w->odb, a)) < 0)
		return rc;
	if ((rc = raw_open(&tb, w->odb, b)) < 0)
		goto done;
	ha = raw_next(&ta, &ea);
	hb = raw_next(&tb, &eb);
	while (rc == 0 && (ha > 0 || hb > 0)) {
		int cmp;

		if (ha < 0 || hb < 0) {
			rc = GIT_ERROR;
			break;
		}
		cmp = !ha ? 1 : !hb ? -1 : entry_cmp(&ea, &eb);
		if (cmp < 0) {
			rc = emit(w, &ea, NULL);
			ha = raw_next(&ta, &ea);
		} else if (cmp > 0) {
			rc = emit(w, NULL, &eb);
			hb = raw_next(&tb, &eb);
		} else {
			/* Same name and kind (trees sort as "name/"). */
			if (!git_oid_equal(ea.id, eb.id) || ea.mode != eb.mode)
				rc = emit(w, &ea, &eb);
			ha = raw_next(&ta, &ea);
			hb = raw_next(&tb, &eb);
		}
	}
done:
	git_odb_object_free(ta.obj);
	git_odb_object_free(tb.obj);
	return rc;
}

int fm_tree_diff(git_repository *repo, const git_oid *old_tree,
		 const git_oid *new_tree, fm_tree_change_cb cb, void *payload)
{
	struct walk w = {NULL, cb, payload, NULL, 0, 0};
	int rc;

	if ((rc = git_repository_odb(&w.odb, repo)) < 0)
		return rc;
	w.path = calloc(1, 256);
	if (!w.path) {
		git_odb_free(w.odb);
		return GIT_ERROR;
	}
	w.alloc = 256;
	if (old_tree && new_tree && git_oid_equal(old_tree, new_tree))
		rc = 0;
	else
		rc = walk_trees(&w, old_tree, new_tree);
	free(w.path);
	git_odb_free(w.odb);
	return rc;
}

int fm_side_load(git_repository *repo, const git_oid *oid, uint32_t mode,
		 fm_side_data *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	out->data = "";
	if (!mode)
		return 0;
	if (mode == MODE_GITLINK) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), oid);
		out->len = (size_t)snprintf(out->gitlink, sizeof(out->gitlink),
					    "Subproject commit %s\n", hex);
		out->data = out->gitlink;
		return 0;
	}
	rc = git_blob_lookup(&out->blob, repo, oid);
	if (rc < 0)
		return rc;
	out->data = git_blob_rawcontent(out->blob);
	out->len = (size_t)git_blob_rawsize(out->blob);
	if (!out->data) /* an empty blob may have no buffer */
		out->data = "";
	return 0;
}

void fm_side_free(fm_side_data *s)
{
	git_blob_free(s->blob);
	s->blob = NULL;
}

int fm_buffer_is_binary(const char *data, size_t len)
{
	if (!len)
		return 0;
	/* git's fm_buffer_is_binary: a NUL in the first 8000 bytes. */
	return memchr(data, 0, len < 8000 ? len : 8000) != NULL;
}

long fm_count_lines(const char *data, size_t len)
{
	long n = 0;
	const char *p = data, *end = data + len;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	if (len && data[len - 1] != '\n')
		n++;
	return n;
}

/*
 * Blob -> lines, shared by the threads of a census: the oid map behind a
 * mutex. Entries are never removed.
 */
struct fm_line_cache {
	pthread_mutex_t lock;
	fm_oidmap lines;
};

fm_line_cache *fm_line_cache_new(void)
{
	fm_line_cache *lc = calloc(1, sizeof(*lc));

	if (lc) {
		pthread_mutex_init(&lc->lock, NULL);
		fm_oidmap_init(&lc->lines);
	}
	return lc;
}

void fm_line_cache_free(fm_line_cache *lc)
{
	if (!lc)
		return;
	pthread_mutex_destroy(&lc->lock);
	fm_oidmap_clear(&lc->lines);
	free(lc);
}

long fm_blob_lines(git_repository *repo, fm_line_cache *lc, const git_oid *oid,
		   uint32_t mode)
{
	fm_side_data s;
	long n;
	int rc, found;

	if (mode == MODE_GITLINK)
		return 1; /* "Subproject commit <id>" */
	if (lc) {
		uint64_t v;

		pthread_mutex_lock(&lc->lock);
		found = fm_oidmap_get(&lc->lines, oid, &v) == 0;
		pthread_mutex_unlock(&lc->lock);
		if (found)
			return (long)v;
	}
	if ((rc = fm_side_load(repo, oid, mode, &s)) < 0)
		return rc;
	n = fm_buffer_is_binary(s.data, s.len) ? 0
					       : fm_count_lines(s.data, s.len);
	fm_side_free(&s);
	if (lc) {
		/* A count that cannot be kept is counted again: no failure. */
		pthread_mutex_lock(&lc->lock);
		fm_oidmap_put(&lc->lines, oid, (uint64_t)n);
		pthread_mutex_unlock(&lc->lock);
	}
	return n;
}

struct stats {
	git_repository *repo;
	fm_line_cache *lc;
	long files, ins, del;
};

static int stat_change(const fm_tree_change *c, void *payload)
{
	struct stats *st = payload;
	fm_side_data a, b;
	git_patch *patch = NULL;
	git_diff_options opts;
	size_t ctx_lines, adds, dels;
	long n;
	int rc;

	st->files++;
	if (!c->old_mode || !c->new_mode) {
		/* Whole file added or removed: its line count. */
		n = fm_blob_lines(st->repo, st->lc,
				  c->old_mode ? c->old_oid : c->new_oid,
				  c->old_mode ? c->old_mode : c->new_mode);
		if (n < 0)
			return (int)n;
		if (c->old_mode)
			st->del += n;
		else
			st->ins += n;
		return 0;
	}
	if ((rc = fm_side_load(st->repo, c->old_oid, c->old_mode, &a)) < 0)
		return rc;
	if ((rc = fm_side_load(st->repo, c->new_oid, c->new_mode, &b)) < 0) {
		fm_side_free(&a);
		return rc;
	}
	if (!fm_buffer_is_binary(a.data, a.len) &&
	    !fm_buffer_is_binary(b.data, b.len) &&
	    !git_oid_equal(c->old_oid, c->new_oid)) {
		git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
		opts.flags = GIT_DIFF_FORCE_TEXT;
		opts.context_lines = 0;
		rc = git_patch_from_buffers(&patch, a.data, a.len, NULL, b.data,
					    b.len, NULL, &opts);
		if (rc == 0 && (rc = git_patch_line_stats(&ctx_lines, &adds,
							  &dels, patch)) == 0) {
			st->ins += (long)adds;
			st->del += (long)dels;
		}
		git_patch_free(patch);
	}
	fm_side_free(&a);
	fm_side_free(&b);
	return rc;
}

int fm_tree_diff_stats(git_repository *repo, fm_line_cache *lc,
		       const git_oid *old_tree, const git_oid *new_tree,
		       long *files, long *insertions, long *deletions)
{
	struct stats st = {repo, lc, 0, 0, 0};
	int rc = fm_tree_diff(repo, old_tree, new_tree, stat_change, &st);

	*files = st.files;
	*insertions = st.ins;
	*deletions = st.del;
	return rc;
}

int fm_tree_lines(git_repository *repo, fm_line_cache *lc, const git_oid *tree,
		  long *lines)
{
	long files, del;

	return fm_tree_diff_stats(repo, lc, NULL, tree, &files, lines, &del);
}
