BEGIN { @x = 1 +; }
tracepoint:syscalls:sys_enter_read { printf("%d\n" pid); }
interval:s:1 { exit() }
