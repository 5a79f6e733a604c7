// syntax errors in C declarations: the parser goes on after each
struct a { int x };
struct { int y; } ;
struct b { int z; }
BEGIN { printf("%d\n", sizeof(struct a)); }
struct c { int (*f(int); };
enum d { D1 = , D2 };
tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }
