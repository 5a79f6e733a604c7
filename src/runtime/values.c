/* values.c - the text of the values the BPF side hands over raw and user
 * space formats: ksym and usym names, ntop addresses, strftime times, buf
 * bytes and kstack/ustack frames (their layouts are in lang/type.h). The
 * text is bpftrace 0.17's, checked against its output on this machine:
 *
 *	ksym, usym      the name alone; an unknown address as 0x... ("0" for 0)
 *	stack frames    "name+offset", one per line, indented 8 spaces (4 in
 *	                map keys), after a first "\n"; nothing at all when
 *	                the kernel could not take the stack
 *	ntop            inet_ntop's text; "" for another family
 *	strftime        local time, %f the microseconds; "(?)" if empty
 *	buf             printable ASCII as is, other bytes as \xNN
 *	tuples          "(1, abc)"; in JSON an array, [1,"abc"]
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <bpf/bpf.h>
#include "json.h"
#include "syms.h"
#include "../sys/kallsyms.h"
#include "values.h"

#define RT_NS 1000000000LL

/* bpftrace prints unknown addresses through a void *: "0" for null. */
static void rt_hex(FILE *out, uint64_t addr)
{
	if (addr)
		fprintf(out, "0x%llx", (unsigned long long)addr);
	else
		fputc('0', out);
}

static uint64_t rt_u64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

void rt_buf_print(FILE *out, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		if (b[i] >= 32 && b[i] <= 126)
			fputc(b[i], out);
		else
			fprintf(out, "\\x%02x", b[i]);
	}
}

const char *rt_ntop(const void *p, char *buf, size_t len)
{
	const unsigned char *v = p;
	uint64_t family = rt_u64(v);

	buf[0] = '\0';
	if (family == AF_INET || family == AF_INET6)
		if (!inet_ntop((int)family, v + 8, buf, len))
			buf[0] = '\0';
	return buf;
}

size_t rt_strftime_real(char *buf, size_t len, const char *fmt,
			int64_t realtime_ns)
{
	/* Floor division: a time before the epoch still has its
	 * microseconds counted forward from its second. */
	int64_t sec = realtime_ns / RT_NS, ns = realtime_ns % RT_NS;
	char usec[8], *f, *q;
	size_t flen = strlen(fmt), n;
	const char *s;
	struct tm tm;
	time_t t;

	if (ns < 0) {
		ns += RT_NS;
		sec--;
	}
	t = (time_t)sec;
	if (!len || !localtime_r(&t, &tm))
		return 0;
	snprintf(usec, sizeof(usec), "%06lld", (long long)(ns / 1000));
	/* %f is bpftrace's; strftime would leave it as it is. "%%f" is a
	 * literal "%f" and stays so. At most 3 bytes more per 2. */
	f = malloc(flen * 3 + 1);
	if (!f)
		return 0;
	for (s = fmt, q = f; *s; s++) {
		if (s[0] == '%' && s[1] == 'f') {
			q = stpcpy(q, usec);
			s++;
		} else if (s[0] == '%' && s[1]) {
			*q++ = *s++;
			*q++ = *s;
		} else {
			*q++ = *s;
		}
	}
	*q = '\0';
	n = strftime(buf, len, f, &tm);
	free(f);
	return n;
}

size_t rt_strftime(char *buf, size_t len, const char *fmt, uint64_t mono_ns)
{
	struct timespec real, mono;
	int64_t real_ns, mono_now;

	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	real_ns = (int64_t)real.tv_sec * RT_NS + real.tv_nsec;
	mono_now = (int64_t)mono.tv_sec * RT_NS + mono.tv_nsec;
	return rt_strftime_real(buf, len, fmt,
				real_ns - (mono_now - (int64_t)mono_ns));
}

/* The frames of the stack value at p, innermost first (malloc'd in
 * *frames). Returns how many, or -1 when there is no stack: a negative
 * id (the kernel could not take it), a stack map we do not have, or an
 * id no longer in the map. */
static int rt_stack_read(const struct runtime *rt, const unsigned char *p,
			 size_t avail, uint64_t **frames)
{
	const struct map_def *m;
	int64_t id;
	uint32_t key;
	size_t n, i;

	*frames = NULL;
	if (!rt || avail < 16)
		return -1;
	m = tab_map_of_kind(&rt->tab, MAPK_STACKS);
	id = (int64_t)rt_u64(p);
	if (!m || m->kind != MAPK_STACKS || m->fd < 0 || id < 0 ||
	    id > UINT32_MAX || m->val_size < 8)
		return -1;
	n = m->val_size / 8;
	*frames = calloc(n, 8);
	key = (uint32_t)id;
	if (!*frames || bpf_map_lookup_elem(m->fd, &key, *frames) != 0) {
		free(*frames);
		*frames = NULL;
		return -1;
	}
	for (i = 0; i < n && (*frames)[i]; i++)
		;
	return (int)i;
}

/* One frame: "name+off" or the address. proc is NULL for kernel frames. */
static void rt_frame(FILE *out, uint64_t addr, bool user,
		     struct usym_proc *proc, bool offset)
{
	const char *name;
	uint64_t off = 0;

	name = user ? usym_proc_lookup(proc, addr, &off) : ksym_lookup(addr, &off);
	if (!name)
		rt_hex(out, addr);
	else if (offset)
		fprintf(out, "%s+%llu", name, (unsigned long long)off);
	else
		fputs(name, out);
}

static void rt_stack_print(FILE *out, const struct runtime *rt, struct type t,
			   const unsigned char *p, size_t avail, int indent)
{
	struct usym_proc *proc = NULL;
	uint64_t *frames;
	int n = rt_stack_read(rt, p, avail, &frames), i;

	if (n < 0)
		return;
	if (type_is_ustack(t))
		proc = usym_proc_open((int)rt_u64(p + 8));
	fputc('\n', out);
	for (i = 0; i < n; i++) {
		fprintf(out, "%*s", indent, "");
		rt_frame(out, frames[i], type_is_ustack(t), proc, true);
		fputc('\n', out);
	}
	usym_proc_close(proc);
	free(frames);
}

int rt_stack_fold(FILE *out, const struct runtime *rt, struct type t,
		  const void *p, size_t avail, bool *first)
{
	struct usym_proc *proc = NULL;
	uint64_t *frames;
	int n = rt_stack_read(rt, p, avail, &frames), i;

	if (n <= 0) {
		free(frames);
		return 0;
	}
	if (type_is_ustack(t))
		proc = usym_proc_open((int)rt_u64((const unsigned char *)p + 8));
	for (i = n - 1; i >= 0; i--) {
		if (!*first)
			fputc(';', out);
		*first = false;
		/* Without offsets: a flame graph merges the samples of a
		 * function, whatever instruction they were at. */
		rt_frame(out, frames[i], type_is_ustack(t), proc, false);
	}
	usym_proc_close(proc);
	free(frames);
	return n;
}

/* An integer or a string element: as a map key prints it. */
static void rt_plain_print(FILE *out, struct type t, const unsigned char *v,
			   size_t avail, bool json)
{
	if (t.kind == TYPE_STR) {
		size_t len = strnlen((const char *)v, t.size < avail ? t.size : avail);

		if (json)
			json_print_str(out, (const char *)v, len);
		else
			fwrite(v, 1, len, out);
	} else if (avail >= 8) {
		fprintf(out, t.is_signed ? "%lld" : "%llu", (long long)rt_u64(v));
	}
}

static void rt_tuple_print(FILE *out, const struct runtime *rt, struct type t,
			   const unsigned char *v, size_t avail, int indent,
			   bool json)
{
	const struct tuple_def *d = type_tuple_def(t);

	fputc(json ? '[' : '(', out);
	for (unsigned i = 0; d && i < d->n && d->off[i] < avail; i++) {
		if (i)
			fputs(json ? "," : ", ", out);
		if (json)
			rt_value_json(out, rt, d->elem[i], v + d->off[i],
				      avail - d->off[i], indent);
		else if (rt_has_form(d->elem[i]))
			rt_value_print(out, rt, d->elem[i], v + d->off[i],
				       avail - d->off[i], indent);
		else
			rt_plain_print(out, d->elem[i], v + d->off[i],
				       avail - d->off[i], false);
	}
	fputc(json ? ']' : ')', out);
}

/* C data of type ct at v (avail bytes): a struct as { .name = value,
 * ... } (JSON: an object), an array as [a, b], a char array as a
 * string, an integer by its size and sign, a pointer in hex. */
static void rt_cdata_print(FILE *out, const struct ctype *ct,
			   const unsigned char *v, size_t avail, bool json,
			   unsigned depth)
{
	const struct ctype *r = ctype_resolve(ct);
	const struct cmember *m;
	unsigned n;
	uint64_t x = 0;

	if (!r || r->size > avail || depth > 8) {
		fputs(json ? "null" : "?", out);
		return;
	}
	switch (r->kind) {
	case CT_STRUCT:
	case CT_UNION: {
		bool first = true;

		m = ctype_members(r, &n);
		fputs(json ? "{" : "{ ", out);
		for (unsigned i = 0; i < n; i++) {
			if (m[i].offset >= r->size)
				continue;
			if (!first)
				fputs(json ? "," : ", ", out);
			first = false;
			if (json)
				fprintf(out, "\"%s\":", m[i].name);
			else if (*m[i].name)
				fprintf(out, ".%s = ", m[i].name);
			if (m[i].bit_size) {
				const struct ctype *bt = ctype_resolve(m[i].type);
				unsigned bo = m[i].bit_off, bs = m[i].bit_size;

				for (unsigned b = 0; b < bs && b < 64; b++) {
					unsigned bit = bo + b, at = m[i].offset + bit / 8;

					if (at < r->size && (v[at] >> (bit % 8) & 1))
						x |= 1ull << b;
				}
				if (bt && bt->is_signed && bs < 64 && (x >> (bs - 1) & 1))
					x |= ~0ull << bs;
				fprintf(out, bt && bt->is_signed ? "%lld" : "%llu", (long long)x);
				x = 0;
				continue;
			}
			rt_cdata_print(out, m[i].type, v + m[i].offset, r->size - m[i].offset,
				       json, depth + 1);
		}
		fputs(json ? "}" : first ? "}" : " }", out);
		return;
	}
	case CT_ARRAY: {
		const struct ctype *e = ctype_resolve(r->ref);

		if (ctype_is_char(e)) {
			size_t len = strnlen((const char *)v, r->size);

			if (json) {
				json_print_str(out, (const char *)v, len);
			} else {
				fputc('"', out);
				fwrite(v, 1, len, out);
				fputc('"', out);
			}
			return;
		}
		fputc('[', out);
		for (unsigned i = 0; e && e->size && i < r->len; i++) {
			if (i)
				fputs(json ? "," : ", ", out);
			rt_cdata_print(out, e, v + i * e->size, r->size - i * e->size, json,
				       depth + 1);
		}
		fputc(']', out);
		return;
	}
	case CT_INT:
	case CT_ENUM:
	case CT_PTR:
		if (r->size > 8 || !r->size)
			break;
		memcpy(&x, v, r->size); /* little endian */
		if (r->kind == CT_PTR) {
			fprintf(out, json ? "%llu" : "0x%llx", (unsigned long long)x);
			return;
		}
		if (r->is_signed && r->size < 8 && (x >> (8 * r->size - 1) & 1))
			x |= ~0ull << (8 * r->size);
		fprintf(out, r->is_signed ? "%lld" : "%llu", (long long)x);
		return;
	default:
		break;
	}
	fputs(json ? "null" : "?", out);
}

void rt_value_json(FILE *out, const struct runtime *rt, struct type t,
		   const void *p, size_t avail, int indent)
{
	char *text;
	size_t len;

	if (t.size && avail > t.size)
		avail = t.size;
	if (t.kind == TYPE_TUPLE) {
		rt_tuple_print(out, rt, t, p, avail, indent, true);
		return;
	}
	if (t.kind == TYPE_RECORD) {
		rt_cdata_print(out, t.ct, p, avail, true, 0);
		return;
	}
	if (!rt_has_form(t)) {
		rt_plain_print(out, t, p, avail, true);
		return;
	}
	text = rt_value_text(rt, t, p, avail, indent, &len);
	json_print_str(out, text ? text : "", text ? len : 0);
	free(text);
}

void rt_value_print(FILE *out, const struct runtime *rt, struct type t,
		    const void *p, size_t avail, int indent)
{
	const unsigned char *v = p;
	char buf[512];
	const char *name;
	uint64_t len, fmt;

	if (t.size && avail > t.size)
		avail = t.size;
	switch (t.kind) {
	case TYPE_KSYM:
		if (avail < 8)
			return;
		name = ksym_lookup(rt_u64(v), NULL);
		if (name)
			fputs(name, out);
		else
			rt_hex(out, rt_u64(v));
		return;
	case TYPE_USYM:
		if (avail < 16)
			return;
		name = usym_lookup((int)rt_u64(v + 8), rt_u64(v), NULL);
		if (name)
			fputs(name, out);
		else
			rt_hex(out, rt_u64(v));
		return;
	case TYPE_INET:
		if (avail >= 24)
			fputs(rt_ntop(v, buf, sizeof(buf)), out);
		return;
	case TYPE_TIME:
		if (avail < 16)
			return;
		fmt = rt_u64(v + 8);
		if (rt && fmt < (uint64_t)rt->tab.nstrs && rt->tab.strs[fmt] &&
		    (len = rt_strftime(buf, sizeof(buf), rt->tab.strs[fmt],
				       rt_u64(v))) != 0)
			fwrite(buf, 1, len, out);
		else
			fputs("(?)", out);
		return;
	case TYPE_BUF:
		if (avail < 8)
			return;
		len = rt_u64(v);
		rt_buf_print(out, v + 8, len < avail - 8 ? len : avail - 8);
		return;
	case TYPE_STACK:
		rt_stack_print(out, rt, t, v, avail, indent);
		return;
	case TYPE_TUPLE:
		rt_tuple_print(out, rt, t, v, avail, indent, false);
		return;
	case TYPE_RECORD:
		rt_cdata_print(out, t.ct, v, avail, false, 0);
		return;
	default:
		return;
	}
}

char *rt_value_text(const struct runtime *rt, struct type t, const void *p,
		    size_t avail, int indent, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	if (!f)
		return NULL;
	rt_value_print(f, rt, t, p, avail, indent);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}
