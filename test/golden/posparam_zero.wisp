// $0 is no positional parameter: it once read the word before $1 on
// the command line (the program text), or a NULL
BEGIN { printf("%d %s\n", $0, $1); }
