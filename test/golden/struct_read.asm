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
  17: if r0 == 0x0 goto pc+10
  18: *(u32 *)(r10 -32) = 3
  19: r1 = map[@.lost]
  21: r2 = r10
  22: r2 += -32
  23: call bpf_map_lookup_elem#1
  24: if r0 == 0x0 goto pc+3
  25: r1 = *(u64 *)(r0 +0)
  26: r1 += 1
  27: *(u64 *)(r0 +0) = r1
  28: r3 = r6
  29: r3 += 12
  30: r1 = r10
  31: r1 += -24
  32: r2 = 2
  33: call bpf_probe_read_kernel#113
  34: r0 = *(u16 *)(r10 -24)
  35: *(u64 *)(r10 -16) = r0
  36: *(u64 *)(r10 -24) = 0
  37: r1 = map[@dport]
  39: r2 = r10
  40: r2 += -24
  41: r3 = r10
  42: r3 += -16
  43: r4 = 0
  44: call bpf_map_update_elem#2
  45: if r0 == 0x0 goto pc+10
  46: *(u32 *)(r10 -32) = 4
  47: r1 = map[@.lost]
  49: r2 = r10
  50: r2 += -32
  51: call bpf_map_lookup_elem#1
  52: if r0 == 0x0 goto pc+3
  53: r1 = *(u64 *)(r0 +0)
  54: r1 += 1
  55: *(u64 *)(r0 +0) = r1
  56: r3 = r6
  57: r3 += 19
  58: r1 = r10
  59: r1 += -24
  60: r2 = 1
  61: call bpf_probe_read_kernel#113
  62: r0 = *(u8 *)(r10 -24)
  63: r0 <<= 60
  64: r0 >>= 60
  65: *(u64 *)(r10 -16) = r0
  66: *(u64 *)(r10 -24) = 0
  67: r1 = map[@reuse]
  69: r2 = r10
  70: r2 += -24
  71: r3 = r10
  72: r3 += -16
  73: r4 = 0
  74: call bpf_map_update_elem#2
  75: if r0 == 0x0 goto pc+10
  76: *(u32 *)(r10 -32) = 5
  77: r1 = map[@.lost]
  79: r2 = r10
  80: r2 += -32
  81: call bpf_map_lookup_elem#1
  82: if r0 == 0x0 goto pc+3
  83: r1 = *(u64 *)(r0 +0)
  84: r1 += 1
  85: *(u64 *)(r0 +0) = r1
  86: r3 = r6
  87: r3 += 36
  88: r1 = r10
  89: r1 += -24
  90: r2 = 1
  91: call bpf_probe_read_kernel#113
  92: r0 = *(u8 *)(r10 -24)
  93: r0 <<= 62
  94: r0 >>= 63
  95: *(u64 *)(r10 -16) = r0
  96: *(u64 *)(r10 -24) = 0
  97: r1 = map[@kern]
  99: r2 = r10
 100: r2 += -24
 101: r3 = r10
 102: r3 += -16
 103: r4 = 0
 104: call bpf_map_update_elem#2
 105: if r0 == 0x0 goto pc+10
 106: *(u32 *)(r10 -32) = 6
 107: r1 = map[@.lost]
 109: r2 = r10
 110: r2 += -32
 111: call bpf_map_lookup_elem#1
 112: if r0 == 0x0 goto pc+3
 113: r1 = *(u64 *)(r0 +0)
 114: r1 += 1
 115: *(u64 *)(r0 +0) = r1
 116: r7 = 0
 117: r3 = r6
 118: r3 += 18
 119: r1 = r10
 120: r1 += -24
 121: r2 = 1
 122: call bpf_probe_read_kernel#113
 123: r0 = *(u8 *)(r10 -24)
 124: if r0 != 0x1 goto pc+1
 125: r7 = 1
 126: *(u64 *)(r10 -16) = r7
 127: *(u64 *)(r10 -24) = 0
 128: r1 = map[@state]
 130: r2 = r10
 131: r2 += -24
 132: r3 = r10
 133: r3 += -16
 134: r4 = 0
 135: call bpf_map_update_elem#2
 136: if r0 == 0x0 goto pc+10
 137: *(u32 *)(r10 -32) = 7
 138: r1 = map[@.lost]
 140: r2 = r10
 141: r2 += -32
 142: call bpf_map_lookup_elem#1
 143: if r0 == 0x0 goto pc+3
 144: r1 = *(u64 *)(r0 +0)
 145: r1 += 1
 146: *(u64 *)(r0 +0) = r1
 147: call bpf_get_current_task#35
 148: r3 = r0
 149: r3 += 56
 150: r1 = r10
 151: r1 += -24
 152: r2 = 8
 153: call bpf_probe_read_kernel#113
 154: r0 = *(u64 *)(r10 -24)
 155: r3 = r0
 156: r3 += 48
 157: r1 = r10
 158: r1 += -24
 159: r2 = 4
 160: call bpf_probe_read_kernel#113
 161: r0 = *(u32 *)(r10 -24)
 162: r0 <<= 32
 163: r0 s>>= 32
 164: *(u64 *)(r10 -16) = r0
 165: *(u64 *)(r10 -24) = 0
 166: r1 = map[@ppid]
 168: r2 = r10
 169: r2 += -24
 170: r3 = r10
 171: r3 += -16
 172: r4 = 0
 173: call bpf_map_update_elem#2
 174: if r0 == 0x0 goto pc+10
 175: *(u32 *)(r10 -32) = 8
 176: r1 = map[@.lost]
 178: r2 = r10
 179: r2 += -32
 180: call bpf_map_lookup_elem#1
 181: if r0 == 0x0 goto pc+3
 182: r1 = *(u64 *)(r0 +0)
 183: r1 += 1
 184: *(u64 *)(r0 +0) = r1
 185: call bpf_get_current_task#35
 186: r3 = r0
 187: r3 += 144
 188: r1 = r10
 189: r1 += -24
 190: r2 = 1
 191: call bpf_probe_read_kernel#113
 192: r0 = *(u8 *)(r10 -24)
 193: r0 <<= 59
 194: r0 s>>= 59
 195: *(u64 *)(r10 -16) = r0
 196: *(u64 *)(r10 -24) = 0
 197: r1 = map[@nice]
 199: r2 = r10
 200: r2 += -24
 201: r3 = r10
 202: r3 += -16
 203: r4 = 0
 204: call bpf_map_update_elem#2
 205: if r0 == 0x0 goto pc+10
 206: *(u32 *)(r10 -32) = 9
 207: r1 = map[@.lost]
 209: r2 = r10
 210: r2 += -32
 211: call bpf_map_lookup_elem#1
 212: if r0 == 0x0 goto pc+3
 213: r1 = *(u64 *)(r0 +0)
 214: r1 += 1
 215: *(u64 *)(r0 +0) = r1
 216: call bpf_get_current_task#35
 217: r3 = r0
 218: r3 += 128
 219: r1 = r10
 220: r1 += -24
 221: r2 = 8
 222: call bpf_probe_read_kernel#113
 223: r0 = *(u64 *)(r10 -24)
 224: *(u64 *)(r10 -16) = r0
 225: call bpf_get_current_task#35
 226: r3 = r0
 227: r3 += 56
 228: r1 = r10
 229: r1 += -40
 230: r2 = 8
 231: call bpf_probe_read_kernel#113
 232: r0 = *(u64 *)(r10 -40)
 233: r3 = r0
 234: r3 += 88
 235: *(u64 *)(r10 -32) = 0
 236: *(u64 *)(r10 -24) = 0
 237: r1 = r10
 238: r1 += -32
 239: r2 = 16
 240: call bpf_probe_read_kernel_str#115
 241: r1 = map[@c]
 243: r2 = r10
 244: r2 += -32
 245: r3 = r10
 246: r3 += -16
 247: r4 = 0
 248: call bpf_map_update_elem#2
 249: if r0 == 0x0 goto pc+10
 250: *(u32 *)(r10 -40) = 10
 251: r1 = map[@.lost]
 253: r2 = r10
 254: r2 += -40
 255: call bpf_map_lookup_elem#1
 256: if r0 == 0x0 goto pc+3
 257: r1 = *(u64 *)(r0 +0)
 258: r1 += 1
 259: *(u64 *)(r0 +0) = r1
 260: r0 = 0
 261: exit
