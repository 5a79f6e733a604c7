// errors in C declarations, each located and naming the type
struct dup { int a; union { int b; char a; }; long b; };
struct unknown { struct nowhere n; mytype_t t; };
struct later;
struct by_value { struct later l; };
struct sizes { char neg[-1]; char huge[1 << 30][4]; int ok; };
struct bits { char c:9; int w:33; long ok:64; int z:0; struct dup *p:3; };
struct twice { int a; };
struct twice { int b; };
struct fn { void f(int); void *v[CONST_X]; };
struct twice variable;
typedef int t1;
typedef long t1;
enum e { E1, E2, E1 };
BEGIN { exit(); }
