; BEGIN: asm
   0: *(u64 *)(r10 -24) = 16
   1: r0 = 42
   2: *(u64 *)(r10 -16) = r0
   3: *(u8 *)(r10 -8) = 104
   4: *(u8 *)(r10 -7) = 105
   5: *(u8 *)(r10 -6) = 0
   6: *(u8 *)(r10 -5) = 0
   7: *(u32 *)(r10 -4) = 0
   8: r1 = map[@.events]
  10: r2 = r10
  11: r2 += -24
  12: r3 = 24
  13: r4 = 0
  14: call bpf_ringbuf_output#130
  15: if r0 == 0x0 goto pc+20
  16: *(u32 *)(r10 -32) = 0
  17: r1 = map[@.lost]
  19: r2 = r10
  20: r2 += -32
  21: call bpf_map_lookup_elem#1
  22: if r0 == 0x0 goto pc+4
  23: r1 = *(u64 *)(r0 +0)
  24: r1 += 1
  25: *(u64 *)(r0 +0) = r1
  26: goto pc+9
  27: *(u64 *)(r10 -40) = 1
  28: r1 = map[@.lost]
  30: r2 = r10
  31: r2 += -32
  32: r3 = r10
  33: r3 += -40
  34: r4 = 0
  35: call bpf_map_update_elem#2
  36: r0 = 0
  37: exit
