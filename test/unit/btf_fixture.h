/* btf_fixture.h - C types that test_btf.c compiles with `gcc -gbtf` at
 * test time (with BTF_FIXTURE_EMIT, so that the types are used and the
 * compiler describes them) and includes itself, to compare what wisp
 * reads from the BTF with what the compiler lays out. */
#ifndef BTF_FIXTURE_H
#define BTF_FIXTURE_H

struct fix_node;

typedef unsigned long fix_ulong;
typedef fix_ulong fix_size;

enum fix_colour { FIX_RED, FIX_GREEN = 5, FIX_BLUE = 1000000 };
enum fix_signed { FIX_NEG = -3, FIX_POS = 7 };

struct fix_node {
	int id;
	char tag;
	unsigned flag_a : 3, flag_b : 5;
	unsigned char wide : 7;
	long long big : 40;
	int sign : 4;
	struct fix_node *next;
	union {
		long as_long;
		short as_short;
	};
	struct {
		int inner_x, inner_y;
	} pair;
	char name[16];
	unsigned short grid[3][4];
	const volatile fix_size sz;
	enum fix_colour colour;
	void (*callback)(struct fix_node *n, int why);
	double ratio;
	struct fix_opaque *opaque;
};

union fix_u {
	unsigned int word;
	unsigned char bytes[4];
	struct fix_node *node;
};

typedef struct fix_node fix_node_t;

#ifdef BTF_FIXTURE_EMIT
long fix_func(struct fix_node *node, const char *label, unsigned count)
{
	return node->id + *label + count;
}
int fix_variadic(int first, ...)
{
	return first;
}
fix_node_t fix_g;
union fix_u fix_gu;
enum fix_signed fix_gs;
#endif

#endif

