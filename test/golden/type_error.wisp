BEGIN { @x = count(); @x = 1; @y = comm + 1; printf("%d\n", comm); }
