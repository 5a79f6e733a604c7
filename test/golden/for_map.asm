; BEGIN: asm
   0: r6 = r1
   1: *(u32 *)(r10 -8) = 0
   2: r1 = map[@.scratch4]
   4: r2 = r10
   5: r2 += -8
   6: call bpf_map_lookup_elem#1
   7: if r0 == 0x0 goto pc+20
   8: r1 = 2
   9: *(u64 *)(r0 +0) = r1
  10: r1 = 1
  11: *(u64 *)(r0 +8) = r1
  12: r1 = map[@m]
  14: r2 = r0
  15: r2 += 8
  16: r3 = r0
  17: r3 += 0
  18: r4 = 0
  19: call bpf_map_update_elem#2
  20: *(u64 *)(r10 -16) = r6
  21: r1 = map[@m]
  23: r2 = 0x6 ll
  25: r3 = r10
  26: r4 = 0
  27: call bpf_for_each_map_elem#164
  28: r0 = 0
  29: exit
  30: r6 = r2
  31: r7 = r3
  32: r0 = *(u64 *)(r4 -16)
  33: *(u32 *)(r10 -8) = 0
  34: r1 = map[@.scratch4]
  36: r2 = r10
  37: r2 += -8
  38: call bpf_map_lookup_elem#1
  39: r8 = r0
  40: if r8 == 0x0 goto pc+28
  41: r0 = *(u64 *)(r6 +0)
  42: *(u64 *)(r8 +0) = r0
  43: r0 = *(u64 *)(r7 +0)
  44: *(u64 *)(r8 +8) = r0
  45: *(u64 *)(r8 +24) = 0
  46: r1 = map[@s]
  48: r2 = r8
  49: r2 += 24
  50: call bpf_map_lookup_elem#1
  51: r1 = 0
  52: if r0 == 0x0 goto pc+1
  53: r1 = *(u64 *)(r0 +0)
  54: r0 = r1
  55: r1 = *(u64 *)(r8 +8)
  56: r0 += r1
  57: *(u64 *)(r8 +16) = r0
  58: *(u64 *)(r8 +24) = 0
  59: r1 = map[@s]
  61: r2 = r8
  62: r2 += 24
  63: r3 = r8
  64: r3 += 16
  65: r4 = 0
  66: call bpf_map_update_elem#2
  67: r0 = 0
  68: exit
  69: r0 = 1
  70: exit
