// a misspelled builtin: file:line:col, the line, a caret, a suggestion
tracepoint:syscalls:sys_enter_openat {
	printf("%s\n", comn);
}
