// What a 5.4 kernel cannot run is refused when compiling, naming the
// kernel that has it (old_kernel.target).
BEGIN { @m[1] = 1; for ($kv : @m) { printf("%d\n", $kv.0); } }
BEGIN { @n[2] = 2; $l = len(@n); }
BEGIN { @c = count(); if (@c > 1) { exit(); } }
