; tracepoint:syscalls:sys_enter_getppid: asm
   0: call bpf_ktime_get_ns#5
   1: *(u64 *)(r10 -8) = r0
   2: call bpf_get_current_pid_tgid#14
   3: w0 = w0
   4: *(u64 *)(r10 -16) = r0
   5: r1 = map[@start]
   7: r2 = r10
   8: r2 += -16
   9: r3 = r10
  10: r3 += -8
  11: r4 = 0
  12: call bpf_map_update_elem#2
  13: r0 = 0
  14: exit
; tracepoint:syscalls:sys_exit_getppid: asm
   0: call bpf_get_current_pid_tgid#14
   1: w6 = w0
   2: *(u64 *)(r10 -8) = r6
   3: r1 = map[@start]
   5: r2 = r10
   6: r2 += -8
   7: call bpf_map_lookup_elem#1
   8: r1 = 0
   9: if r0 == 0x0 goto pc+1
  10: r1 = *(u64 *)(r0 +0)
  11: if r1 == 0x0 goto pc+63
  12: call bpf_ktime_get_ns#5
  13: r7 = r0
  14: *(u64 *)(r10 -8) = r6
  15: r1 = map[@start]
  17: r2 = r10
  18: r2 += -8
  19: call bpf_map_lookup_elem#1
  20: r1 = 0
  21: if r0 == 0x0 goto pc+1
  22: r1 = *(u64 *)(r0 +0)
  23: r7 -= r1
  24: r0 = 0
  25: if r7 s< 0x0 goto pc+23
  26: r0 = 1
  27: if r7 == 0x0 goto pc+21
  28: r0 = 2
  29: r1 = r7
  30: r2 = r7
  31: r2 >>= 32
  32: if r2 == 0x0 goto pc+2
  33: r0 += 32
  34: r1 = r2
  35: if r1 < 0x10000 goto pc+2
  36: r1 >>= 16
  37: r0 += 16
  38: if r1 < 0x100 goto pc+2
  39: r1 >>= 8
  40: r0 += 8
  41: if r1 < 0x10 goto pc+2
  42: r1 >>= 4
  43: r0 += 4
  44: if r1 < 0x4 goto pc+2
  45: r1 >>= 2
  46: r0 += 2
  47: if r1 < 0x2 goto pc+1
  48: r0 += 1
  49: *(u64 *)(r10 -8) = r0
  50: r1 = map[@]
  52: r2 = r10
  53: r2 += -8
  54: call bpf_map_lookup_elem#1
  55: if r0 == 0x0 goto pc+4
  56: r1 = *(u64 *)(r0 +0)
  57: r1 += 1
  58: *(u64 *)(r0 +0) = r1
  59: goto pc+9
  60: *(u64 *)(r10 -16) = 1
  61: r1 = map[@]
  63: r2 = r10
  64: r2 += -8
  65: r3 = r10
  66: r3 += -16
  67: r4 = 0
  68: call bpf_map_update_elem#2
  69: *(u64 *)(r10 -8) = r6
  70: r1 = map[@start]
  72: r2 = r10
  73: r2 += -8
  74: call bpf_map_delete_elem#3
  75: r0 = 0
  76: exit
