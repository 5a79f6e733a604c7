// errors of sizeof and offsetof on declared types
struct later;
struct s { int a; struct { char b; unsigned f:3; }; char arr[4]; };
BEGIN {
	printf("%d\n", sizeof(struct later));
	printf("%d\n", offsetof(struct s, c));
	printf("%d\n", offsetof(struct s, arrr));
	printf("%d\n", offsetof(struct s, f));
	printf("%d\n", offsetof(struct s, a.x));
	printf("%d\n", offsetof(struct s, arr[4]));
	printf("%d\n", sizeof(struct nope *));
	printf("%d\n", sizeof(void));
	printf("%d\n", sizeof(count()));
}
