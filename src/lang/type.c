/* type.c - names and equality of the wisp value types. The names are the
 * spellings the language uses for casts, so that messages and dumps can be
 * pasted back into a program. */
#include <stdio.h>

#include "type.h"

const char *type_name(struct type t, char *buf, unsigned buflen)
{
	switch (t.kind) {
	case TYPE_NONE:
		snprintf(buf, buflen, "none");
		break;
	case TYPE_VOID:
		snprintf(buf, buflen, "void");
		break;
	case TYPE_INT:
		snprintf(buf, buflen, "%sint%u", t.is_signed ? "" : "u",
			 t.size * 8);
		break;
	case TYPE_STR:
		snprintf(buf, buflen, "string[%u]", t.size);
		break;
	case TYPE_PTR:
		snprintf(buf, buflen, "pointer");
		break;
	case TYPE_COUNT:
		snprintf(buf, buflen, "count");
		break;
	case TYPE_SUM:
		snprintf(buf, buflen, "sum");
		break;
	case TYPE_HIST:
		snprintf(buf, buflen, "hist");
		break;
	case TYPE_KSYM:
		snprintf(buf, buflen, "ksym");
		break;
	case TYPE_USYM:
		snprintf(buf, buflen, "usym");
		break;
	case TYPE_INET:
		snprintf(buf, buflen, "inet");
		break;
	case TYPE_TIME:
		snprintf(buf, buflen, "timestamp");
		break;
	case TYPE_BUF:
		snprintf(buf, buflen, "buffer[%u]", t.size >= 8 ? t.size - 8 : 0);
		break;
	case TYPE_STACK:
		snprintf(buf, buflen, "%s", t.is_signed ? "ustack" : "kstack");
		break;
	default:
		snprintf(buf, buflen, "type%d", (int)t.kind);
		break;
	}
	return buf;
}

bool type_equal(struct type a, struct type b)
{
	if (a.kind != b.kind)
		return false;
	switch (a.kind) {
	case TYPE_INT:
		return a.size == b.size && a.is_signed == b.is_signed;
	case TYPE_STR:
		return a.size == b.size;
	case TYPE_PTR:
		/* the address space decides which read helper is used, so a
		 * user pointer is not interchangeable with a kernel one */
		return a.as == b.as;
	default:
		return true;
	}
}
