/* The tags of a census (see tags.h). */
#include <stdlib.h>
#include <string.h>

#include "measure/tags.h"
#include "repo/repo_internal.h"

struct collect {
	git_repository *git;
	const char *const *describe;
	size_t ndescribe;
	const fm_release_re *release;
	fm_tags *tags;
};

static int tag_cmp_name(const void *a, const void *b)
{
	return strcmp(((const fm_tag *)a)->name, ((const fm_tag *)b)->name);
}

static int collect_tag(const char *name, git_oid *oid, void *payload)
{
	struct collect *c = payload;
	fm_tags *tags = c->tags;
	const char *short_name = name + strlen("refs/tags/");
	git_object *obj = NULL, *commit = NULL;
	fm_tag *t;
	int describe, release;

	describe = fm_glob_any(c->describe, c->ndescribe, short_name);
	release = fm_release_re_match(c->release, short_name);
	if (!describe && !release)
		return 0;
	if (git_object_lookup(&obj, c->git, oid, GIT_OBJECT_ANY) < 0 ||
	    git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		/* A tag of a tree or blob, or a dangling tag: not a base. */
		git_object_free(obj);
		git_error_clear();
		return 0;
	}
	if (tags->count % 64 == 0) {
		fm_tag *items = realloc(tags->items,
					(tags->count + 64) * sizeof(*items));
		if (!items)
			goto fail;
		tags->items = items;
	}
	t = &tags->items[tags->count];
	memset(t, 0, sizeof(*t));
	t->node = FM_DAG_NONE;
	if (!(t->name = strdup(short_name)))
		goto fail;
	git_oid_cpy(&t->commit, git_object_id(commit));
	t->annotated = git_object_type(obj) == GIT_OBJECT_TAG;
	if (t->annotated) {
		const git_signature *who = git_tag_tagger((git_tag *)obj);

		t->tagger_time = who ? who->when.time : 0;
	}
	t->describe = describe;
	t->release = release;
	tags->count++;
	git_object_free(commit);
	git_object_free(obj);
	return 0;
fail:
	git_object_free(commit);
	git_object_free(obj);
	tags->oom = 1;
	return -1;
}

int fm_tags_collect(fm_ctx *ctx, git_repository *git,
		    const char *const *describe, size_t ndescribe,
		    const fm_release_re *release, fm_tags *tags)
{
	struct collect c = {git, describe, ndescribe, release, tags};
	int rc = git_tag_foreach(git, collect_tag, &c);

	if (rc < 0)
		return tags->oom ? fm_error_set(ctx, FM_ENOMEM, "out of memory")
				 : fm_git_error(ctx, FM_EREPO, rc,
						"cannot list tags");
	if (tags->count)
		qsort(tags->items, tags->count, sizeof(*tags->items),
		      tag_cmp_name);
	return 0;
}

static int release_cmp(const void *a, const void *b, void *payload)
{
	const fm_tags *tags = payload;

	return fm_version_cmp(tags->items[*(const size_t *)a].name,
			      tags->items[*(const size_t *)b].name);
}

int fm_tags_index(fm_ctx *ctx, fm_tags *tags, const fm_dag *g)
{
	size_t i;

	tags->name_of = malloc((g->count ? g->count : 1) * sizeof(int32_t));
	tags->release_order =
		malloc((tags->count ? tags->count : 1) * sizeof(size_t));
	if (!tags->name_of || !tags->release_order)
		return fm_error_set(ctx, FM_ENOMEM, "out of memory");
	memset(tags->name_of, 0xff, g->count * sizeof(int32_t));
	tags->nreleases = 0;
	for (i = 0; i < tags->count; i++) {
		fm_tag *t = &tags->items[i];
		int32_t *slot;

		t->node = fm_dag_find(g, &t->commit);
		if (t->release)
			tags->release_order[tags->nreleases++] = i;
		if (!t->describe || t->node == FM_DAG_NONE)
			continue;
		slot = &tags->name_of[t->node];
		if (*slot < 0) {
			*slot = (int32_t)i;
		} else {
			const fm_tag *e = &tags->items[*slot];

			if ((!e->annotated && t->annotated) ||
			    (e->annotated && t->annotated &&
			     e->tagger_time < t->tagger_time))
				*slot = (int32_t)i;
		}
	}
	qsort_r(tags->release_order, tags->nreleases, sizeof(size_t),
		release_cmp, tags);
	return 0;
}

void fm_tags_clear(fm_tags *tags)
{
	size_t i;

	for (i = 0; i < tags->count; i++)
		free(tags->items[i].name);
	free(tags->items);
	free(tags->name_of);
	free(tags->release_order);
	memset(tags, 0, sizeof(*tags));
}
