#!/usr/bin/env wisp
// biolatency: block I/O latency, from the request's issue to its
// completion, as a histogram of microseconds, when it ends (Ctrl-C).
BEGIN { printf("Tracing block device I/O... Hit Ctrl-C to end.\n"); }

tracepoint:block:block_rq_issue {
	@start[args->dev, args->sector] = nsecs;
}

tracepoint:block:block_rq_complete /@start[args->dev, args->sector]/ {
	@usecs = hist((nsecs - @start[args->dev, args->sector]) / 1000);
	delete(@start[args->dev, args->sector]);
}

END { clear(@start); }
