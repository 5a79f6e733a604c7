; tracepoint:syscalls:sys_exit_read: asm
   0: r6 = r1
   1: r1 = r10
   2: r1 += -16
   3: r2 = 16
   4: call bpf_get_current_comm#16
   5: r0 = *(u8 *)(r10 -16)
   6: if r0 != 0x64 goto pc+39
   7: r0 = *(u8 *)(r10 -15)
   8: if r0 != 0x64 goto pc+37
   9: r0 = *(u8 *)(r10 -14)
  10: if r0 != 0x0 goto pc+35
  11: r0 = *(u64 *)(r6 +16)
  12: r1 = 0
  13: if r0 s< 0x0 goto pc+22
  14: r1 = 1
  15: if r0 == 0x0 goto pc+20
  16: r1 = 2
  17: r2 = r0
  18: r0 >>= 32
  19: if r0 == 0x0 goto pc+2
  20: r1 = 34
  21: r2 = r0
  22: if r2 < 0x10000 goto pc+2
  23: r2 >>= 16
  24: r1 += 16
  25: if r2 < 0x100 goto pc+2
  26: r2 >>= 8
  27: r1 += 8
  28: if r2 < 0x10 goto pc+2
  29: r2 >>= 4
  30: r1 += 4
  31: if r2 < 0x4 goto pc+2
  32: r2 >>= 2
  33: r1 += 2
  34: if r2 < 0x2 goto pc+1
  35: r1 += 1
  36: *(u32 *)(r10 -24) = r1
  37: r1 = map[@bytes]
  39: r2 = r10
  40: r2 += -24
  41: call bpf_map_lookup_elem#1
  42: if r0 == 0x0 goto pc+3
  43: r1 = *(u64 *)(r0 +0)
  44: r1 += 1
  45: *(u64 *)(r0 +0) = r1
  46: r0 = 0
  47: exit
