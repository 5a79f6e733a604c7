// C declarations in a program: laid out for the target (x86_64 here),
// then sizeof and offsetof of them folded to constants
#include <linux/fs.h>
#define LOOKUP_RCU 0x0040

struct qstr {
	union {
		struct {
			u32 hash;
			u32 len;
		};
		u64 hash_len;
	};
	const unsigned char *name;
};

struct path;    /* only behind pointers */
struct nameidata {
	struct path *path;
	struct qstr last;
	unsigned int flags:3, state:2;
	unsigned :0;
	struct inner { short s; char t[3]; } in;
	long slots[2][3];
	void (*done)(struct nameidata *);
	enum depth { SHALLOW, DEEP = 7, DEEPER } depth;
	char name[DEEPER * 2];
};
typedef struct nameidata nd_t, *ndp_t;
union num { char c; long long ll; };
enum { FLAG_A = 1 << 3, FLAG_B };

BEGIN {
	printf("%d %d\n", sizeof(struct nameidata), sizeof(nd_t));
	printf("%d %d\n", offsetof(struct nameidata, last.len), offsetof(struct nameidata, slots[1][2]));
	printf("%d %d %d\n", sizeof(ndp_t), sizeof(comm), sizeof(u16));
	printf("%d\n", offsetof(struct qstr, name) + sizeof(union num *));
	exit();
}
