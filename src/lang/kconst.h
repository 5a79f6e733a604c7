/* kconst.h - the kernel's #define constants that tracing programs use
 * by name: BTF has enums, not macros, and wisp reads no headers. */
#ifndef WISP_KCONST_H
#define WISP_KCONST_H

#include <stdbool.h>
#include <stdint.h>

/* The value of the kernel macro name (TASK_RUNNING, AF_INET, ...). */
bool kconst_lookup(const char *name, int64_t *value);

#endif
