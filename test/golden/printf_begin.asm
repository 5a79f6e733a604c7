; BEGIN: asm
   0: *(u64 *)(r10 -24) = 16
   1: *(u64 *)(r10 -16) = 42
   2: *(u8 *)(r10 -8) = 104
   3: *(u8 *)(r10 -7) = 105
   4: *(u8 *)(r10 -6) = 0
   5: *(u8 *)(r10 -5) = 0
   6: *(u32 *)(r10 -4) = 0
   7: r1 = map[@.events]
   9: r2 = r10
  10: r2 += -24
  11: r3 = 24
  12: r4 = 0
  13: call bpf_ringbuf_output#130
  14: if r0 == 0x0 goto pc+10
  15: *(u32 *)(r10 -32) = 0
  16: r1 = map[@.lost]
  18: r2 = r10
  19: r2 += -32
  20: call bpf_map_lookup_elem#1
  21: if r0 == 0x0 goto pc+3
  22: r1 = *(u64 *)(r0 +0)
  23: r1 += 1
  24: *(u64 *)(r0 +0) = r1
  25: r0 = 0
  26: exit
