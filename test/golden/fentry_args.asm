; fexit:vfs_read: asm
   0: r6 = r1
   1: r0 = *(u64 *)(r6 +16)
   2: if r0 <= 0x64 goto pc+21
   3: r7 = *(u64 *)(r6 +32)
   4: *(u32 *)(r10 -8) = 0
   5: r1 = map[@r]
   7: r2 = r10
   8: r2 += -8
   9: call bpf_map_lookup_elem#1
  10: if r0 == 0x0 goto pc+3
  11: r1 = *(u64 *)(r0 +0)
  12: r1 += r7
  13: *(u64 *)(r0 +0) = r1
  14: r6 = *(u64 *)(r6 +16)
  15: r1 = map[@a]
  17: r2 = r10
  18: r2 += -8
  19: call bpf_map_lookup_elem#1
  20: if r0 == 0x0 goto pc+3
  21: r1 = *(u64 *)(r0 +0)
  22: r1 += r6
  23: *(u64 *)(r0 +0) = r1
  24: r0 = 0
  25: exit
; fentry:security_file_open: asm
   0: r0 = *(u64 *)(r1 +0)
   1: *(u64 *)(r10 -8) = r0
   2: r1 = map[@f]
   4: r2 = r10
   5: r2 += -8
   6: call bpf_map_lookup_elem#1
   7: if r0 == 0x0 goto pc+4
   8: r1 = *(u64 *)(r0 +0)
   9: r1 += 1
  10: *(u64 *)(r0 +0) = r1
  11: goto pc+14
  12: *(u64 *)(r10 -16) = 1
  13: r1 = map[@f]
  15: r2 = r10
  16: r2 += -8
  17: r3 = r10
  18: r3 += -16
  19: r4 = 0
  20: call bpf_map_update_elem#2
  21: if r0 == 0x0 goto pc+4
  22: r0 = map[@.lost][0]+40
  24: r1 = 1
  25: lock *(u64 *)(r0 +0) += r1
  26: r0 = 0
  27: exit
; fexit:security_file_open: asm
   0: r0 = *(u32 *)(r1 +8)
   1: r0 <<= 32
   2: r0 s>>= 32
   3: r1 = 0
   4: if r0 s< 0x0 goto pc+22
   5: r1 = 1
   6: if r0 == 0x0 goto pc+20
   7: r1 = 2
   8: r2 = r0
   9: r0 >>= 32
  10: if r0 == 0x0 goto pc+2
  11: r1 = 34
  12: r2 = r0
  13: if r2 < 0x10000 goto pc+2
  14: r2 >>= 16
  15: r1 += 16
  16: if r2 < 0x100 goto pc+2
  17: r2 >>= 8
  18: r1 += 8
  19: if r2 < 0x10 goto pc+2
  20: r2 >>= 4
  21: r1 += 4
  22: if r2 < 0x4 goto pc+2
  23: r2 >>= 2
  24: r1 += 2
  25: if r2 < 0x2 goto pc+1
  26: r1 += 1
  27: *(u32 *)(r10 -8) = r1
  28: r1 = map[@e]
  30: r2 = r10
  31: r2 += -8
  32: call bpf_map_lookup_elem#1
  33: if r0 == 0x0 goto pc+3
  34: r1 = *(u64 *)(r0 +0)
  35: r1 += 1
  36: *(u64 *)(r0 +0) = r1
  37: r0 = 0
  38: exit
