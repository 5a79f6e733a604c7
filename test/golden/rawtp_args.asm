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
  13: goto pc+20
  14: *(u64 *)(r10 -16) = 1
  15: r1 = map[@]
  17: r2 = r10
  18: r2 += -8
  19: r3 = r10
  20: r3 += -16
  21: r4 = 0
  22: call bpf_map_update_elem#2
  23: if r0 == 0x0 goto pc+10
  24: *(u32 *)(r10 -24) = 3
  25: r1 = map[@.lost]
  27: r2 = r10
  28: r2 += -24
  29: call bpf_map_lookup_elem#1
  30: if r0 == 0x0 goto pc+3
  31: r1 = *(u64 *)(r0 +0)
  32: r1 += 1
  33: *(u64 *)(r0 +0) = r1
  34: r6 = *(u64 *)(r6 +16)
  35: *(u32 *)(r10 -8) = 0
  36: r1 = map[@p]
  38: r2 = r10
  39: r2 += -8
  40: call bpf_map_lookup_elem#1
  41: if r0 == 0x0 goto pc+3
  42: r1 = *(u64 *)(r0 +0)
  43: r1 += r6
  44: *(u64 *)(r0 +0) = r1
  45: r0 = 0
  46: exit
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
  11: goto pc+20
  12: *(u64 *)(r10 -16) = 1
  13: r1 = map[@w]
  15: r2 = r10
  16: r2 += -8
  17: r3 = r10
  18: r3 += -16
  19: r4 = 0
  20: call bpf_map_update_elem#2
  21: if r0 == 0x0 goto pc+10
  22: *(u32 *)(r10 -24) = 5
  23: r1 = map[@.lost]
  25: r2 = r10
  26: r2 += -24
  27: call bpf_map_lookup_elem#1
  28: if r0 == 0x0 goto pc+3
  29: r1 = *(u64 *)(r0 +0)
  30: r1 += 1
  31: *(u64 *)(r0 +0) = r1
  32: r0 = 0
  33: exit
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
  11: goto pc+20
  12: *(u64 *)(r10 -16) = 1
  13: r1 = map[@s]
  15: r2 = r10
  16: r2 += -8
  17: r3 = r10
  18: r3 += -16
  19: r4 = 0
  20: call bpf_map_update_elem#2
  21: if r0 == 0x0 goto pc+10
  22: *(u32 *)(r10 -24) = 6
  23: r1 = map[@.lost]
  25: r2 = r10
  26: r2 += -24
  27: call bpf_map_lookup_elem#1
  28: if r0 == 0x0 goto pc+3
  29: r1 = *(u64 *)(r0 +0)
  30: r1 += 1
  31: *(u64 *)(r0 +0) = r1
  32: r0 = 0
  33: exit
