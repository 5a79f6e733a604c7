; BEGIN: asm
   0: call bpf_get_current_pid_tgid#14
   1: r0 >>= 32
   2: if r0 s<= 0x1 goto pc+15
   3: *(u64 *)(r10 -16) = 1
   4: *(u64 *)(r10 -8) = 0
   5: r1 = map[@.events]
   7: r2 = r10
   8: r2 += -16
   9: r3 = 16
  10: r4 = 0
  11: call bpf_ringbuf_output#130
  12: if r0 == 0x0 goto pc+4
  13: r0 = map[@.lost][0]+0
  15: r1 = 1
  16: lock *(u64 *)(r0 +0) += r1
  17: goto pc+15
  18: *(u64 *)(r10 -16) = 1
  19: *(u64 *)(r10 -8) = 1
  20: r1 = map[@.events]
  22: r2 = r10
  23: r2 += -16
  24: r3 = 16
  25: r4 = 0
  26: call bpf_ringbuf_output#130
  27: if r0 == 0x0 goto pc+4
  28: r0 = map[@.lost][0]+0
  30: r1 = 1
  31: lock *(u64 *)(r0 +0) += r1
  32: goto pc+0
  33: r0 = 0
  34: exit
; END: asm
   0: call bpf_get_current_pid_tgid#14
   1: r0 >>= 32
   2: if r0 s<= 0x1 goto pc+15
   3: *(u64 *)(r10 -16) = 1
   4: *(u64 *)(r10 -8) = 0
   5: r1 = map[@.events]
   7: r2 = r10
   8: r2 += -16
   9: r3 = 16
  10: r4 = 0
  11: call bpf_ringbuf_output#130
  12: if r0 == 0x0 goto pc+4
  13: r0 = map[@.lost][0]+0
  15: r1 = 1
  16: lock *(u64 *)(r0 +0) += r1
  17: goto pc+1
  18: goto pc+0
  19: r0 = 0
  20: exit
