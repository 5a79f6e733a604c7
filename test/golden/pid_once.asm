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
  13: if r0 == 0x0 goto pc+4
  14: r0 = map[@.lost][0]+24
  16: r1 = 1
  17: lock *(u64 *)(r0 +0) += r1
  18: r0 = 0
  19: exit
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
  11: if r1 == 0x0 goto pc+52
  12: call bpf_ktime_get_ns#5
  13: r7 = r0
  14: r1 = map[@start]
  16: r2 = r10
  17: r2 += -8
  18: call bpf_map_lookup_elem#1
  19: r1 = 0
  20: if r0 == 0x0 goto pc+1
  21: r1 = *(u64 *)(r0 +0)
  22: r7 -= r1
  23: r0 = 0
  24: if r7 s< 0x0 goto pc+23
  25: r0 = 1
  26: if r7 == 0x0 goto pc+21
  27: r0 = 2
  28: r1 = r7
  29: r2 = r7
  30: r2 >>= 32
  31: if r2 == 0x0 goto pc+2
  32: r0 = 34
  33: r1 = r2
  34: if r1 < 0x10000 goto pc+2
  35: r1 >>= 16
  36: r0 += 16
  37: if r1 < 0x100 goto pc+2
  38: r1 >>= 8
  39: r0 += 8
  40: if r1 < 0x10 goto pc+2
  41: r1 >>= 4
  42: r0 += 4
  43: if r1 < 0x4 goto pc+2
  44: r1 >>= 2
  45: r0 += 2
  46: if r1 < 0x2 goto pc+1
  47: r0 += 1
  48: *(u32 *)(r10 -8) = r0
  49: r1 = map[@]
  51: r2 = r10
  52: r2 += -8
  53: call bpf_map_lookup_elem#1
  54: if r0 == 0x0 goto pc+3
  55: r1 = *(u64 *)(r0 +0)
  56: r1 += 1
  57: *(u64 *)(r0 +0) = r1
  58: *(u64 *)(r10 -8) = r6
  59: r1 = map[@start]
  61: r2 = r10
  62: r2 += -8
  63: call bpf_map_delete_elem#3
  64: r0 = 0
  65: exit
