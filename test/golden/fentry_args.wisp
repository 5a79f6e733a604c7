// fexit's context: the parameters in u64 slots (count is the third,
// at 16), the return value in the slot after the last (32); argN by
// position; a narrower parameter (int) read with its size
fexit:vfs_read /args.count > 100/ { @r = sum(retval); @a = sum(arg2); }
fentry:security_file_open { @f[args->file] = count(); }
fexit:security_file_open { @e = hist(retval); }
