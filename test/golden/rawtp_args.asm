; rawtracepoint:sched_switch: asm
   0: r6 = r1
   1: r0 = *(u32 *)(r6 +24)
   2: w0 = w0
   3: *(u64 *)(r10 -8) = r0
   4: r1 = map[@]
   6: r2 = r10
   7: r2 += -8
   8: call bpf_map_lookup_elem#1
   9: if r0 == 0x0 goto pc+4
  10: r1 = *(u64 *)(r0 +0)
  11: r1 += 1
  12: *(u64 *)(r0 +0) = r1
  13: goto pc+14
  14: *(u64 *)(r10 -16) = 1
  15: r1 = map[@]
  17: r2 = r10
  18: r2 += -8
  19: r3 = r10
  20: r3 += -16
  21: r4 = 0
  22: call bpf_map_update_elem#2
  23: if r0 == 0x0 goto pc+4
  24: r0 = map[@.lost][0]+24
  26: r1 = 1
  27: lock *(u64 *)(r0 +0) += r1
  28: r6 = *(u64 *)(r6 +16)
  29: *(u32 *)(r10 -8) = 0
  30: r1 = map[@p]
  32: r2 = r10
  33: r2 += -8
  34: call bpf_map_lookup_elem#1
  35: if r0 == 0x0 goto pc+3
  36: r1 = *(u64 *)(r0 +0)
  37: r1 += r6
  38: *(u64 *)(r0 +0) = r1
  39: r0 = 0
  40: exit
; rawtracepoint:sched_wakeup: asm
   0: r0 = *(u64 *)(r1 +0)
   1: *(u64 *)(r10 -8) = r0
   2: r1 = map[@w]
   4: r2 = r10
   5: r2 += -8
   6: call bpf_map_lookup_elem#1
   7: if r0 == 0x0 goto pc+4
   8: r1 = *(u64 *)(r0 +0)
   9: r1 += 1
  10: *(u64 *)(r0 +0) = r1
  11: goto pc+14
  12: *(u64 *)(r10 -16) = 1
  13: r1 = map[@w]
  15: r2 = r10
  16: r2 += -8
  17: r3 = r10
  18: r3 += -16
  19: r4 = 0
  20: call bpf_map_update_elem#2
  21: if r0 == 0x0 goto pc+4
  22: r0 = map[@.lost][0]+40
  24: r1 = 1
  25: lock *(u64 *)(r0 +0) += r1
  26: r0 = 0
  27: exit
; rawtracepoint:sys_enter: asm
   0: r0 = *(u64 *)(r1 +8)
   1: *(u64 *)(r10 -8) = r0
   2: r1 = map[@s]
   4: r2 = r10
   5: r2 += -8
   6: call bpf_map_lookup_elem#1
   7: if r0 == 0x0 goto pc+4
   8: r1 = *(u64 *)(r0 +0)
   9: r1 += 1
  10: *(u64 *)(r0 +0) = r1
  11: goto pc+14
  12: *(u64 *)(r10 -16) = 1
  13: r1 = map[@s]
  15: r2 = r10
  16: r2 += -8
  17: r3 = r10
  18: r3 += -16
  19: r4 = 0
  20: call bpf_map_update_elem#2
  21: if r0 == 0x0 goto pc+4
  22: r0 = map[@.lost][0]+48
  24: r1 = 1
  25: lock *(u64 *)(r0 +0) += r1
  26: r0 = 0
  27: exit
