; BEGIN: asm
   0: r6 = r1
   1: *(u32 *)(r10 -8) = 0
   2: r1 = map[@.scratch4]
   4: r2 = r10
   5: r2 += -8
   6: call bpf_map_lookup_elem#1
   7: if r0 == 0x0 goto pc+17
   8: *(u64 *)(r0 +0) = 2
   9: *(u64 *)(r0 +8) = 1
  10: r1 = map[@m]
  12: r2 = r0
  13: r2 += 8
  14: r3 = r0
  15: r4 = 0
  16: call bpf_map_update_elem#2
  17: *(u64 *)(r10 -16) = r6
  18: r1 = map[@m]
  20: r2 = func pc+6
  22: r3 = r10
  23: r4 = 0
  24: call bpf_for_each_map_elem#164
  25: r0 = 0
  26: exit
  27: r6 = r2
  28: r7 = r3
  29: *(u32 *)(r10 -8) = 0
  30: r1 = map[@.scratch4]
  32: r2 = r10
  33: r2 += -8
  34: call bpf_map_lookup_elem#1
  35: r8 = r0
  36: if r8 == 0x0 goto pc+28
  37: r0 = *(u64 *)(r6 +0)
  38: *(u64 *)(r8 +0) = r0
  39: r0 = *(u64 *)(r7 +0)
  40: *(u64 *)(r8 +8) = r0
  41: *(u64 *)(r8 +24) = 0
  42: r1 = map[@s]
  44: r2 = r8
  45: r2 += 24
  46: call bpf_map_lookup_elem#1
  47: r1 = 0
  48: if r0 == 0x0 goto pc+1
  49: r1 = *(u64 *)(r0 +0)
  50: r0 = r1
  51: r1 = *(u64 *)(r8 +8)
  52: r0 += r1
  53: *(u64 *)(r8 +16) = r0
  54: *(u64 *)(r8 +24) = 0
  55: r1 = map[@s]
  57: r2 = r8
  58: r2 += 24
  59: r3 = r8
  60: r3 += 16
  61: r4 = 0
  62: call bpf_map_update_elem#2
  63: r0 = 0
  64: exit
  65: r0 = 1
  66: exit
