fentry:vfs_raed { @g = count(); }
rt:sched_swich { @h = count(); }
fentry:wisp_* { @i = count(); }
