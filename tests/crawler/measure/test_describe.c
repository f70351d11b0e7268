/*
 * crawler/measure/describe.c and tags.c: base_tag is the tag
 * `git describe --tags --abbrev=0 --match P... <commit>` prints, for every
 * commit of a fixture with lightweight and annotated tags, tags that do
 * not match, two tags on one commit, and merges whose sides carry tags at
 * different depths and dates (where git's candidate order decides).
 */
#include "gitfix.h"

#include <forkmap/common.h>
#include <forkmap/util.h>

#include "measure/dag.h"
#include "measure/describe.h"
#include "measure/tags.h"

static const char *const globs[] = {"v[0-9]*", "[0-9]*"};

static void tag(const char *name, int annotated)
{
	gitfix_tick();
	if (annotated)
		gitfix_sh("git tag -a -m %s %s", name, name);
	else
		gitfix_sh("git tag %s", name);
}

static int group_setup(void **state)
{
	(void)state;
	if (gitfix_init("describe") < 0)
		return -1;
	gitfix_commit("c1");
	tag("v0.9", 0);
	gitfix_commit("c2");
	tag("v1.0", 1);
	gitfix_sh("git branch side && git branch old");
	gitfix_commit("c3");
	tag("foo", 1); /* matches no pattern */
	gitfix_commit("c4");
	tag("v1.1", 0);
	/* side: an annotated tag newer than main's, deeper in the merge. */
	gitfix_sh("git checkout -q side");
	gitfix_commit("s1");
	gitfix_commit("s2");
	tag("v1.0.1", 1);
	gitfix_commit("s3");
	/* old: a long branch with an old lightweight tag. */
	gitfix_sh("git checkout -q old");
	gitfix_commit("o1");
	tag("2.0-rc", 0);
	gitfix_commit("o2");
	gitfix_commit("o3");
	gitfix_sh("git checkout -q main");
	gitfix_tick();
	gitfix_sh("git merge -q --no-ff -m m1 side");
	gitfix_commit("c5");
	/* Two tags on one commit: annotated beats lightweight, the newer
	 * tagger date between annotated ones. */
	tag("v2.0", 0);
	tag("v2.0.0", 1);
	tag("v2.0.0a", 1);
	gitfix_commit("c6");
	gitfix_tick();
	gitfix_sh("git merge -q --no-ff -m m2 old");
	gitfix_commit("c7");
	gitfix_sh("git checkout -q -b late v1.0");
	gitfix_commit("l1");
	gitfix_tick();
	gitfix_sh("git merge -q --no-ff -m m3 main");
	gitfix_commit("l2");
	tag("nomatch-v9", 0);
	gitfix_commit("l3");
	gitfix_sh("git checkout -q --orphan bare && git commit -q "
		  "--allow-empty -m untagged && git checkout -q main");
	return 0;
}

struct fx {
	fm_ctx *ctx;
	git_repository *repo;
	fm_release_re *re;
	fm_tags tags;
	fm_dag g;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx || fm_ctx_new(&fx->ctx) < 0)
		return -1;
	fx->repo = gitfix_open();
	fm_dag_init(&fx->g);
	if (fm_release_re_new(fx->ctx, "^v?[0-9]+\\.[0-9]+\\.[0-9]+$",
			      &fx->re) < 0 ||
	    fm_tags_collect(fx->ctx, fx->repo, globs, 2, fx->re, &fx->tags) < 0)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	fm_tags_clear(&fx->tags);
	fm_release_re_free(fx->re);
	fm_dag_clear(&fx->g);
	git_repository_free(fx->repo);
	fm_ctx_free(fx->ctx);
	free(fx);
	return 0;
}

static void test_base_tag_equals_git_describe(void **state)
{
	struct fx *fx = *state;
	char list[16384], *line, *save = NULL;
	git_oid roots[256];
	uint32_t nodes[256];
	size_t n = 0, i, tagged = 0;
	fm_describe d;

	assert_int_equal(fx->tags.count, 8); /* not foo, not nomatch-v9 */
	gitfix_out(list, sizeof(list), "git rev-list --all");
	for (line = strtok_r(list, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		assert_true(n < 256);
		assert_int_equal(git_oid_fromstr(&roots[n++], line), 0);
	}
	assert_int_equal(
		fm_dag_load(fx->ctx, &fx->g, fx->repo, roots, n, nodes), 0);
	assert_int_equal(fm_tags_index(fx->ctx, &fx->tags, &fx->g), 0);
	assert_int_equal(fm_describe_init(&d, &fx->g, &fx->tags), 0);
	for (i = 0; i < n; i++) {
		char hex[GIT_OID_HEXSZ + 1], want[128];
		int32_t t;

		git_oid_tostr(hex, sizeof(hex), &roots[i]);
		gitfix_out(want, sizeof(want),
			   "git describe --tags --abbrev=0 --match 'v[0-9]*' "
			   "--match '[0-9]*' %s 2>/dev/null || true",
			   hex);
		assert_int_equal(fm_describe_commit(&d, nodes[i], &t), 0);
		if (t < 0)
			assert_string_equal("", want);
		else
			assert_string_equal(fx->tags.items[t].name, want);
		tagged += t >= 0;
	}
	/* Every commit but the orphan has a base; flags are left clean. */
	assert_int_equal(tagged, n - 1);
	for (i = 0; i < fx->g.count; i++)
		assert_int_equal(d.flags[i], 0);
	fm_describe_clear(&d);
}

static void test_release_order_is_version_order(void **state)
{
	struct fx *fx = *state;
	const char *want[] = {"v1.0.1", "v2.0.0"};
	git_oid root;
	uint32_t node;
	size_t i;

	gitfix_oid(&root, "main");
	assert_int_equal(
		fm_dag_load(fx->ctx, &fx->g, fx->repo, &root, 1, &node), 0);
	assert_int_equal(fm_tags_index(fx->ctx, &fx->tags, &fx->g), 0);
	assert_int_equal(fx->tags.nreleases, 2);
	for (i = 0; i < 2; i++)
		assert_string_equal(
			fx->tags.items[fx->tags.release_order[i]].name,
			want[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_base_tag_equals_git_describe, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_release_order_is_version_order, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, gitfix_teardown);
}
