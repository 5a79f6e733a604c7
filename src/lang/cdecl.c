/* cdecl.c - C type names and declarations (see cdecl.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cdecl.h"

unsigned cdecl_ptr_size(const struct target *t)
{
	return t->regs && t->regs->size == 4 ? 4 : 8;
}

/* The next word of text at *p (letters, digits, '_'), or a single
 * punctuation character; "" at the end. */
static const char *word(const char **p, char *buf, size_t len)
{
	const char *s = *p;
	size_t n = 0;

	while (isspace((unsigned char)*s))
		s++;
	if (isalnum((unsigned char)*s) || *s == '_') {
		while ((isalnum((unsigned char)s[n]) || s[n] == '_') && n + 1 < len)
			n++;
	} else if (*s) {
		n = 1;
	}
	memcpy(buf, s, n);
	buf[n] = 0;
	*p = s + n;
	return buf;
}

static const struct {
	const char *name;
	unsigned size;
	bool is_signed;
} wisp_ints[] = {
	{ "int8", 1, true }, { "int16", 2, true }, { "int32", 4, true },
	{ "int64", 8, true }, { "uint8", 1, false }, { "uint16", 2, false },
	{ "uint32", 4, false }, { "uint64", 8, false }, { "bool", 1, false },
	{ "_Bool", 1, false },
};

const struct ctype *cdecl_typename(const char *text, const struct target *t,
				   char *err, size_t len)
{
	const char *p = text;
	const struct ctype *ct = NULL;
	char w[128];
	int is_unsigned = -1, longs = 0, shorts = 0, chars = 0, ints = 0;
	bool any = false;

	for (;;) {
		const char *save = p;

		word(&p, w, sizeof(w));
		if (!strcmp(w, "const") || !strcmp(w, "volatile") || !strcmp(w, "restrict"))
			continue;
		if (!strcmp(w, "unsigned") || !strcmp(w, "signed")) {
			is_unsigned = w[0] == 'u';
		} else if (!strcmp(w, "long")) {
			longs++;
		} else if (!strcmp(w, "short")) {
			shorts++;
		} else if (!strcmp(w, "char")) {
			chars++;
		} else if (!strcmp(w, "int")) {
			ints++;
		} else if (!any && !ct && (!strcmp(w, "struct") || !strcmp(w, "union") ||
					   !strcmp(w, "enum"))) {
			enum ctype_kind k = w[0] == 's' ? CT_STRUCT : w[0] == 'u' ? CT_UNION : CT_ENUM;
			char tag[128];

			word(&p, tag, sizeof(tag));
			if (!isalpha((unsigned char)tag[0]) && tag[0] != '_') {
				snprintf(err, len, "'%s' needs a name", w);
				return NULL;
			}
			ct = ctype_find(k, tag);
			if (!ct) {
				snprintf(err, len, "unknown type '%s %s'", w, tag);
				return NULL;
			}
			continue;
		} else if (!any && !ct && (isalpha((unsigned char)w[0]) || w[0] == '_')) {
			for (size_t i = 0; i < sizeof(wisp_ints) / sizeof(wisp_ints[0]); i++)
				if (!strcmp(w, wisp_ints[i].name))
					ct = ctype_int(wisp_ints[i].size, wisp_ints[i].is_signed);
			if (!ct && !(ct = ctype_find(CT_TYPEDEF, w))) {
				snprintf(err, len, "unknown type '%s'", w);
				return NULL;
			}
			continue;
		} else {
			p = save;
			break;
		}
		any = true;
	}
	if (any) {
		unsigned size = chars ? 1 : shorts ? 2 : longs >= 2 ? 8 :
				longs ? cdecl_ptr_size(t) : 4;

		if (ct || (chars && (shorts || longs))) {
			snprintf(err, len, "'%s' is not a C type", text);
			return NULL;
		}
		if (chars && is_unsigned < 0)
			ct = ctype_char();
		else
			ct = ctype_int(size, is_unsigned != 1);
	}
	if (!ct) {
		snprintf(err, len, "'%s' is not a C type", text);
		return NULL;
	}
	for (;;) {
		word(&p, w, sizeof(w));
		if (!strcmp(w, "*")) {
			ct = ctype_ptr(ct, AS_KERNEL, cdecl_ptr_size(t));
		} else if (!strcmp(w, "const") || !strcmp(w, "volatile") ||
			   !strcmp(w, "restrict")) {
			continue;
		} else if (!strcmp(w, "[")) {
			char *end;
			unsigned long n = strtoul(p, &end, 0);

			p = end;
			if (strcmp(word(&p, w, sizeof(w)), "]") || n > (1u << 24)) {
				snprintf(err, len, "'%s': expected an array length and ']'", text);
				return NULL;
			}
			ct = ctype_array(ct, (unsigned)n);
		} else if (!w[0]) {
			return ct;
		} else {
			snprintf(err, len, "'%s' is not a C type: unexpected '%s'", text, w);
			return NULL;
		}
	}
}
