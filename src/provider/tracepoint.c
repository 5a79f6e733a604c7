/* tracepoint.c - the tracepoint provider: "tracepoint:CAT:EVENT", alias
 * "t", and ply's "tracepoint:CAT/EVENT".
 *
 * Resolving reads the event's format file in tracefs into fields, which
 * are what args->NAME reads straight from the context; attaching opens
 * the tracepoint as a perf event and hangs the program on it.
 *
 * Format files are kernel-generated text with many odd corners (typedefs,
 * arrays of structs, __data_loc of non-chars, sizes that disagree with
 * the written type in syscalls:*). The parser trusts offset/size/signed,
 * uses the type text only to tell pointers, strings and arrays apart, and
 * skips whatever it cannot read rather than asserting like ply did.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "provider.h"
#include "../sys/fs.h"

struct tracepoint_priv {
	unsigned long long id; /* perf_event_attr.config */
};

/* ---- format files ---- */

static bool tracepoint_word_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncmp(s, word, len) == 0;
}

/* Is the type text s[0..len) plain char, give or take qualifiers? "u8"
 * and "unsigned char" are bytes, not text, so they are not. */
static bool tracepoint_is_char(const char *s, size_t len)
{
	const char *end = s + len;
	int chars = 0;

	while (s < end) {
		const char *w;

		while (s < end && isspace((unsigned char)*s))
			s++;
		w = s;
		while (s < end && !isspace((unsigned char)*s))
			s++;
		if (s == w)
			break;
		if (tracepoint_word_is(w, s - w, "const") ||
		    tracepoint_word_is(w, s - w, "volatile"))
			continue;
		if (!tracepoint_word_is(w, s - w, "char"))
			return false;
		chars++;
	}
	return chars == 1;
}

static bool tracepoint_is_ident(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Drop trailing blanks and trailing qualifiers ("char * const"), so that
 * the last character tells whether the type is a pointer. */
static size_t tracepoint_type_len(const char *s, size_t len)
{
	for (;;) {
		size_t w;

		while (len && isspace((unsigned char)s[len - 1]))
			len--;
		w = len;
		while (w && tracepoint_is_ident(s[w - 1]))
			w--;
		if (w == 0 || (s[w - 1] != '*' && !isspace((unsigned char)s[w - 1])))
			return len;
		if (!tracepoint_word_is(s + w, len - w, "const") &&
		    !tracepoint_word_is(s + w, len - w, "volatile"))
			return len;
		len = w;
	}
}

/* "offset:24;" anywhere in the attributes of a field line. */
static bool tracepoint_attr(const char *attrs, const char *key,
			    unsigned *val)
{
	const char *p = strstr(attrs, key);
	unsigned long v;
	char *end;

	if (!p)
		return false;
	p += strlen(key);
	errno = 0;
	v = strtoul(p, &end, 10);
	if (end == p || errno || v > UINT_MAX || (*end && *end != ';'))
		return false;
	*val = v;
	return true;
}

static void tracepoint_classify(struct field *f, const char *type,
				size_t tlen, bool array, bool user_ptrs)
{
	static const char dataloc[] = "__data_loc";
	size_t dl = sizeof(dataloc) - 1;

	f->kind = FIELD_ARRAY;
	f->as = AS_KERNEL;

	if (tlen > dl && strncmp(type, dataloc, dl) == 0 &&
	    isspace((unsigned char)type[dl])) {
		const char *base = type + dl;
		size_t blen = tlen - dl;

		/* __data_loc of anything but char (u64[], ...) is an array
		 * whose length the program could not know: not readable. */
		if (blen >= 2 && strncmp(base + blen - 2, "[]", 2) == 0)
			blen -= 2;
		if (f->size == 4 && tracepoint_is_char(base, blen))
			f->kind = FIELD_DATALOC;
		return;
	}
	if (array) {
		if (f->size > 0 && tracepoint_is_char(type, tlen))
			f->kind = FIELD_CHARS;
		return;
	}
	/* "__rel_loc char[]" and other variable-length forms. */
	if (tlen >= 2 && type[tlen - 1] == ']')
		return;
	if (tlen && type[tlen - 1] == '*') {
		size_t plen = tracepoint_type_len(type, tlen - 1);

		if (f->size != 4 && f->size != 8)
			return;
		f->kind = FIELD_PTR;
		f->is_str = !memchr(type, '*', plen) &&
			    tracepoint_is_char(type, plen);
		f->as = user_ptrs ? AS_USER : AS_KERNEL;
		return;
	}
	/* A struct or union by value has no integer to read. */
	if (strncmp(type, "struct ", 7) == 0 || strncmp(type, "union ", 6) == 0)
		return;
	if (f->size == 1 || f->size == 2 || f->size == 4 || f->size == 8)
		f->kind = FIELD_INT;
}

/* One "\tfield:TYPE NAME[N];\toffset:O;\tsize:S;\tsigned:0|1;" line (line
 * is modified). Returns the new field, or NULL with *nomem telling
 * whether the line was skipped or memory ran out. */
static struct field *tracepoint_parse_line(char *line, bool user_ptrs,
					   bool *nomem)
{
	char *decl, *end, *semi, *name, *suffix = "";
	unsigned offset, size, sign = 0;
	size_t tlen, slen = 0;
	bool array = false;
	struct field *f;

	*nomem = false;
	while (isspace((unsigned char)*line))
		line++;
	if (strncmp(line, "field:", 6) != 0)
		return NULL;
	decl = line + 6;
	semi = strchr(decl, ';');
	if (!semi)
		return NULL;
	*semi = '\0';
	if (!tracepoint_attr(semi + 1, "offset:", &offset) ||
	    !tracepoint_attr(semi + 1, "size:", &size))
		return NULL;
	/* "signed:" only appeared in 2.6.32; missing means unsigned. */
	tracepoint_attr(semi + 1, "signed:", &sign);

	while (isspace((unsigned char)*decl))
		decl++;
	end = semi;
	while (end > decl && isspace((unsigned char)end[-1]))
		end--;
	if (end > decl && end[-1] == ']') {
		char *lb = end - 1;

		while (lb > decl && *lb != '[')
			lb--;
		if (*lb != '[')
			return NULL;
		array = true;
		suffix = lb;
		slen = end - lb;
		end = lb;
		while (end > decl && isspace((unsigned char)end[-1]))
			end--;
	}
	name = end;
	while (name > decl && tracepoint_is_ident(name[-1]))
		name--;
	if (name == end || isdigit((unsigned char)*name))
		return NULL;
	tlen = name - decl;
	while (tlen && isspace((unsigned char)decl[tlen - 1]))
		tlen--;
	if (!tlen)
		return NULL;

	f = calloc(1, sizeof(*f));
	if (!f)
		goto nomem;
	f->name = strndup(name, end - name);
	f->ctype = malloc(tlen + slen + 1);
	if (!f->name || !f->ctype)
		goto nomem;
	/* The C type as written, with the array bound: "char[16]". */
	memcpy(f->ctype, decl, tlen);
	memcpy(f->ctype + tlen, suffix, slen);
	f->ctype[tlen + slen] = '\0';
	f->offset = offset;
	f->size = size;
	f->is_signed = sign != 0;
	tracepoint_classify(f, decl, tracepoint_type_len(decl, tlen), array,
			    user_ptrs);
	return f;
nomem:
	provider_fields_free(f);
	*nomem = true;
	return NULL;
}

int tracepoint_parse_format(const char *text, bool user_ptrs,
			    struct field **fields)
{
	struct field **tail = fields;
	char *buf = strdup(text), *line, *next;
	int n = 0;

	if (!buf)
		return -1;
	while (*tail)
		tail = &(*tail)->next;
	for (line = buf; line && *line; line = next) {
		struct field *f;
		bool nomem;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		f = tracepoint_parse_line(line, user_ptrs, &nomem);
		if (nomem) {
			free(buf);
			return -1;
		}
		if (!f)
			continue;
		*tail = f;
		tail = &f->next;
		n++;
	}
	free(buf);
	return n;
}

/* ---- tracefs lookups ---- */


static void tracepoint_free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The subdirectories of dir (categories, or the events of one). */
static int tracepoint_list_dirs(const char *dir, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t cap = 0;

	*names = NULL;
	*n = 0;
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		bool is_dir = de->d_type == DT_DIR;

		if (de->d_name[0] == '.')
			continue;
		if (de->d_type == DT_UNKNOWN) {
			char path[PATH_MAX];
			struct stat st;

			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
		}
		if (!is_dir)
			continue;
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			char **nn = realloc(*names, ncap * sizeof(*nn));

			if (!nn)
				break;
			*names = nn;
			cap = ncap;
		}
		(*names)[*n] = strdup(de->d_name);
		if ((*names)[*n])
			(*n)++;
	}
	closedir(d);
	return 0;
}

static bool tracepoint_exists(const char *tfs, const char *cat,
			      const char *event)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/events/%s/%s/format", tfs, cat, event);
	return stat(path, &st) == 0;
}

/* Report a missing event with a guess: a nearby event of the category,
 * or a nearby category when the category itself is the typo. */
static void tracepoint_not_found(const char *tfs, const char *cat,
				 const char *event, struct loc loc)
{
	char path[PATH_MAX];
	const char *best;
	char **names;
	size_t n;

	snprintf(path, sizeof(path), "%s/events/%s", tfs, cat);
	if (tracepoint_list_dirs(path, &names, &n) == 0) {
		best = diag_closest(event, (const char *const *)names, n);
		if (best)
			diag_error(loc,
				   "tracepoint '%s:%s' not found; did you mean '%s:%s'?",
				   cat, event, cat, best);
		else
			diag_error(loc, "tracepoint '%s:%s' not found", cat,
				   event);
		tracepoint_free_names(names, n);
		return;
	}

	snprintf(path, sizeof(path), "%s/events", tfs);
	tracepoint_list_dirs(path, &names, &n);
	best = diag_closest(cat, (const char *const *)names, n);
	if (best && tracepoint_exists(tfs, best, event))
		diag_error(loc,
			   "tracepoint '%s:%s' not found: no category '%s'; did you mean '%s:%s'?",
			   cat, event, cat, best, event);
	else if (best)
		diag_error(loc,
			   "tracepoint '%s:%s' not found: no category '%s'; did you mean '%s'?",
			   cat, event, cat, best);
	else
		diag_error(loc,
			   "tracepoint '%s:%s' not found: no category '%s'",
			   cat, event, cat);
	tracepoint_free_names(names, n);
}

/* Names become path components: refuse anything that could climb out
 * of events/ or name a file rather than a directory entry. */
static bool tracepoint_name_ok(const char *s, size_t len)
{
	if (!len || s[0] == '.')
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '/' || s[i] == ':' || isspace((unsigned char)s[i]))
			return false;
	return true;
}

/* ---- matching wildcards ---- */

/* One category and event, as found under events/. */
struct tracepoint_name {
	char *cat, *event;
};

struct tracepoint_names {
	struct tracepoint_name *v;
	size_t n, cap;
};

static void tracepoint_names_free(struct tracepoint_names *tn)
{
	for (size_t i = 0; i < tn->n; i++) {
		free(tn->v[i].cat);
		free(tn->v[i].event);
	}
	free(tn->v);
	tn->v = NULL;
	tn->n = tn->cap = 0;
}

static int tracepoint_names_add(struct tracepoint_names *tn, const char *cat,
				const char *event)
{
	struct tracepoint_name *v;

	if (tn->n == tn->cap) {
		size_t ncap = tn->cap ? tn->cap * 2 : 64;

		v = realloc(tn->v, ncap * sizeof(*v));
		if (!v)
			return -1;
		tn->v = v;
		tn->cap = ncap;
	}
	v = &tn->v[tn->n];
	v->cat = strdup(cat);
	v->event = strdup(event);
	if (!v->cat || !v->event) {
		free(v->cat);
		free(v->event);
		return -1;
	}
	tn->n++;
	return 0;
}

static int tracepoint_cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The order of "cat:event" strings, as bpftrace sorts them: a category
 * that ends first compares as ':' ("fib6:x" before "fib:x"). */
static int tracepoint_cmp_full(const void *a, const void *b)
{
	const struct tracepoint_name *x = a, *y = b;
	size_t i = 0;

	while (x->cat[i] && x->cat[i] == y->cat[i])
		i++;
	if (!x->cat[i] && !y->cat[i])
		return strcmp(x->event, y->event);
	return (unsigned char)(x->cat[i] ? x->cat[i] : ':') -
	       (unsigned char)(y->cat[i] ? y->cat[i] : ':');
}

/* The directories of dir matching pat (every one when pat is NULL),
 * sorted, so that expansions and listings come in a stable order. */
static int tracepoint_glob_dirs(const char *dir, const char *pat,
				char ***names, size_t *n)
{
	size_t kept = 0;

	if (tracepoint_list_dirs(dir, names, n) < 0)
		return -1;
	for (size_t i = 0; i < *n; i++) {
		if (!pat || provider_glob(pat, (*names)[i]))
			(*names)[kept++] = (*names)[i];
		else
			free((*names)[i]);
	}
	*n = kept;
	if (kept) /* else names may be NULL, which qsort must not get */
		qsort(*names, *n, sizeof(**names), tracepoint_cmp_name);
	return 0;
}

/* Every tracepoint whose category matches catpat and event evpat (NULL:
 * any), in order. A pattern without wildcards is looked up directly,
 * which keeps "t:syscalls:*" to one directory and "t:*:sched_switch" to
 * one stat per category. Returns 0, or -1 when out of memory. */
static int tracepoint_match(const char *tfs, const char *catpat,
			    const char *evpat, struct tracepoint_names *out)
{
	char path[PATH_MAX];
	char **cats = NULL, **events;
	size_t ncats = 0, nevents;
	bool any_cat = !catpat || provider_is_glob(catpat);
	int ret = 0;

	if (!any_cat) {
		cats = malloc(sizeof(*cats));
		if (!cats || !(cats[0] = strdup(catpat))) {
			free(cats);
			return -1;
		}
		ncats = 1;
	} else {
		snprintf(path, sizeof(path), "%s/events", tfs);
		if (tracepoint_glob_dirs(path, catpat, &cats, &ncats) < 0)
			return 0;
	}
	for (size_t i = 0; i < ncats && ret == 0; i++) {
		/* ftrace's own records (function, print, ...) have format
		 * files but no tracepoint to attach to: only an exact spec
		 * names them, to be refused when attached. */
		if (any_cat && strcmp(cats[i], "ftrace") == 0)
			continue;
		if (evpat && !provider_is_glob(evpat)) {
			if (tracepoint_exists(tfs, cats[i], evpat))
				ret = tracepoint_names_add(out, cats[i], evpat);
			continue;
		}
		if (snprintf(path, sizeof(path), "%s/events/%s", tfs, cats[i]) >=
			    (int)sizeof(path) ||
		    tracepoint_glob_dirs(path, evpat, &events, &nevents) < 0)
			continue;
		for (size_t j = 0; j < nevents && ret == 0; j++)
			ret = tracepoint_names_add(out, cats[i], events[j]);
		tracepoint_free_names(events, nevents);
	}
	tracepoint_free_names(cats, ncats);
	if (out->n) /* no match: out->v is NULL */
		qsort(out->v, out->n, sizeof(*out->v), tracepoint_cmp_full);
	return ret;
}

/* ---- the provider ---- */

/* One existing-or-not tracepoint into an instance. Returns 0, or -1
 * after reporting at loc. */
static int tracepoint_resolve_one(const struct provider *prov,
				  struct probe *probe, const char *tfs,
				  const char *cat, const char *event,
				  struct loc loc, struct probe_inst ***tail)
{
	char *text = NULL, *idtext = NULL, *spec = NULL;
	struct tracepoint_priv *tp = NULL;
	struct field *fields = NULL;
	struct probe_inst *pi;
	char path[PATH_MAX];
	int ret = -1;

	if (snprintf(path, sizeof(path), "%s/events/%s/%s/format", tfs, cat,
		     event) >= (int)sizeof(path)) {
		diag_error(loc, "tracepoint '%s:%s' not found", cat, event);
		goto out;
	}
	text = sys_read_file(path);
	if (!text) {
		int err = errno;

		if (err == ENOENT)
			tracepoint_not_found(tfs, cat, event, loc);
		else
			diag_error(loc, "cannot read %s: %s%s", path,
				   strerror(err),
				   err == EACCES || err == EPERM ?
					   " (root is needed)" : "");
		goto out;
	}

	tp = calloc(1, sizeof(*tp));
	if (!tp)
		goto nomem;
	snprintf(path, sizeof(path), "%s/events/%s/%s/id", tfs, cat, event);
	idtext = sys_read_file(path);
	if (!idtext) {
		diag_error(loc, "cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	errno = 0;
	tp->id = strtoull(idtext, NULL, 10);
	if (errno || !tp->id) {
		diag_error(loc, "cannot read %s: not a tracepoint id", path);
		goto out;
	}

	/* System call arguments are what user space passed: any pointer
	 * among them points into the caller's memory. */
	if (tracepoint_parse_format(text, strcmp(cat, "syscalls") == 0,
				    &fields) < 0)
		goto nomem;

	spec = malloc(strlen("tracepoint:") + strlen(cat) + 1 + strlen(event) + 1);
	if (!spec)
		goto nomem;
	sprintf(spec, "tracepoint:%s:%s", cat, event);
	pi = probe_inst_new(prov, probe, spec, loc);
	if (!pi)
		goto nomem;
	pi->fields = fields;
	pi->args = provider_fields_type(fields, spec);
	if (!pi->args) {
		probe_inst_free_all(pi); /* and the fields it holds */
		fields = NULL;
		goto nomem;
	}
	pi->priv = tp;
	fields = NULL;
	tp = NULL;
	**tail = pi;
	*tail = &pi->next;
	ret = 0;
	goto out;
nomem:
	diag_error(loc, "out of memory");
out:
	provider_fields_free(fields);
	free(tp);
	free(spec);
	free(idtext);
	free(text);
	return ret;
}

/* A wildcard that matched nothing: when the category is the typo, a
 * guess at it helps more than the bare pattern. */
static void tracepoint_no_match(const char *tfs, const char *cat,
				const char *event, struct loc loc)
{
	char path[PATH_MAX];
	const char *best = NULL;
	struct stat st;
	char **names = NULL;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/events/%s", tfs, cat);
	if (!provider_is_glob(cat) && stat(path, &st) < 0) {
		snprintf(path, sizeof(path), "%s/events", tfs);
		if (tracepoint_list_dirs(path, &names, &n) == 0)
			best = diag_closest(cat, (const char *const *)names, n);
	}
	if (best)
		diag_error(loc,
			   "no tracepoint matches 'tracepoint:%s:%s': no category '%s'; did you mean '%s'?",
			   cat, event, cat, best);
	else
		diag_error(loc, "no tracepoint matches 'tracepoint:%s:%s'", cat,
			   event);
	tracepoint_free_names(names, n);
}

static int tracepoint_resolve(const struct provider *prov,
			      struct probe *probe, const char *rest,
			      struct loc loc, struct probe_inst ***tail)
{
	const char *sep = strpbrk(rest, ":/");
	struct tracepoint_names tn = { 0 };
	char *cat = NULL, *event = NULL;
	const char *tfs;
	int ret = -1;

	/* '*' and '?' pass as name characters: globs match names only */
	if (!sep || !tracepoint_name_ok(rest, sep - rest) ||
	    !tracepoint_name_ok(sep + 1, strlen(sep + 1))) {
		diag_error(loc,
			   "bad tracepoint '%s': expected 'tracepoint:CATEGORY:EVENT'",
			   rest);
		return -1;
	}
	tfs = provider_formats_dir ? provider_formats_dir : tracefs_path();
	if (!tfs)
		return -1;
	cat = strndup(rest, sep - rest);
	event = strdup(sep + 1);
	if (!cat || !event) {
		diag_error(loc, "out of memory");
		goto out;
	}
	if (!provider_is_glob(cat) && !provider_is_glob(event)) {
		ret = tracepoint_resolve_one(prov, probe, tfs, cat, event, loc,
					     tail);
		goto out;
	}

	/* "tracepoint:syscalls:sys_enter_*": one instance per match, each
	 * with its own fields and its full spec for the probe builtin. */
	if (tracepoint_match(tfs, cat, event, &tn) < 0) {
		diag_error(loc, "out of memory");
		goto out;
	}
	if (!tn.n) {
		tracepoint_no_match(tfs, cat, event, loc);
		goto out;
	}
	ret = 0;
	for (size_t i = 0; i < tn.n && ret == 0; i++)
		ret = tracepoint_resolve_one(prov, probe, tfs, tn.v[i].cat,
					     tn.v[i].event, loc, tail);
out:
	tracepoint_names_free(&tn);
	free(event);
	free(cat);
	return ret;
}

/* -lv: the fields as bpftrace prints them, "    char prev_comm[16]",
 * without the common_ fields every event has. */
static void tracepoint_list_fields(const char *tfs, const char *cat,
				   const char *event, FILE *out)
{
	struct field *fields = NULL;
	char path[PATH_MAX];
	char *text;

	snprintf(path, sizeof(path), "%s/events/%s/%s/format", tfs, cat, event);
	text = sys_read_file(path);
	if (!text)
		return;
	if (tracepoint_parse_format(text, false, &fields) >= 0) {
		for (const struct field *f = fields; f; f = f->next) {
			const char *lb = strrchr(f->ctype, '[');

			if (strncmp(f->name, "common_", 7) == 0)
				continue;
			/* "char[16]" is written "char name[16]"; "__data_loc
			 * char[]" stays as it is, before the name */
			if (lb && lb[1] != ']' && lb > f->ctype)
				fprintf(out, "    %.*s %s%s\n",
					(int)(lb - f->ctype), f->ctype, f->name,
					lb);
			else
				fprintf(out, "    %s %s\n", f->ctype, f->name);
		}
	}
	provider_fields_free(fields);
	free(text);
}

static void tracepoint_list(const struct provider *prov, const char *pattern,
			    bool verbose, FILE *out)
{
	static const char prefix[] = "tracepoint:";
	struct tracepoint_names tn = { 0 };
	char *catpat = NULL, *evpat = NULL;
	const char *tfs = tracefs_path(), *sep = NULL;

	if (!tfs)
		return;
	/* "tracepoint:sched:*" (or ply's "tracepoint:sched/EV*") narrows the
	 * directories read; a pattern without the separator ("tracepoint:*",
	 * "tracepoint:sched*") is matched against "cat:event" whole. */
	if (pattern && strncmp(pattern, prefix, sizeof(prefix) - 1) == 0) {
		const char *rest = pattern + sizeof(prefix) - 1;

		sep = strpbrk(rest, ":/");
		if (sep) {
			catpat = strndup(rest, sep - rest);
			evpat = strdup(sep + 1);
			if (!catpat || !evpat)
				goto out;
		}
	}
	if (tracepoint_match(tfs, catpat, evpat, &tn) < 0)
		goto out;
	for (size_t i = 0; i < tn.n; i++) {
		const struct tracepoint_name *t = &tn.v[i];
		char spec[PATH_MAX];

		snprintf(spec, sizeof(spec), "%s%s:%s", prefix, t->cat, t->event);
		if (pattern && !sep && !provider_glob(pattern, spec))
			continue;
		fprintf(out, "%s\n", spec);
		if (verbose)
			tracepoint_list_fields(tfs, t->cat, t->event, out);
	}
out:
	tracepoint_names_free(&tn);
	free(catpat);
	free(evpat);
}

static int tracepoint_attach(struct probe_inst *pi)
{
	const struct tracepoint_priv *tp = pi->priv;
	/* One event on CPU 0 is enough: the kernel runs a tracepoint's BPF
	 * programs whichever CPU hits it. */
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.config = tp->id,
		.sample_period = 1,
		.sample_type = PERF_SAMPLE_RAW,
		.wakeup_events = 1,
	};

	return provider_perf_attach(pi, &attr, 0);
}

static void tracepoint_free(struct probe_inst *pi)
{
	free(pi->priv);
	pi->priv = NULL;
}

static const char *const tracepoint_aliases[] = { "t", NULL };

const struct provider provider_tracepoint = {
	.name = "tracepoint",
	.aliases = tracepoint_aliases,
	.prog_type = BPF_PROG_TYPE_TRACEPOINT,
	.when = PROBE_EVENT,
	.resolve = tracepoint_resolve,
	.attach = tracepoint_attach,
	.free = tracepoint_free,
	.list = tracepoint_list,
};
