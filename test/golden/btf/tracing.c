/* tracing.c - the functions and tracepoint prototypes the golden tests
 * of fentry, fexit and rawtracepoint name (btf btf/tracing.btf in
 * fentry.target), in the kernel's shapes. tracing.btf is made from it
 * with gcc 12 (test/golden/btf/make-tracing.sh):
 *   gcc -gbtf -c tracing.c -o tracing.o && objcopy --dump-section .BTF=tracing.btf tracing.o
 */
#include <stdbool.h>

typedef long ssize_t;
typedef unsigned long size_t;
typedef long long loff_t;

struct file { loff_t f_pos; };
struct task_struct { int pid; char comm[16]; };
struct pt_regs { unsigned long di, si; };

ssize_t vfs_read(struct file *file, char *buf, size_t count, loff_t *pos) { return count; }
int security_file_open(struct file *file) { return 0; }
void synchronize_rcu(void) { }

/* A tracepoint's probe functions get its arguments after void *__data:
 * the typedef of the kernel's tracepoint macros has no names, the
 * event class's function has them. */
typedef void (*btf_trace_sched_switch)(void *, bool, struct task_struct *,
				       struct task_struct *, unsigned int);
typedef void (*btf_trace_sched_wakeup)(void *, struct task_struct *);
typedef void (*btf_trace_sys_enter)(void *, struct pt_regs *, long);

void __bpf_trace_sched_switch(void *__data, bool preempt,
			      struct task_struct *prev,
			      struct task_struct *next,
			      unsigned int prev_state) { }
void __bpf_trace_sched_wakeup_template(void *__data, struct task_struct *p) { }
void __bpf_trace_sys_enter(void *__data, struct pt_regs *regs, long id) { }

btf_trace_sched_switch t1;
btf_trace_sched_wakeup t2;
btf_trace_sys_enter t3;
