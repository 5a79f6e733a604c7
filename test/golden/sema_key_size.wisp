// a map whose keys are longer than the kernel allows: found once the
// layouts are known, after every other check passed
BEGIN { @[str(curtask, 600)] = 1; }
