/* Lean tree comparison (see treediff.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
