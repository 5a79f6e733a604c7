; BEGIN: asm
   0: *(u64 *)(r10 -16) = 16
   1: *(u64 *)(r10 -8) = 42
   2: r2 = map[@.events]
   4: w3 = -1
   5: r4 = r10
   6: r4 += -16
   7: r5 = 16
   8: call bpf_perf_event_output#25
   9: if r0 == 0x0 goto pc+10
  10: *(u32 *)(r10 -24) = 0
  11: r1 = map[@.lost]
  13: r2 = r10
  14: r2 += -24
  15: call bpf_map_lookup_elem#1
  16: if r0 == 0x0 goto pc+3
  17: r1 = *(u64 *)(r0 +0)
  18: r1 += 1
  19: *(u64 *)(r0 +0) = r1
  20: r0 = 0
  21: exit
; tracepoint:syscalls:sys_enter_openat: asm
   0: r6 = r1
   1: *(u64 *)(r10 -72) = 17
   2: r3 = *(u64 *)(r6 +24)
   3: r1 = r10
   4: r1 += -64
   5: r2 = 64
   6: call bpf_probe_read_user_str#114
   7: if r0 != 0x40 goto pc+10
   8: *(u32 *)(r10 -80) = 1
   9: r1 = map[@.lost]
  11: r2 = r10
  12: r2 += -80
  13: call bpf_map_lookup_elem#1
  14: if r0 == 0x0 goto pc+3
  15: r1 = *(u64 *)(r0 +0)
  16: r1 += 1
  17: *(u64 *)(r0 +0) = r1
  18: r1 = r6
  19: r2 = map[@.events]
  21: w3 = -1
  22: r4 = r10
  23: r4 += -72
  24: r5 = 72
  25: call bpf_perf_event_output#25
  26: if r0 == 0x0 goto pc+10
  27: *(u32 *)(r10 -80) = 0
  28: r1 = map[@.lost]
  30: r2 = r10
  31: r2 += -80
  32: call bpf_map_lookup_elem#1
  33: if r0 == 0x0 goto pc+3
  34: r1 = *(u64 *)(r0 +0)
  35: r1 += 1
  36: *(u64 *)(r0 +0) = r1
  37: r0 = 0
  38: exit
