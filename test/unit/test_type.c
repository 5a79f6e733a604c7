/* test_type.c - the value types of src/lang/type.c: the names messages
 * and dumps print (and their truncation to a short buffer), equality,
 * unification (the type that holds both, or none), and tuple layouts
 * (offsets, interning, nesting, the element limit). */
#include <stdlib.h>

#include "lang/type.h"
#include "unit.h"

static struct type t_ptr(enum addr_space as)
{
	return (struct type){ .kind = TYPE_PTR, .size = 8, .as = as };
}

static struct type t_kind(enum type_kind kind, unsigned size)
{
	return (struct type){ .kind = kind, .size = size };
}

static const char *name(struct type t)
{
	static char buf[256];

	return type_name(t, buf, sizeof(buf));
}

static void test_names(void)
{
	struct type ustack = t_kind(TYPE_STACK, 16);
	char buf[16];

	ustack.as = AS_USER;
	CHECK_STR(name(type_int(1, true)), "int8");
	CHECK_STR(name(type_int(2, false)), "uint16");
	CHECK_STR(name(type_int(4, true)), "int32");
	CHECK_STR(name(type_int(8, false)), "uint64");
	CHECK_STR(name(type_str(16)), "string[16]");
	CHECK_STR(name(t_ptr(AS_USER)), "pointer");
	CHECK_STR(name(t_kind(TYPE_NONE, 0)), "none");
	CHECK_STR(name(t_kind(TYPE_VOID, 0)), "void");
	CHECK_STR(name(t_kind(TYPE_COUNT, 8)), "count");
	CHECK_STR(name(t_kind(TYPE_SUM, 8)), "sum");
	CHECK_STR(name(t_kind(TYPE_HIST, 8)), "hist");
	CHECK_STR(name(t_kind(TYPE_KSYM, 8)), "ksym");
	CHECK_STR(name(t_kind(TYPE_USYM, 16)), "usym");
	CHECK_STR(name(t_kind(TYPE_INET, 24)), "inet");
	CHECK_STR(name(t_kind(TYPE_TIME, 8)), "timestamp");
	/* a buffer's size counts its 8-byte length header */
	CHECK_STR(name(t_kind(TYPE_BUF, 8 + 16)), "buffer[16]");
	CHECK_STR(name(t_kind(TYPE_BUF, 4)), "buffer[0]");
	CHECK_STR(name(t_kind(TYPE_STACK, 16)), "kstack");
	CHECK_STR(name(ustack), "ustack");
	CHECK_STR(name(t_kind((enum type_kind)99, 0)), "type99");
	CHECK(type_name(type_int(4, false), buf, sizeof(buf)) == buf,
	      "type_name returns the buffer it is given");
}

static void test_tuple_names(void)
{
	struct type e[3] = { type_int(8, true), type_str(3), t_kind(TYPE_KSYM, 8) };
	struct type inner = type_tuple(2, e), outer;
	char buf[64];

	CHECK_STR(name(inner), "(int64, string[3])");
	e[1] = inner;
	outer = type_tuple(3, e);
	CHECK_STR(name(outer), "(int64, (int64, string[3]), ksym)");
	CHECK_STR(name(type_tuple(0, e)), "()");
	/* a type that is a tuple in name only: no layout behind it */
	CHECK_STR(name((struct type){ .kind = TYPE_TUPLE }), "()");

	/* a short buffer: cut, but always a string within its bounds */
	for (unsigned len = 1; len <= 40; len++) {
		memset(buf, 'X', sizeof(buf));
		type_name(outer, buf, len);
		CHECK(strlen(buf) < len && buf[len] == 'X' && (len == 1 || buf[0] == '('),
		      "%u bytes: '%s' NUL-terminated, nothing written past", len, buf);
	}
	CHECK_STR(type_name(outer, buf, 35), "(int64, (int64, string[3]), ksym)");
}

static void test_equal(void)
{
	struct type a = type_int(8, true);

	CHECK(type_equal(a, type_int(8, true)), "int64 is int64");
	CHECK(!type_equal(a, type_int(8, false)), "int64 is not uint64");
	CHECK(!type_equal(a, type_int(4, true)), "int64 is not int32");
	CHECK(!type_equal(a, type_str(8)), "int64 is not string[8]");
	CHECK(!type_equal(a, t_ptr(AS_KERNEL)), "int64 is not a pointer");
	CHECK(type_equal(type_str(16), type_str(16)), "string[16] is string[16]");
	CHECK(!type_equal(type_str(16), type_str(17)), "string[16] is not string[17]");
	CHECK(type_equal(t_ptr(AS_USER), t_ptr(AS_USER)), "two user pointers");
	CHECK(!type_equal(t_ptr(AS_USER), t_ptr(AS_KERNEL)),
	      "a user pointer is not a kernel pointer: they are read with different helpers");
	CHECK(!type_equal(t_ptr(AS_ANY), t_ptr(AS_KERNEL)), "nor an either-space one");
	CHECK(type_equal(t_kind(TYPE_KSYM, 8), t_kind(TYPE_KSYM, 8)), "ksym is ksym");
	CHECK(!type_equal(t_kind(TYPE_KSYM, 8), t_kind(TYPE_USYM, 16)), "ksym is not usym");
	CHECK(!type_equal(t_kind(TYPE_COUNT, 8), t_kind(TYPE_SUM, 8)), "count is not sum");
}

static void test_unify(void)
{
	struct type out, s5 = type_str(5), s9 = type_str(9);
	struct type b4 = t_kind(TYPE_BUF, 12), b16 = t_kind(TYPE_BUF, 24);

	out = type_int(1, true);
	CHECK(type_unify(s5, s9, &out) && type_equal(out, s9), "strings: the longer, %s",
	      name(out));
	CHECK(type_unify(s9, s5, &out) && type_equal(out, s9), "in either order, %s",
	      name(out));
	CHECK(type_unify(s5, s5, &out) && type_equal(out, s5), "the same string");
	CHECK(type_unify(b16, b4, &out) && out.size == 24, "buffers: the longer, %s",
	      name(out));
	CHECK(type_unify(b4, b16, &out) && out.size == 24, "in either order, %s",
	      name(out));
	CHECK(type_unify(type_int(8, false), type_int(8, false), &out) &&
	      type_equal(out, type_int(8, false)), "uint64 and uint64: uint64");
	CHECK(!type_unify(type_int(8, false), type_int(8, true), &out),
	      "uint64 and int64: the sign differs");
	CHECK(!type_unify(type_int(4, true), type_int(8, true), &out),
	      "int32 and int64: widen them first");
	CHECK(!type_unify(type_int(8, true), s5, &out), "an integer and a string");
	CHECK(!type_unify(s5, type_int(8, true), &out), "a string and an integer");
	CHECK(!type_unify(b4, s5, &out), "a buffer and a string");
	CHECK(type_unify(t_ptr(AS_USER), t_ptr(AS_USER), &out) && out.as == AS_USER,
	      "two user pointers");
	CHECK(!type_unify(t_ptr(AS_USER), t_ptr(AS_KERNEL), &out),
	      "a user and a kernel pointer");
	CHECK(type_unify(t_kind(TYPE_INET, 24), t_kind(TYPE_INET, 24), &out) &&
	      out.kind == TYPE_INET, "inet and inet");
	CHECK(!type_unify(t_kind(TYPE_KSYM, 8), t_kind(TYPE_USYM, 16), &out),
	      "ksym and usym");
}

static void test_unify_tuples(void)
{
	struct type e[3] = { type_str(10), type_str(4), t_ptr(AS_USER) };
	struct type a, b, c, out;
	const struct tuple_def *d;

	a = type_tuple(3, e);
	e[1] = type_str(20);
	b = type_tuple(3, e);
	CHECK(type_unify(a, b, &out) && type_equal(out, b) && out.size == b.size,
	      "(string[10], string[4], pointer) and (string[10], string[20], pointer): %s",
	      name(out));
	CHECK(type_unify(b, a, &out) && type_equal(out, b), "in either order: %s",
	      name(out));
	e[0] = type_str(30);
	e[1] = type_str(4);
	c = type_tuple(3, e);
	/* each element the longer: a layout neither tuple has */
	CHECK(type_unify(b, c, &out) && out.kind == TYPE_TUPLE &&
	      !type_equal(out, b) && !type_equal(out, c), "a third layout: %s", name(out));
	d = type_tuple_def(out);
	CHECK(d && d->n == 3 && d->elem[0].size == 30 && d->elem[1].size == 20 &&
	      d->elem[2].kind == TYPE_PTR && d->off[1] == 32 && d->off[2] == 56 &&
	      d->size == 64, "(string[30], string[20], pointer) at 0, 32, 56: %s",
	      name(out));

	/* a's elements, but one */
	e[0] = type_str(10);
	e[2] = t_ptr(AS_KERNEL);
	CHECK(!type_unify(a, type_tuple(3, e), &out),
	      "a user pointer element and a kernel one do not unify");
	e[2] = type_int(8, true);
	CHECK(!type_unify(a, type_tuple(3, e), &out),
	      "a pointer element and an integer one do not unify");
	e[2] = t_ptr(AS_USER);
	CHECK(type_unify(a, type_tuple(3, e), &out) && type_equal(out, a),
	      "but with a's own elements they do");
	CHECK(!type_unify(a, type_tuple(2, e), &out), "three elements and two");
	CHECK(!type_unify(a, type_str(8), &out), "a tuple and a string");

	/* nested: the inner tuples unify too */
	e[0] = type_int(8, false);
	e[1] = type_str(2);
	e[2] = type_tuple(2, e);
	a = type_tuple(3, e);
	e[1] = type_str(6);
	e[2] = type_tuple(2, e);
	b = type_tuple(3, e);
	CHECK(type_unify(a, b, &out) && type_equal(out, b),
	      "nested: (uint64, string[2], (uint64, string[2])) and its longer: %s",
	      name(out));
	e[1] = type_int(8, false);
	e[2] = type_tuple(2, e);
	CHECK(!type_unify(a, type_tuple(3, e), &out),
	      "nested: an inner element that differs in kind");
}

static void test_tuple_layout(void)
{
	struct type e[TUPLE_MAX + 1], t, u;
	const struct tuple_def *d;

	e[0] = type_int(8, true);
	e[1] = type_str(1);
	e[2] = type_str(9);
	e[3] = t_kind(TYPE_USYM, 16);
	t = type_tuple(4, e);
	d = type_tuple_def(t);
	CHECK(t.kind == TYPE_TUPLE && d && d->n == 4, "a tuple of four");
	CHECK(d && d->off[0] == 0 && d->off[1] == 8 && d->off[2] == 16 &&
	      d->off[3] == 32 && d->size == 48 && t.size == 48,
	      "each element 8-byte aligned: 0 8 16 32, size 48");
	CHECK(d && type_equal(d->elem[2], type_str(9)) && d->elem[3].kind == TYPE_USYM,
	      "the elements are kept");

	/* interned: the same elements, the same layout */
	u = type_tuple(4, e);
	CHECK(u.tuple == t.tuple && type_equal(u, t) && type_tuple_def(u) == d,
	      "the same elements: one layout");
	e[1] = type_str(2);
	u = type_tuple(4, e);
	CHECK(u.tuple != t.tuple && !type_equal(u, t) && u.size == t.size,
	      "string[2] for string[1]: another layout of the same size");
	e[1] = type_str(1);
	e[3] = t_ptr(AS_USER);
	u = type_tuple(4, e);
	CHECK(!type_equal(u, t) && u.size == 40, "a pointer for a usym: %s", name(u));
	e[3] = t_ptr(AS_KERNEL);
	CHECK(!type_equal(type_tuple(4, e), u),
	      "a kernel pointer element is another layout than a user one");
	CHECK(!type_equal(type_tuple(3, e), type_tuple(4, e)), "three elements, not four");

	/* a tuple holds a tuple: its size is the inner one's */
	e[0] = t;
	e[1] = type_int(8, false);
	u = type_tuple(2, e);
	d = type_tuple_def(u);
	CHECK(d && d->off[1] == 48 && d->size == 56, "a nested tuple takes its size: %s",
	      name(u));

	for (int i = 0; i <= TUPLE_MAX; i++)
		e[i] = type_int(8, true);
	t = type_tuple(TUPLE_MAX, e);
	CHECK(t.kind == TYPE_TUPLE && t.size == TUPLE_MAX * 8, "%d elements fit", TUPLE_MAX);
	CHECK(type_tuple(TUPLE_MAX + 1, e).kind == TYPE_NONE, "%d do not", TUPLE_MAX + 1);

	CHECK(type_tuple_def(type_int(8, true)) == NULL, "an integer has no layout");
	CHECK(type_tuple_def((struct type){ .kind = TYPE_TUPLE }) == NULL,
	      "nor a tuple type whose layout was never given");
}

int main(void)
{
	test_names();
	test_tuple_names();
	test_equal();
	test_unify();
	test_unify_tuples();
	test_tuple_layout();
	return unit_done("test_type");
}
