/*
 * forkmap.conf, read with libgit2's config parser (git-config syntax,
 * includes and all).
 *
 * Values are applied in file order over the defaults of fm_config_init:
 * a single-valued key given twice keeps the last value, as git does. A
 * multi-valued key (census.local, census.skip, tags.describe) given in the
 * file REPLACES its default list rather than adding to it; an empty value
 * empties the list built so far (`skip =` turns the default skips off).
 * Unknown keys are reported through the log callback and otherwise ignored.
 */
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <git2.h>

#include <forkmap/config.h>
#include <forkmap/settings.h>

int fm_strlist_add(fm_strlist *l, const char *s)
{
	char **items, *copy;

	if (!(copy = strdup(s ? s : "")))
		return FM_ENOMEM;
	items = realloc(l->items, (l->count + 1) * sizeof(*items));
	if (!items) {
		free(copy);
		return FM_ENOMEM;
	}
	l->items = items;
	l->items[l->count++] = copy;
	return 0;
}

void fm_strlist_clear(fm_strlist *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->count; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

static int set_str(char **dst, const char *value)
{
	char *copy = NULL;

	if (value && !(copy = strdup(value)))
		return FM_ENOMEM;
	free(*dst);
	*dst = copy;
	return 0;
}

int fm_config_init(fm_config *cfg)
{
	int err = 0;
	static const char *const skip[] = FM_DEFAULT_SKIP;
	static const char *const describe[] = FM_DEFAULT_DESCRIBE;
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->github = 1;
	cfg->patch_files = 1;
	cfg->top = (int)fm_setting_get(FM_SET_TOP)->def;
	cfg->depth = (int)fm_setting_get(FM_SET_DEPTH)->def;
	cfg->concurrency = (int)fm_setting_get(FM_SET_CONCURRENCY)->def;
	cfg->max_wait = (long)fm_setting_get(FM_SET_MAX_WAIT)->def;
	cfg->fetch_parallel = (int)fm_setting_get(FM_SET_FETCH_PARALLEL)->def;
	cfg->timeout = (long)fm_setting_get(FM_SET_TIMEOUT)->def;
	if (fm_strlist_add(&cfg->local, FM_DEFAULT_LOCAL) < 0)
		err = FM_ENOMEM;
	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (fm_strlist_add(&cfg->skip, skip[i]) < 0)
			err = FM_ENOMEM;
	for (i = 0; i < sizeof(describe) / sizeof(describe[0]); i++)
		if (fm_strlist_add(&cfg->describe, describe[i]) < 0)
			err = FM_ENOMEM;
	if (set_str(&cfg->release, FM_DEFAULT_RELEASE_REGEX) < 0 ||
	    set_str(&cfg->api, FM_DEFAULT_GITHUB_API) < 0 ||
	    set_str(&cfg->branches, FM_DEFAULT_BRANCHES) < 0)
		err = FM_ENOMEM;
	return err;
}

void fm_config_clear(fm_config *cfg)
{
	size_t i;

	if (!cfg)
		return;
	free(cfg->repository);
	free(cfg->upstream);
	fm_strlist_clear(&cfg->mirrors);
	free(cfg->branch);
	fm_strlist_clear(&cfg->local);
	fm_strlist_clear(&cfg->skip);
	fm_strlist_clear(&cfg->describe);
	free(cfg->release);
	free(cfg->db);
	free(cfg->csv);
	free(cfg->json);
	free(cfg->api);
	free(cfg->branches);
	for (i = 0; i < cfg->nforks; i++) {
		free(cfg->forks[i].name);
		free(cfg->forks[i].url);
		free(cfg->forks[i].branch);
	}
	free(cfg->forks);
	memset(cfg, 0, sizeof(*cfg));
}

enum kind {
	K_STR,	 /* any non-empty string */
	K_PATH,	 /* a path: "~/" expanded; empty means unset */
	K_MULTI, /* appended to a list that the file's first value resets */
	K_BOOL,
	K_INT, /* with git's k/m/g suffixes, within [min, max] */
	K_LONG,
	K_REGEX,
};

struct key {
	const char *name; /* as documented; matched case-insensitively */
	enum kind kind;
	size_t off; /* of the field in fm_config */
	fm_setting
		setting; /* K_INT, K_LONG: the limits of the settings table */
};

#define F(field) offsetof(fm_config, field)
static const struct key keys[] = {
	{"census.repository", K_PATH, F(repository), 0},
	{"census.local", K_MULTI, F(local), 0},
	{"census.skip", K_MULTI, F(skip), 0},
	{"census.keepEmpty", K_BOOL, F(keep_empty), 0},
	{"census.patchFiles", K_BOOL, F(patch_files), 0},
	{"upstream.name", K_STR, F(upstream), 0},
	{"upstream.mirror", K_MULTI, F(mirrors), 0},
	{"upstream.branch", K_STR, F(branch), 0},
	{"tags.describe", K_MULTI, F(describe), 0},
	{"tags.release", K_REGEX, F(release), 0},
	{"store.path", K_PATH, F(db), 0},
	{"output.csv", K_PATH, F(csv), 0},
	{"output.json", K_PATH, F(json), 0},
	{"github.enabled", K_BOOL, F(github), 0},
	{"github.api", K_STR, F(api), 0},
	{"github.top", K_INT, F(top), FM_SET_TOP},
	{"github.depth", K_INT, F(depth), FM_SET_DEPTH},
	{"github.branches", K_STR, F(branches), 0},
	{"github.concurrency", K_INT, F(concurrency), FM_SET_CONCURRENCY},
	{"github.maxWait", K_LONG, F(max_wait), FM_SET_MAX_WAIT},
	{"fetch.parallel", K_INT, F(fetch_parallel), FM_SET_FETCH_PARALLEL},
	{"census.timeout", K_LONG, F(timeout), FM_SET_TIMEOUT},
	{"census.deadline", K_LONG, F(deadline), FM_SET_DEADLINE},
};
#undef F
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

struct loader {
	fm_ctx *ctx;
	const char *path;
	fm_config *cfg;
	unsigned char replaced[NKEYS]; /* multivar default already dropped */
};

static int nomem(struct loader *l)
{
	return fm_error_set(l->ctx, FM_ENOMEM, "out of memory");
}

static int bad_value(struct loader *l, const char *key, const char *why,
		     const char *value)
{
	if (value)
		return fm_error_set(l->ctx, FM_ECONFIG, "%s: %s: %s '%s'",
				    l->path, key, why, value);
	return fm_error_set(l->ctx, FM_ECONFIG, "%s: %s: %s", l->path, key,
			    why);
}

static int apply_path(struct loader *l, const struct key *k, char **dst,
		      const char *value)
{
	git_buf buf = GIT_BUF_INIT;
	int err;

	if (!*value)
		return set_str(dst, NULL);
	if (git_config_parse_path(&buf, value) < 0) {
		const git_error *e = git_error_last();

		err = bad_value(l, k->name, e ? e->message : "bad path", NULL);
		git_error_clear();
		return err;
	}
	err = set_str(dst, buf.ptr) < 0 ? nomem(l) : 0;
	git_buf_dispose(&buf);
	return err;
}

static int apply_int(struct loader *l, const struct key *k, void *field,
		     const char *value)
{
	const fm_setting_info *s = fm_setting_get(k->setting);
	int64_t v;

	if (!value || git_config_parse_int64(&v, value) < 0) {
		git_error_clear();
		return bad_value(l, k->name, "not an integer",
				 value ? value : "");
	}
	if (v < s->min || v > s->max)
		return fm_error_set(l->ctx, FM_ECONFIG,
				    "%s: %s: must be between %lld and %lld, "
				    "not %s",
				    l->path, k->name, s->min, s->max, value);
	if (k->kind == K_INT)
		*(int *)field = (int)v;
	else
		*(long *)field = (long)v;
	return 0;
}

static int apply_key(struct loader *l, size_t ki, const char *value)
{
	const struct key *k = &keys[ki];
	void *field = (char *)l->cfg + k->off;
	fm_strlist *list = field;
	regex_t re;
	char msg[256];
	int b, rc;

	/* "[section] key" with no "=": only booleans may say that */
	if (!value && k->kind != K_BOOL)
		return bad_value(l, k->name, "missing value", NULL);
	switch (k->kind) {
	case K_STR:
		if (!*value)
			return bad_value(l, k->name, "empty value", NULL);
		return set_str(field, value) < 0 ? nomem(l) : 0;
	case K_PATH:
		return apply_path(l, k, field, value);
	case K_MULTI:
		if (!l->replaced[ki] || !*value) {
			fm_strlist_clear(list);
			l->replaced[ki] = 1;
		}
		if (*value && fm_strlist_add(list, value) < 0)
			return nomem(l);
		return 0;
	case K_BOOL:
		if (git_config_parse_bool(&b, value) < 0) {
			git_error_clear();
			return bad_value(l, k->name, "not a boolean", value);
		}
		*(int *)field = b;
		return 0;
	case K_INT:
	case K_LONG:
		return apply_int(l, k, field, value);
	case K_REGEX:
		if (!*value)
			return bad_value(l, k->name, "empty value", NULL);
		if ((rc = regcomp(&re, value, REG_EXTENDED | REG_NOSUB)) != 0) {
			regerror(rc, &re, msg, sizeof(msg));
			return fm_error_set(l->ctx, FM_ECONFIG,
					    "%s: %s: bad release regex '%s': "
					    "%s",
					    l->path, k->name, value, msg);
		}
		regfree(&re);
		return set_str(field, value) < 0 ? nomem(l) : 0;
	}
	return 0;
}

static fm_config_fork *find_fork(struct loader *l, const char *name, size_t len)
{
	fm_config *cfg = l->cfg;
	fm_config_fork *forks, *f;
	size_t i;

	for (i = 0; i < cfg->nforks; i++)
		if (strlen(cfg->forks[i].name) == len &&
		    memcmp(cfg->forks[i].name, name, len) == 0)
			return &cfg->forks[i];
	forks = realloc(cfg->forks, (cfg->nforks + 1) * sizeof(*forks));
	if (!forks)
		return NULL;
	cfg->forks = forks;
	f = &forks[cfg->nforks];
	memset(f, 0, sizeof(*f));
	if (!(f->name = strndup(name, len)))
		return NULL;
	cfg->nforks++;
	return f;
}

/* fork.NAME.url / fork.NAME.branch; NAME may itself contain dots. */
static int apply_fork(struct loader *l, const char *name, const char *value)
{
	const char *sub = name + strlen("fork.");
	const char *var = strrchr(name, '.') + 1;
	fm_config_fork *f;
	char **dst;

	if (var - 1 <= sub) { /* "fork.url": no fork name */
		fm_log(l->ctx, FM_LOG_WARN, "%s: %s: unknown key", l->path,
		       name);
		return 0;
	}
	if (strcasecmp(var, "url") != 0 && strcasecmp(var, "branch") != 0) {
		fm_log(l->ctx, FM_LOG_WARN, "%s: %s: unknown key", l->path,
		       name);
		return 0;
	}
	if (!(f = find_fork(l, sub, (size_t)(var - 1 - sub))))
		return nomem(l);
	dst = strcasecmp(var, "url") == 0 ? &f->url : &f->branch;
	if (!value || !*value)
		return fm_error_set(l->ctx, FM_ECONFIG, "%s: fork.%s.%s: %s",
				    l->path, f->name, var,
				    value ? "empty value" : "missing value");
	return set_str(dst, value) < 0 ? nomem(l) : 0;
}

static int apply_entry(struct loader *l, const git_config_entry *e)
{
	size_t i;

	if (strncasecmp(e->name, "fork.", 5) == 0)
		return apply_fork(l, e->name, e->value);
	for (i = 0; i < NKEYS; i++)
		if (strcasecmp(e->name, keys[i].name) == 0)
			return apply_key(l, i, e->value);
	fm_log(l->ctx, FM_LOG_WARN, "%s: %s: unknown key", l->path, e->name);
	return 0;
}

static int finish_forks(struct loader *l)
{
	size_t i;

	for (i = 0; i < l->cfg->nforks; i++) {
		fm_config_fork *f = &l->cfg->forks[i];

		if (!f->url)
			return fm_error_set(l->ctx, FM_ECONFIG,
					    "%s: fork.%s.url: missing", l->path,
					    f->name);
		if (!f->branch && set_str(&f->branch, "master") < 0)
			return nomem(l);
	}
	return 0;
}

/*
 * On failure cfg may hold some of the file's values; it stays valid for
 * fm_config_clear.
 */
int fm_config_load(fm_ctx *ctx, const char *path, fm_config *cfg)
{
	struct loader l;
	git_config *gc = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	struct stat st;
	int rc, err = 0;

	memset(&l, 0, sizeof(l));
	l.ctx = ctx;
	l.path = path;
	l.cfg = cfg;
	if (stat(path, &st) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return fm_error_set(ctx, FM_ENOTFOUND,
					    "%s: no such file", path);
		return fm_error_set(ctx, FM_EIO, "%s: %s", path,
				    strerror(errno));
	}
	if (S_ISDIR(st.st_mode))
		return fm_error_set(ctx, FM_ECONFIG, "%s: is a directory",
				    path);
	/* refcounted: safe whether or not the caller initialised libgit2 */
	if (git_libgit2_init() < 0)
		return fm_error_set(ctx, FM_ECONFIG, "%s: cannot init libgit2",
				    path);
	if (git_config_open_ondisk(&gc, path) < 0 ||
	    git_config_iterator_new(&it, gc) < 0) {
		const git_error *ge = git_error_last();

		err = fm_error_set(ctx, FM_ECONFIG, "%s: %s", path,
				   ge && ge->message ? ge->message
						     : "cannot read");
		goto done;
	}
	while ((rc = git_config_next(&e, it)) == 0)
		if ((err = apply_entry(&l, e)) < 0)
			goto done;
	if (rc != GIT_ITEROVER) {
		const git_error *ge = git_error_last();

		err = fm_error_set(ctx, FM_ECONFIG, "%s: %s", path,
				   ge && ge->message ? ge->message
						     : "cannot read");
		goto done;
	}
	err = finish_forks(&l);
done:
	git_error_clear();
	git_config_iterator_free(it);
	git_config_free(gc);
	git_libgit2_shutdown();
	return err;
}
