; tracepoint:syscalls:sys_exit_read: asm
   0: r6 = r1
   1: r1 = r10
   2: r1 += -16
   3: r2 = 16
   4: call bpf_get_current_comm#16
   5: r0 = *(u8 *)(r10 -16)
   6: if r0 != 0x64 goto pc+60
   7: r0 = *(u8 *)(r10 -15)
   8: if r0 != 0x64 goto pc+58
   9: r0 = *(u8 *)(r10 -14)
  10: if r0 != 0x0 goto pc+56
  11: r0 = *(u64 *)(r6 +16)
  12: r1 = 0
  13: if r0 s< 0x0 goto pc+33
  14: r1 = 1
  15: if r0 == 0x0 goto pc+31
  16: r1 = 2
  17: r2 = r0
  18: r2 >>= 32
  19: if r2 == 0x0 goto pc+2
  20: r1 += 32
  21: r0 = r2
  22: r2 = r0
  23: r2 >>= 16
  24: if r2 == 0x0 goto pc+2
  25: r1 += 16
  26: r0 = r2
  27: r2 = r0
  28: r2 >>= 8
  29: if r2 == 0x0 goto pc+2
  30: r1 += 8
  31: r0 = r2
  32: r2 = r0
  33: r2 >>= 4
  34: if r2 == 0x0 goto pc+2
  35: r1 += 4
  36: r0 = r2
  37: r2 = r0
  38: r2 >>= 2
  39: if r2 == 0x0 goto pc+2
  40: r1 += 2
  41: r0 = r2
  42: r2 = r0
  43: r2 >>= 1
  44: if r2 == 0x0 goto pc+2
  45: r1 += 1
  46: r0 = r2
  47: *(u64 *)(r10 -24) = r1
  48: r1 = map[@bytes]
  50: r2 = r10
  51: r2 += -24
  52: call bpf_map_lookup_elem#1
  53: if r0 == 0x0 goto pc+4
  54: r1 = *(u64 *)(r0 +0)
  55: r1 += 1
  56: *(u64 *)(r0 +0) = r1
  57: goto pc+9
  58: *(u64 *)(r10 -32) = 1
  59: r1 = map[@bytes]
  61: r2 = r10
  62: r2 += -24
  63: r3 = r10
  64: r3 += -32
  65: r4 = 0
  66: call bpf_map_update_elem#2
  67: r0 = 0
  68: exit
