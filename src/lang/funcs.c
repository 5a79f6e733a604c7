/* funcs.c - the names of the language's functions (funcs.h). */
#include <string.h>
#include "funcs.h"

static const char *const names[] = {
#define WISP_FUNC_NAME(id, name) name,
	WISP_FUNCS(WISP_FUNC_NAME)
#undef WISP_FUNC_NAME
};

enum func func_find(const char *name)
{
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i], name))
			return (enum func)(i + 1);
	return FN_NONE;
}

const char *func_name(enum func f)
{
	return f > FN_NONE && f < FN_END ? names[f - 1] : "";
}

const char *const *func_names(void)
{
	return names;
}
