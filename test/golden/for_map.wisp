BEGIN { @m[1] = 2; for ($kv : @m) { @s += $kv.1; } }
