// printf from BEGIN: a record with an int and a string, the ring buffer output
BEGIN { printf("%d %s\n", 42, "hi"); }
