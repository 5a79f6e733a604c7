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
  32: *(u32 *)(r10 -8) = 0
  33: r1 = map[@.scratch4]
  35: r2 = r10
  36: r2 += -8
  37: call bpf_map_lookup_elem#1
  38: r8 = r0
  39: if r8 == 0x0 goto pc+28
  40: r0 = *(u64 *)(r6 +0)
  41: *(u64 *)(r8 +0) = r0
  42: r0 = *(u64 *)(r7 +0)
  43: *(u64 *)(r8 +8) = r0
  44: *(u64 *)(r8 +24) = 0
  45: r1 = map[@s]
  47: r2 = r8
  48: r2 += 24
  49: call bpf_map_lookup_elem#1
  50: r1 = 0
  51: if r0 == 0x0 goto pc+1
  52: r1 = *(u64 *)(r0 +0)
  53: r0 = r1
  54: r1 = *(u64 *)(r8 +8)
  55: r0 += r1
  56: *(u64 *)(r8 +16) = r0
  57: *(u64 *)(r8 +24) = 0
  58: r1 = map[@s]
  60: r2 = r8
  61: r2 += 24
  62: r3 = r8
  63: r3 += 16
  64: r4 = 0
  65: call bpf_map_update_elem#2
  66: r0 = 0
  67: exit
  68: r0 = 1
  69: exit
