/* forkmap render: placeholder until the graph module lands. */
#include <stdio.h>
#include "cli.h"

int cmd_render(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "error: render is not built yet\n");
	return EXIT_FAILURE_OTHER;
}
