; BEGIN: asm
   0: r6 = r1
   1: *(u32 *)(r10 -8) = 0
   2: r1 = map[@.scratch4]
   4: r2 = r10
   5: r2 += -8
   6: call bpf_map_lookup_elem#1
   7: r7 = r0
   8: if r7 == 0x0 goto pc+28
   9: *(u64 *)(r7 +0) = 2
  10: *(u64 *)(r7 +8) = 1
  11: r1 = map[@m]
  13: r2 = r7
  14: r2 += 8
  15: r3 = r7
  16: r4 = 0
  17: call bpf_map_update_elem#2
  18: if r0 == 0x0 goto pc+10
  19: *(u32 *)(r7 +16) = 3
  20: r1 = map[@.lost]
  22: r2 = r7
  23: r2 += 16
  24: call bpf_map_lookup_elem#1
  25: if r0 == 0x0 goto pc+3
  26: r1 = *(u64 *)(r0 +0)
  27: r1 += 1
  28: *(u64 *)(r0 +0) = r1
  29: *(u64 *)(r10 -16) = r6
  30: r1 = map[@m]
  32: r2 = func pc+6
  34: r3 = r10
  35: r4 = 0
  36: call bpf_for_each_map_elem#164
  37: r0 = 0
  38: exit
  39: r6 = r2
  40: r7 = r3
  41: *(u32 *)(r10 -8) = 0
  42: r1 = map[@.scratch4]
  44: r2 = r10
  45: r2 += -8
  46: call bpf_map_lookup_elem#1
  47: r8 = r0
  48: if r8 == 0x0 goto pc+39
  49: r0 = *(u64 *)(r6 +0)
  50: *(u64 *)(r8 +0) = r0
  51: r0 = *(u64 *)(r7 +0)
  52: *(u64 *)(r8 +8) = r0
  53: *(u64 *)(r8 +24) = 0
  54: r1 = map[@s]
  56: r2 = r8
  57: r2 += 24
  58: call bpf_map_lookup_elem#1
  59: r1 = 0
  60: if r0 == 0x0 goto pc+1
  61: r1 = *(u64 *)(r0 +0)
  62: r0 = r1
  63: r1 = *(u64 *)(r8 +8)
  64: r0 += r1
  65: *(u64 *)(r8 +16) = r0
  66: *(u64 *)(r8 +24) = 0
  67: r1 = map[@s]
  69: r2 = r8
  70: r2 += 24
  71: r3 = r8
  72: r3 += 16
  73: r4 = 0
  74: call bpf_map_update_elem#2
  75: if r0 == 0x0 goto pc+10
  76: *(u32 *)(r8 +32) = 4
  77: r1 = map[@.lost]
  79: r2 = r8
  80: r2 += 32
  81: call bpf_map_lookup_elem#1
  82: if r0 == 0x0 goto pc+3
  83: r1 = *(u64 *)(r0 +0)
  84: r1 += 1
  85: *(u64 *)(r0 +0) = r1
  86: r0 = 0
  87: exit
  88: r0 = 1
  89: exit
