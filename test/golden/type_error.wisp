BEGIN { @x = count(); @x = 1; @y = comm + 1; printf("%d\n", comm); }
BEGIN { @s = kstack; @s = ustack; $u = ustack; $u = kstack; @k[kstack] = 1; @k[ustack] = 2; print($u); }
