/* funcs.h - the functions of the language, one entry each.
 *
 * WISP_FUNCS lists every function once: its id and its name. The parser
 * gives each call node its id (func_find); sema checks a call through its
 * table of checks by id and lower emits it through its table of
 * lowerings by id, so no stage compares names. A new function is a line
 * here, a check and a lowering, and its tests.
 */
#ifndef WISP_FUNCS_H
#define WISP_FUNCS_H

#define WISP_FUNCS(X)                                                     \
	X(PRINTF, "printf") X(STR, "str") X(COUNT, "count") X(SUM, "sum")   \
	X(HIST, "hist") X(QUANTIZE, "quantize") X(EXIT, "exit")             \
	X(AVG, "avg") X(MIN, "min") X(MAX, "max") X(STATS, "stats")         \
	X(LHIST, "lhist") X(PRINT, "print") X(CLEAR, "clear")               \
	X(ZERO, "zero") X(DELETE, "delete") X(HAS_KEY, "has_key")           \
	X(STRNCMP, "strncmp") X(BSWAP, "bswap") X(SIGNAL, "signal")         \
	X(SYSTEM, "system") X(KSYM, "ksym") X(USYM, "usym")                 \
	X(KADDR, "kaddr") X(NTOP, "ntop") X(STRFTIME, "strftime")           \
	X(BUF, "buf") X(TIME, "time") X(JOIN, "join") X(LEN, "len")         \
	X(UADDR, "uaddr")

enum func {
	FN_NONE, /* not a function of the language */
#define WISP_FUNC_ID(id, name) FN_##id,
	WISP_FUNCS(WISP_FUNC_ID)
#undef WISP_FUNC_ID
	FN_END
};

/* The function spelled name, or FN_NONE. */
enum func func_find(const char *name);
/* Its name ("" for FN_NONE). */
const char *func_name(enum func f);
/* Every function's name, for "did you mean": FN_END - 1 of them. */
const char *const *func_names(void);

#endif
