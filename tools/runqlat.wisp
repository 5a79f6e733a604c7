#!/usr/bin/env wisp
// runqlat: how long runnable tasks wait for a CPU (run queue latency),
// as a histogram of microseconds, when it ends (Ctrl-C).
BEGIN { printf("Tracing CPU scheduler... Hit Ctrl-C to end.\n"); }

tracepoint:sched:sched_wakeup, tracepoint:sched:sched_wakeup_new {
	@qtime[args->pid] = nsecs;
}

tracepoint:sched:sched_switch {
	// a task preempted while runnable (TASK_RUNNING) waits again from now
	if (args->prev_state == 0) {
		@qtime[args->prev_pid] = nsecs;
	}
	$ns = @qtime[args->next_pid];
	if ($ns) {
		@usecs = hist((nsecs - $ns) / 1000);
	}
	delete(@qtime[args->next_pid]);
}

END { clear(@qtime); }
