/*
 * fm_forge_upstream_parse: how an upstream is named on the command line
 * and in forkmap.conf (OWNER/REPO, a forge prefix, a web URL) becomes a
 * forge, an API and a repository name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <forkmap/forge.h>

static void expect(const char *spec, fm_forge_kind kind, const char *name,
		   const char *api)
{
	fm_forge_upstream u;
	fm_ctx *ctx;

	assert_int_equal(fm_ctx_new(&ctx), 0);
	if (fm_forge_upstream_parse(ctx, spec, &u) != 0)
		fail_msg("%s: %s", spec, fm_ctx_errmsg(ctx));
	assert_int_equal(u.kind, kind);
	assert_string_equal(u.name, name);
	if (api)
		assert_string_equal(u.api, api);
	else
		assert_null(u.api);
	fm_forge_upstream_clear(&u);
	fm_ctx_free(ctx);
}

static void refused(const char *spec, const char *why)
{
	fm_forge_upstream u;
	fm_ctx *ctx;

	assert_int_equal(fm_ctx_new(&ctx), 0);
	assert_int_equal(fm_forge_upstream_parse(ctx, spec, &u), FM_EINVAL);
	if (!strstr(fm_ctx_errmsg(ctx), why))
		fail_msg("%s: '%s' does not say '%s'", spec, fm_ctx_errmsg(ctx),
			 why);
	assert_null(u.name);
	fm_ctx_free(ctx);
}

static void test_owner_repo_is_github(void **state)
{
	(void)state;
	expect("redis/redis", FM_FORGE_GITHUB, "redis/redis", NULL);
	expect("github:redis/redis", FM_FORGE_GITHUB, "redis/redis", NULL);
}

static void test_prefixes_name_the_public_instances(void **state)
{
	(void)state;
	expect("gitlab:qemu-project/qemu", FM_FORGE_GITLAB, "qemu-project/qemu",
	       NULL);
	expect("gitlab:gnome/sub/group/app", FM_FORGE_GITLAB,
	       "gnome/sub/group/app", NULL);
	expect("forgejo:forgejo/forgejo", FM_FORGE_FORGEJO, "forgejo/forgejo",
	       NULL);
	expect("gitea:o/r", FM_FORGE_FORGEJO, "o/r", NULL);
}

static void test_web_urls_say_the_forge_by_host(void **state)
{
	(void)state;
	expect("https://gitlab.com/qemu-project/qemu", FM_FORGE_GITLAB,
	       "qemu-project/qemu", NULL);
	expect("https://gitlab.com/qemu-project/qemu.git/", FM_FORGE_GITLAB,
	       "qemu-project/qemu", NULL);
	expect("https://gitlab.com/qemu-project/qemu/-/tree/master",
	       FM_FORGE_GITLAB, "qemu-project/qemu", NULL);
	expect("https://codeberg.org/forgejo/forgejo", FM_FORGE_FORGEJO,
	       "forgejo/forgejo", NULL);
	expect("https://github.com/redis/redis", FM_FORGE_GITHUB, "redis/redis",
	       NULL);
	expect("https://gitlab.freedesktop.org/mesa/mesa", FM_FORGE_GITLAB,
	       "mesa/mesa", "https://gitlab.freedesktop.org/api/v4");
	expect("https://gitea.example.org:3000/o/r", FM_FORGE_FORGEJO, "o/r",
	       "https://gitea.example.org:3000/api/v1");
}

static void test_a_prefixed_url_is_a_self_managed_instance(void **state)
{
	(void)state;
	expect("gitlab:https://git.example.org/g/p", FM_FORGE_GITLAB, "g/p",
	       "https://git.example.org/api/v4");
	expect("forgejo:http://127.0.0.1:8080/o/r", FM_FORGE_FORGEJO, "o/r",
	       "http://127.0.0.1:8080/api/v1");
	expect("github:https://ghe.example.org/o/r", FM_FORGE_GITHUB, "o/r",
	       "https://ghe.example.org/api/v3");
}

static void test_what_names_no_repository_is_refused(void **state)
{
	(void)state;
	refused("", "empty");
	refused("redis", "OWNER/REPO");
	refused("github:a/b/c", "OWNER/REPO");
	refused("gitlab:../x", "GROUP");
	refused("https://git.example.org/o/r", "prefix it");
	refused("https://user:secret@gitlab.com/g/p", "password");
	refused("https://gitlab.com/", "GROUP");
	refused("https://gitlab.com", "no repository path");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owner_repo_is_github),
		cmocka_unit_test(test_prefixes_name_the_public_instances),
		cmocka_unit_test(test_web_urls_say_the_forge_by_host),
		cmocka_unit_test(
			test_a_prefixed_url_is_a_self_managed_instance),
		cmocka_unit_test(test_what_names_no_repository_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
