; kprobe:tcp_connect: asm
   0: r6 = *(u64 *)(r1 +112)
   1: r1 = r10
   2: r1 += -24
   3: r2 = 4
   4: r3 = r6
   5: call bpf_probe_read_kernel#113
   6: r0 = *(u32 *)(r10 -24)
   7: *(u64 *)(r10 -16) = r0
   8: *(u64 *)(r10 -24) = 0
   9: r1 = map[@daddr]
  11: r2 = r10
  12: r2 += -24
  13: r3 = r10
  14: r3 += -16
  15: r4 = 0
  16: call bpf_map_update_elem#2
  17: if r0 == 0x0 goto pc+4
  18: r0 = map[@.lost][0]+24
  20: r1 = 1
  21: lock *(u64 *)(r0 +0) += r1
  22: r3 = r6
  23: r3 += 12
  24: r1 = r10
  25: r1 += -24
  26: r2 = 2
  27: call bpf_probe_read_kernel#113
  28: r0 = *(u16 *)(r10 -24)
  29: *(u64 *)(r10 -16) = r0
  30: *(u64 *)(r10 -24) = 0
  31: r1 = map[@dport]
  33: r2 = r10
  34: r2 += -24
  35: r3 = r10
  36: r3 += -16
  37: r4 = 0
  38: call bpf_map_update_elem#2
  39: if r0 == 0x0 goto pc+4
  40: r0 = map[@.lost][0]+32
  42: r1 = 1
  43: lock *(u64 *)(r0 +0) += r1
  44: r3 = r6
  45: r3 += 19
  46: r1 = r10
  47: r1 += -24
  48: r2 = 1
  49: call bpf_probe_read_kernel#113
  50: r0 = *(u8 *)(r10 -24)
  51: r0 <<= 60
  52: r0 >>= 60
  53: *(u64 *)(r10 -16) = r0
  54: *(u64 *)(r10 -24) = 0
  55: r1 = map[@reuse]
  57: r2 = r10
  58: r2 += -24
  59: r3 = r10
  60: r3 += -16
  61: r4 = 0
  62: call bpf_map_update_elem#2
  63: if r0 == 0x0 goto pc+4
  64: r0 = map[@.lost][0]+40
  66: r1 = 1
  67: lock *(u64 *)(r0 +0) += r1
  68: r3 = r6
  69: r3 += 36
  70: r1 = r10
  71: r1 += -24
  72: r2 = 1
  73: call bpf_probe_read_kernel#113
  74: r0 = *(u8 *)(r10 -24)
  75: r0 <<= 62
  76: r0 >>= 63
  77: *(u64 *)(r10 -16) = r0
  78: *(u64 *)(r10 -24) = 0
  79: r1 = map[@kern]
  81: r2 = r10
  82: r2 += -24
  83: r3 = r10
  84: r3 += -16
  85: r4 = 0
  86: call bpf_map_update_elem#2
  87: if r0 == 0x0 goto pc+4
  88: r0 = map[@.lost][0]+48
  90: r1 = 1
  91: lock *(u64 *)(r0 +0) += r1
  92: r7 = 0
  93: r3 = r6
  94: r3 += 18
  95: r1 = r10
  96: r1 += -24
  97: r2 = 1
  98: call bpf_probe_read_kernel#113
  99: r0 = *(u8 *)(r10 -24)
 100: if r0 != 0x1 goto pc+1
 101: r7 = 1
 102: *(u64 *)(r10 -16) = r7
 103: *(u64 *)(r10 -24) = 0
 104: r1 = map[@state]
 106: r2 = r10
 107: r2 += -24
 108: r3 = r10
 109: r3 += -16
 110: r4 = 0
 111: call bpf_map_update_elem#2
 112: if r0 == 0x0 goto pc+4
 113: r0 = map[@.lost][0]+56
 115: r1 = 1
 116: lock *(u64 *)(r0 +0) += r1
 117: call bpf_get_current_task#35
 118: r3 = r0
 119: r3 += 56
 120: r1 = r10
 121: r1 += -24
 122: r2 = 8
 123: call bpf_probe_read_kernel#113
 124: r0 = *(u64 *)(r10 -24)
 125: r3 = r0
 126: r3 += 48
 127: r1 = r10
 128: r1 += -24
 129: r2 = 4
 130: call bpf_probe_read_kernel#113
 131: r0 = *(u32 *)(r10 -24)
 132: r0 <<= 32
 133: r0 s>>= 32
 134: *(u64 *)(r10 -16) = r0
 135: *(u64 *)(r10 -24) = 0
 136: r1 = map[@ppid]
 138: r2 = r10
 139: r2 += -24
 140: r3 = r10
 141: r3 += -16
 142: r4 = 0
 143: call bpf_map_update_elem#2
 144: if r0 == 0x0 goto pc+4
 145: r0 = map[@.lost][0]+64
 147: r1 = 1
 148: lock *(u64 *)(r0 +0) += r1
 149: call bpf_get_current_task#35
 150: r3 = r0
 151: r3 += 144
 152: r1 = r10
 153: r1 += -24
 154: r2 = 1
 155: call bpf_probe_read_kernel#113
 156: r0 = *(u8 *)(r10 -24)
 157: r0 <<= 59
 158: r0 s>>= 59
 159: *(u64 *)(r10 -16) = r0
 160: *(u64 *)(r10 -24) = 0
 161: r1 = map[@nice]
 163: r2 = r10
 164: r2 += -24
 165: r3 = r10
 166: r3 += -16
 167: r4 = 0
 168: call bpf_map_update_elem#2
 169: if r0 == 0x0 goto pc+4
 170: r0 = map[@.lost][0]+72
 172: r1 = 1
 173: lock *(u64 *)(r0 +0) += r1
 174: call bpf_get_current_task#35
 175: r3 = r0
 176: r3 += 128
 177: r1 = r10
 178: r1 += -24
 179: r2 = 8
 180: call bpf_probe_read_kernel#113
 181: r0 = *(u64 *)(r10 -24)
 182: *(u64 *)(r10 -16) = r0
 183: call bpf_get_current_task#35
 184: r3 = r0
 185: r3 += 56
 186: r1 = r10
 187: r1 += -40
 188: r2 = 8
 189: call bpf_probe_read_kernel#113
 190: r0 = *(u64 *)(r10 -40)
 191: r3 = r0
 192: r3 += 88
 193: *(u64 *)(r10 -32) = 0
 194: *(u64 *)(r10 -24) = 0
 195: r1 = r10
 196: r1 += -32
 197: r2 = 16
 198: call bpf_probe_read_kernel_str#115
 199: r1 = map[@c]
 201: r2 = r10
 202: r2 += -32
 203: r3 = r10
 204: r3 += -16
 205: r4 = 0
 206: call bpf_map_update_elem#2
 207: if r0 == 0x0 goto pc+4
 208: r0 = map[@.lost][0]+80
 210: r1 = 1
 211: lock *(u64 *)(r0 +0) += r1
 212: r0 = 0
 213: exit
