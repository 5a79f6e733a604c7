/* test_ctype.c - the C type table of src/lang/ctype.c: interning (one
 * type per shape), structs with nested anonymous members and bitfields,
 * enums, typedefs, names as C writes them; and pointer types of the
 * language (type.c) that know their pointee. */
#include <string.h>

#include "lang/ctype.h"
#include "lang/type.h"
#include "unit.h"

static const char *cname(const struct ctype *t)
{
	static char buf[256];

	return ctype_name(t, buf, sizeof(buf));
}

static void test_interning(void)
{
	const struct ctype *u32 = ctype_int(4, false), *c = ctype_char();

	CHECK(u32 == ctype_int(4, false) && u32 != ctype_int(4, true),
	      "one uint32, and int32 another");
	CHECK(c != ctype_int(1, true), "char is not int8");
	CHECK(!ctype_is_char(ctype_int(1, false)), "nor is uint8 a char");
	CHECK(ctype_classify(ctype_array(c, 8)) == CC_CHARS &&
		      ctype_classify(ctype_array(ctype_int(1, false), 8)) == CC_BYTES,
	      "char[8] is a string, uint8[8] bytes");
	CHECK(ctype_ptr(c, AS_USER, 8) == ctype_ptr(c, AS_USER, 8), "one char * of user memory");
	CHECK(ctype_ptr(c, AS_USER, 8) != ctype_ptr(c, AS_KERNEL, 8), "user and kernel pointers differ");
	CHECK(ctype_ptr(c, AS_USER, 4) != ctype_ptr(c, AS_USER, 8), "a 32-bit pointer differs");
	CHECK(ctype_array(c, 16) == ctype_array(c, 16) && ctype_array(c, 16)->size == 16,
	      "char[16], 16 bytes");
	CHECK(ctype_array(u32, 4)->size == 16, "uint32[4] is 16 bytes");
	CHECK(ctype_ptr(NULL, AS_KERNEL, 8)->ref == ctype_void(), "an unknown pointee is void");
	CHECK_STR(cname(ctype_ptr(c, AS_USER, 8)), "char *");
	CHECK_STR(cname(ctype_ptr(ctype_ptr(c, AS_USER, 8), AS_USER, 8)), "char **");
	CHECK_STR(cname(ctype_array(u32, 4)), "uint32[4]");
	CHECK_STR(cname(ctype_dataloc(c)), "__data_loc char[]");
	CHECK(ctype_is_char(c) && ctype_is_int(u32) && !ctype_is_int(ctype_ptr(c, AS_USER, 8)) &&
	      ctype_is_ptr(ctype_ptr(c, AS_USER, 8)), "predicates");
}

static void test_structs(void)
{
	struct ctype *sock = ctype_new(CT_STRUCT, "wisp_test_sock", 24);
	struct ctype *common = ctype_new(CT_STRUCT, NULL, 8);
	struct ctype *anon = ctype_new(CT_UNION, NULL, 4);
	const struct ctype *td;
	const struct cmember *m;
	const char *names[8];
	unsigned off = 99, n;

	CHECK(sock && common && anon, "made");
	if (!sock || !common || !anon)
		return;
	ctype_add_member(common, "skc_daddr", ctype_int(4, false), 0, 0, 0);
	ctype_add_member(common, "skc_rcv_saddr", ctype_int(4, false), 4, 0, 0);
	ctype_add_member(anon, "sk_flags", ctype_int(4, false), 0, 0, 0);
	ctype_add_member(sock, "__sk_common", common, 0, 0, 0);
	ctype_add_member(sock, "", anon, 8, 0, 0);
	ctype_add_member(sock, "sk_state", ctype_int(1, false), 12, 0, 0);
	ctype_add_member(sock, "sk_shutdown", ctype_int(1, false), 13, 2, 2);
	ctype_register(sock);

	CHECK(ctype_find(CT_STRUCT, "wisp_test_sock") == sock, "found by name");
	CHECK(!ctype_find(CT_UNION, "wisp_test_sock"), "a struct is not a union");
	CHECK_STR(cname(sock), "struct wisp_test_sock");
	CHECK_STR(cname(ctype_ptr(sock, AS_KERNEL, 8)), "struct wisp_test_sock *");
	m = ctype_member(sock, "sk_state", &off);
	CHECK(m && off == 12 && m->type->size == 1, "a member at 12: %u", off);
	m = ctype_member(sock, "sk_flags", &off);
	CHECK(m && off == 8, "an anonymous union's member, at its offset: %u", off);
	m = ctype_member(sock, "sk_shutdown", &off);
	CHECK(m && off == 13 && m->bit_off == 2 && m->bit_size == 2, "a bitfield");
	m = ctype_member(sock, "__sk_common", &off);
	CHECK(m && ctype_member(m->type, "skc_rcv_saddr", &off) && off == 4,
	      "a nested struct's member");
	CHECK(!ctype_member(sock, "sk_foo", &off), "no sk_foo");
	CHECK(!ctype_member(ctype_int(4, false), "x", &off), "an int has no members");
	n = ctype_member_names(sock, names, 8);
	CHECK(n == 4 && !strcmp(names[1], "sk_flags"), "names, the anonymous union's inside: %u", n);

	td = ctype_typedef("wisp_sock_t", sock);
	CHECK(ctype_resolve(td) == sock && td->size == 24, "a typedef resolves");
	CHECK(ctype_member(td, "sk_state", &off) && off == 12, "members through a typedef");
	CHECK_STR(cname(td), "wisp_sock_t");
}

static void test_enums(void)
{
	struct ctype *e = ctype_new(CT_ENUM, "wisp_test_state", 4);
	int64_t v = 0;

	CHECK(e != NULL, "made");
	if (!e)
		return;
	e->is_signed = true;
	ctype_add_const(e, "WISP_RUNNING", 0);
	ctype_add_const(e, "WISP_STOPPED", -4);
	CHECK(!ctype_enum_const("WISP_STOPPED", &v), "not found before it is registered");
	ctype_register(e);
	CHECK(ctype_enum_const("WISP_STOPPED", &v) && v == -4, "a negative constant");
	CHECK(ctype_enum_const("WISP_RUNNING", &v) && v == 0, "zero");
	CHECK(!ctype_enum_const("WISP_ZOMBIE", &v), "unknown");
	CHECK(ctype_is_int(e), "an enum is an integer");
	CHECK_STR(cname(e), "enum wisp_test_state");
}

/* Pointers of the language carry their pointee: two pointers are one
 * type when both the memory and the pointee are the same; a local that
 * holds both keeps an address of unknown type. */
static void test_pointer_types(void)
{
	struct ctype *s = ctype_new(CT_STRUCT, "wisp_test_task", 8);
	struct type a = { .kind = TYPE_PTR, .size = 8, .as = AS_KERNEL, .ct = s };
	struct type b = { .kind = TYPE_PTR, .size = 8, .as = AS_KERNEL, .ct = ctype_char() };
	struct type u;

	CHECK(type_equal(a, a) && !type_equal(a, b), "the pointee counts");
	CHECK(type_unify(a, b, &u) && u.ct == NULL && u.as == AS_KERNEL,
	      "unified: an address of unknown type");
	b.as = AS_USER;
	CHECK(!type_unify(a, b, &u), "not across memories");
}

int main(void)
{
	test_interning();
	test_structs();
	test_enums();
	test_pointer_types();
	return unit_done("test_ctype");
}
