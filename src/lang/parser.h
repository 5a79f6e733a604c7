/* parser.h - hand-written recursive-descent parser for both dialects. */
#ifndef WISP_PARSER_H
#define WISP_PARSER_H

#include "ast.h"

/* Parse the whole source. Returns 0 and fills prog, or -1 after reporting
 * every error found (the parser resynchronises at ';' and '}' so one typo
 * does not hide the next). */
int parse_program(const struct source *src, struct program *prog);

#endif
