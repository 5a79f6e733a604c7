; BEGIN: asm
   0: r6 = r1
   1: *(u32 *)(r10 -8) = 0
   2: r1 = map[@.scratch4]
   4: r2 = r10
   5: r2 += -8
   6: call bpf_map_lookup_elem#1
   7: if r0 == 0x0 goto pc+22
   8: *(u64 *)(r0 +0) = 2
   9: *(u64 *)(r0 +8) = 1
  10: r1 = map[@m]
  12: r2 = r0
  13: r2 += 8
  14: r3 = r0
  15: r4 = 0
  16: call bpf_map_update_elem#2
  17: if r0 == 0x0 goto pc+4
  18: r0 = map[@.lost][0]+24
  20: r1 = 1
  21: lock *(u64 *)(r0 +0) += r1
  22: *(u64 *)(r10 -16) = r6
  23: r1 = map[@m]
  25: r2 = func pc+6
  27: r3 = r10
  28: r4 = 0
  29: call bpf_for_each_map_elem#164
  30: r0 = 0
  31: exit
  32: r6 = r2
  33: r7 = r3
  34: *(u32 *)(r10 -8) = 0
  35: r1 = map[@.scratch4]
  37: r2 = r10
  38: r2 += -8
  39: call bpf_map_lookup_elem#1
  40: r8 = r0
  41: if r8 == 0x0 goto pc+33
  42: r0 = *(u64 *)(r6 +0)
  43: *(u64 *)(r8 +0) = r0
  44: r0 = *(u64 *)(r7 +0)
  45: *(u64 *)(r8 +8) = r0
  46: *(u64 *)(r8 +24) = 0
  47: r1 = map[@s]
  49: r2 = r8
  50: r2 += 24
  51: call bpf_map_lookup_elem#1
  52: r1 = 0
  53: if r0 == 0x0 goto pc+1
  54: r1 = *(u64 *)(r0 +0)
  55: r0 = r1
  56: r1 = *(u64 *)(r8 +8)
  57: r0 += r1
  58: *(u64 *)(r8 +16) = r0
  59: *(u64 *)(r8 +24) = 0
  60: r1 = map[@s]
  62: r2 = r8
  63: r2 += 24
  64: r3 = r8
  65: r3 += 16
  66: r4 = 0
  67: call bpf_map_update_elem#2
  68: if r0 == 0x0 goto pc+4
  69: r0 = map[@.lost][0]+32
  71: r1 = 1
  72: lock *(u64 *)(r0 +0) += r1
  73: r0 = 0
  74: exit
  75: r0 = 1
  76: exit
