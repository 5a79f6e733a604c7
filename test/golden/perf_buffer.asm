; BEGIN: asm
   0: *(u64 *)(r10 -16) = 16
   1: *(u64 *)(r10 -8) = 42
   2: r2 = map[@.events]
   4: w3 = -1
   5: r4 = r10
   6: r4 += -16
   7: r5 = 16
   8: call bpf_perf_event_output#25
   9: if r0 == 0x0 goto pc+4
  10: r0 = map[@.lost][0]+0
  12: r1 = 1
  13: lock *(u64 *)(r0 +0) += r1
  14: r0 = 0
  15: exit
; tracepoint:syscalls:sys_enter_openat: asm
   0: r6 = r1
   1: *(u64 *)(r10 -72) = 17
   2: r3 = *(u64 *)(r6 +24)
   3: r1 = r10
   4: r1 += -64
   5: r2 = 64
   6: call bpf_probe_read_user_str#114
   7: if r0 != 0x40 goto pc+4
   8: r0 = map[@.lost][0]+8
  10: r1 = 1
  11: lock *(u64 *)(r0 +0) += r1
  12: r1 = r6
  13: r2 = map[@.events]
  15: w3 = -1
  16: r4 = r10
  17: r4 += -72
  18: r5 = 72
  19: call bpf_perf_event_output#25
  20: if r0 == 0x0 goto pc+4
  21: r0 = map[@.lost][0]+0
  23: r1 = 1
  24: lock *(u64 *)(r0 +0) += r1
  25: r0 = 0
  26: exit
