// the semantic pass on printf() and print(): the format, its arguments,
// what print() takes; sema reports every error, one a statement
BEGIN {
	printf(1);
	printf("%d %d\n", 1);
	printf("%q\n", 1);
	printf("%s\n", 1);
	printf("%v\n", exit());
	print(1, 2);
	print(exit());
	print();
	@m[1] = 1;
	print(@m, 1, 2, 3);
	print(@m, -1);
	print(@m, 1, pid);
	print(@never);
}
