/* kbtf.h - what the fentry/fexit and rawtracepoint providers need of the
 * kernel's BTF besides the reader (sys/btf.h): the modules that have
 * BTF, a module's BTF object for attach_btf_obj_fd, and a function
 * prototype laid out as the u64 array of arguments a tracing program's
 * context is.
 */
#ifndef WISP_KBTF_H
#define WISP_KBTF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct btf;
struct ctype;

/* The running kernel's BTF, or NULL with why not (a phrase: "this kernel
 * has no BTF (/sys/kernel/btf/vmlinux; CONFIG_DEBUG_INFO_BTF)") in *why. */
struct btf *kbtf_kernel(const char **why);

/* The names of the kernel modules with BTF (/sys/kernel/btf/NAME but
 * vmlinux), sorted; none for a described kernel. Returns 0, or -1 when
 * the directory cannot be read (*names NULL, *n 0). */
int kbtf_modules(char ***names, size_t *n);
void kbtf_free_names(char **names, size_t n);
/* btf_module(name), but none for a described kernel (provider_btf_file). */
struct btf *kbtf_module(const char *name);

/* An fd of module's BTF object in the kernel (attach_btf_obj_fd), found
 * once by walking the BTF ids; kept open for the run. -1 with errno
 * (ENOENT: no such module BTF) otherwise. */
int kbtf_module_fd(const char *module);

/* The members (parameters) of proto, a CT_FUNC, from skip on, as a
 * struct named name whose member i sits at the offset of its u64 slots
 * (8 bytes a slot; a struct passed by value takes as many as its size
 * needs). Parameters without a name are named by names_from's (another
 * prototype of the same parameters: a rawtracepoint's) or "argN".
 * *nslots receives the slots used (fexit's return value is the next
 * one); offs, if not NULL, the offsets (malloc'd, one a member). NULL
 * when out of memory. (A variadic function's "..." is not among the
 * members: the reader leaves it out.) */
struct ctype *kbtf_args_struct(const struct ctype *proto, unsigned skip,
			       const struct ctype *names_from, const char *name,
			       unsigned *nslots, unsigned **offs);

/* Do the parameters of a from skip_a on have the types of b's from
 * skip_b on? */
bool kbtf_same_params(const struct ctype *a, unsigned skip_a,
		      const struct ctype *b, unsigned skip_b);

/* -lv: the members of args, one a line as "    TYPE NAME", and ret (a
 * return type; NULL or void: none) as "    TYPE retval". */
void kbtf_print_args(const struct ctype *args, const struct ctype *ret,
		     FILE *out);

#endif
