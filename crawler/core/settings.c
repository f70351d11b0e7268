/* The table behind include/forkmap/settings.h. */
#include <stdint.h>

#include <forkmap/settings.h>

static const fm_setting_info settings[FM_SET_COUNT] = {
	[FM_SET_TOP] = {"--top", "github.top", FM_DEFAULT_TOP, 1, 100000},
	[FM_SET_DEPTH] = {"--depth", "github.depth", FM_DEFAULT_DEPTH, 1, 10},
	[FM_SET_MAX_WAIT] = {"--max-wait", "github.maxWait",
			     FM_DEFAULT_MAX_WAIT, 0, 7 * 86400},
	[FM_SET_CONCURRENCY] = {"--concurrency", "github.concurrency",
				FM_DEFAULT_CONCURRENCY, 1, 16},
	[FM_SET_FETCH_PARALLEL] = {"--fetch-parallel", "fetch.parallel",
				   FM_DEFAULT_FETCH_PARALLEL, 1, 32},
	/* measuring runs on worker processes and threads: past 64 they only
	 * contend for the same pack; 0 is one per core */
	[FM_SET_THREADS] = {"--threads", NULL, 0, 1, 64},
	/* a silent server costs a fork this long, never the census */
	[FM_SET_TIMEOUT] = {"--timeout", "census.timeout", FM_DEFAULT_TIMEOUT,
			    1, 3600},
	[FM_SET_DEADLINE] = {"--deadline", "census.deadline", 0, 1, 7 * 86400},
	[FM_SET_RUN] = {"--run", NULL, 0, 1, INT64_MAX},
	[FM_SET_RENDER_TOP] = {"--top", NULL, 0, 1, 1000000},
	[FM_SET_DPI] = {"--dpi", NULL, FM_DEFAULT_DPI, 10, 2400},
	[FM_SET_SEED] = {"--seed", NULL, FM_DEFAULT_SEED, 1, 2147483647},
	[FM_SET_IDLE_MONTHS] = {"--months", NULL, FM_DEFAULT_IDLE_MONTHS, 0,
				1200},
	[FM_SET_BASE_MONTHS] = {"--base-months", NULL, FM_DEFAULT_BASE_MONTHS,
				0, 1200},
	[FM_SET_QUIET_DAYS] = {"--quiet-days", NULL, FM_DEFAULT_QUIET_DAYS, 1,
			       36500},
	[FM_SET_SHOW_DEPTH] = {"--depth", NULL, FM_DEFAULT_SHOW_DEPTH, 1, 16},
	[FM_SET_SHOW_LIMIT] = {"--limit", NULL, 0, 1, 1000000000},
};

const fm_setting_info *fm_setting_get(fm_setting id)
{
	if ((int)id < 0 || id >= FM_SET_COUNT)
		return NULL;
	return &settings[id];
}

int fm_setting_check(fm_ctx *ctx, fm_setting id, long long v)
{
	const fm_setting_info *s = fm_setting_get(id);

	if (!s)
		return fm_error_set(ctx, FM_EINVAL, "unknown setting %d",
				    (int)id);
	if (v < s->min || v > s->max)
		return fm_error_set(ctx, FM_EINVAL,
				    "%s wants a whole number from %lld to "
				    "%lld, not %lld",
				    s->option, s->min, s->max, v);
	return 0;
}
