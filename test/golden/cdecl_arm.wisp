// the same kind of declarations on 32-bit ARM EABI: 4-byte pointers and
// long, 8-byte aligned long long, unnamed bitfields aligning the struct
struct pair { char c; long long v; };
struct ptrs { char c; void *p; long l; unsigned long ul; struct pair *next; };
struct bits { char c; int :3; char d; long long f:40; };
union num { char c; long long ll; long l; };
typedef unsigned long size2_t;

BEGIN {
	printf("%d %d %d\n", sizeof(struct pair), sizeof(struct ptrs), sizeof(size2_t));
	exit();
}
