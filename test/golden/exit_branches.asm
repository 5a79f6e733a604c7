; BEGIN: asm
   0: call bpf_get_current_pid_tgid#14
   1: r0 >>= 32
   2: if r0 s<= 0x1 goto pc+21
   3: *(u64 *)(r10 -16) = 1
   4: *(u64 *)(r10 -8) = 0
   5: r1 = map[@.events]
   7: r2 = r10
   8: r2 += -16
   9: r3 = 16
  10: r4 = 0
  11: call bpf_ringbuf_output#130
  12: if r0 == 0x0 goto pc+10
  13: *(u32 *)(r10 -24) = 0
  14: r1 = map[@.lost]
  16: r2 = r10
  17: r2 += -24
  18: call bpf_map_lookup_elem#1
  19: if r0 == 0x0 goto pc+3
  20: r1 = *(u64 *)(r0 +0)
  21: r1 += 1
  22: *(u64 *)(r0 +0) = r1
  23: goto pc+21
  24: *(u64 *)(r10 -16) = 1
  25: *(u64 *)(r10 -8) = 1
  26: r1 = map[@.events]
  28: r2 = r10
  29: r2 += -16
  30: r3 = 16
  31: r4 = 0
  32: call bpf_ringbuf_output#130
  33: if r0 == 0x0 goto pc+10
  34: *(u32 *)(r10 -24) = 0
  35: r1 = map[@.lost]
  37: r2 = r10
  38: r2 += -24
  39: call bpf_map_lookup_elem#1
  40: if r0 == 0x0 goto pc+3
  41: r1 = *(u64 *)(r0 +0)
  42: r1 += 1
  43: *(u64 *)(r0 +0) = r1
  44: goto pc+0
  45: r0 = 0
  46: exit
; END: asm
   0: call bpf_get_current_pid_tgid#14
   1: r0 >>= 32
   2: if r0 s<= 0x1 goto pc+21
   3: *(u64 *)(r10 -16) = 1
   4: *(u64 *)(r10 -8) = 0
   5: r1 = map[@.events]
   7: r2 = r10
   8: r2 += -16
   9: r3 = 16
  10: r4 = 0
  11: call bpf_ringbuf_output#130
  12: if r0 == 0x0 goto pc+10
  13: *(u32 *)(r10 -24) = 0
  14: r1 = map[@.lost]
  16: r2 = r10
  17: r2 += -24
  18: call bpf_map_lookup_elem#1
  19: if r0 == 0x0 goto pc+3
  20: r1 = *(u64 *)(r0 +0)
  21: r1 += 1
  22: *(u64 *)(r0 +0) = r1
  23: goto pc+1
  24: goto pc+0
  25: r0 = 0
  26: exit
