#!/usr/bin/env wisp
// profile: the kernel stacks the CPUs are in, sampled 99 times a second
// on each, counted; the most frequent last, when it ends (Ctrl-C).
profile:hz:99 {
	@[kstack] = count();
}
