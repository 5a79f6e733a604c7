; BEGIN: asm
   0: call bpf_get_current_pid_tgid#14
   1: r6 = r0
   2: r6 >>= 32
   3: w7 = w0
   4: call bpf_ktime_get_ns#5
   5: *(u64 *)(r10 -24) = r0
   6: call bpf_get_smp_processor_id#8
   7: *(u64 *)(r10 -32) = r0
   8: call bpf_ktime_get_ns#5
   9: *(u64 *)(r10 -40) = r0
  10: r0 = r6
  11: *(u64 *)(r10 -48) = r0
  12: call bpf_ktime_get_ns#5
  13: r6 = r0
  14: call bpf_ktime_get_ns#5
  15: r8 = r0
  16: call bpf_get_current_uid_gid#15
  17: w0 = w0
  18: r9 = r0
  19: call bpf_ktime_get_ns#5
  20: r9 += r0
  21: r8 += r9
  22: r7 += r8
  23: r6 += r7
  24: r0 = *(u64 *)(r10 -48)
  25: r0 += r6
  26: *(u64 *)(r10 -48) = r0
  27: r0 = *(u64 *)(r10 -40)
  28: r1 = *(u64 *)(r10 -48)
  29: r0 += r1
  30: *(u64 *)(r10 -40) = r0
  31: r0 = *(u64 *)(r10 -32)
  32: r1 = *(u64 *)(r10 -40)
  33: r0 += r1
  34: *(u64 *)(r10 -32) = r0
  35: r0 = *(u64 *)(r10 -24)
  36: r1 = *(u64 *)(r10 -32)
  37: r0 += r1
  38: *(u64 *)(r10 -24) = r0
  39: r0 = *(u64 *)(r10 -24)
  40: *(u64 *)(r10 -8) = r0
  41: *(u64 *)(r10 -16) = 0
  42: r1 = map[@x]
  44: r2 = r10
  45: r2 += -16
  46: r3 = r10
  47: r3 += -8
  48: r4 = 0
  49: call bpf_map_update_elem#2
  50: if r0 == 0x0 goto pc+4
  51: r0 = map[@.lost][0]+24
  53: r1 = 1
  54: lock *(u64 *)(r0 +0) += r1
  55: r0 = 0
  56: exit
