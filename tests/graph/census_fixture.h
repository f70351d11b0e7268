#ifndef FM_TEST_CENSUS_FIXTURE_H
#define FM_TEST_CENSUS_FIXTURE_H
/*
 * Censuses built by hand for the graph tests: rows and releases in fixed
 * arrays, strings borrowed from literals (never freed: do not pass to
 * fm_census_free).
 *
 *	fixture fx;
 *	fx_init(&fx, "qemu/qemu", "master");
 *	fx_release(&fx, "v1.0.0", "2020-01-10", 1000000);
 *	fx_row(&fx, "alice/qemu", "v1.0.0", "2021-03-01", 12);
 *	fm_model_build(ctx, &fx.census, &opts, &m);
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <forkmap/census.h>

#define FX_MAX_ROWS 64
#define FX_MAX_RELEASES 16

typedef struct fixture {
	fm_census census;
	fm_row rows[FX_MAX_ROWS];
	fm_release releases[FX_MAX_RELEASES];
} fixture;

/* "YYYY-MM-DD" at noon UTC; NULL or "" gives an unset date. */
static inline fm_date fx_date(const char *ymd)
{
	fm_date d = {0, 0, 0};
	struct tm tm;

	if (!ymd || !ymd[0])
		return d;
	memset(&tm, 0, sizeof(tm));
	if (sscanf(ymd, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return d;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_hour = 12;
	d.time = (int64_t)timegm(&tm);
	d.set = 1;
	return d;
}

static inline void fx_init(fixture *fx, const char *upstream,
			   const char *branch)
{
	memset(fx, 0, sizeof(*fx));
	fx->census.upstream = (char *)upstream;
	fx->census.branch = (char *)branch;
	fx->census.rows = fx->rows;
	fx->census.releases = fx->releases;
}

/* Set the upstream tip: its commit, date and tree lines. */
static inline void fx_tip(fixture *fx, const char *head, const char *date,
			  long tree_lines)
{
	snprintf(fx->census.head, sizeof(fx->census.head), "%s", head);
	fx->census.head_date = fx_date(date);
	fx->census.head_tree_lines = tree_lines;
}

static inline fm_release *fx_release(fixture *fx, const char *tag,
				     const char *date, long tree_lines)
{
	fm_release *r = &fx->releases[fx->census.nreleases++];

	r->tag = (char *)tag;
	r->date = fx_date(date);
	r->tree_lines = tree_lines;
	return r;
}

/*
 * A measured fork based on `release` (also its base tag, dated like the
 * release when there is one), with a last commit on head_date.
 */
static inline fm_row *fx_row(fixture *fx, const char *name, const char *release,
			     const char *head_date, long ahead)
{
	fm_row *r = &fx->rows[fx->census.nrows++];
	size_t i;

	r->name = (char *)name;
	r->branch = (char *)"master";
	r->release = (char *)(release ? release : "");
	r->base_tag = r->release;
	r->ahead = ahead;
	r->unique = ahead / 2;
	r->insertions = ahead * 10;
	r->deletions = ahead * 2;
	r->head_date = fx_date(head_date);
	r->stars = -1;
	for (i = 0; i < fx->census.nreleases; i++)
		if (!strcmp(fx->releases[i].tag, r->release))
			r->base_date = fx->releases[i].date;
	return r;
}

#endif
