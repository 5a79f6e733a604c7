BEGIN { $t = (1, "a"); printf("%d\n", $t.2); $u = $t->0; @m = (1, 2); @m = (1, "x"); }
BEGIN { $s = (1, "ab"); $s = (2, "abcdef"); $v = (1, printf("x")); @a = hist(1); $w = (@a, 1); }
