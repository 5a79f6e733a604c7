; tracepoint:syscalls:sys_enter_read: asm
   0: *(u32 *)(r10 -8) = 0
   1: r1 = map[@.scratch4]
   3: r2 = r10
   4: r2 += -8
   5: call bpf_map_lookup_elem#1
   6: if r0 == 0x0 goto pc+4
   7: r1 = r0
   8: r2 = 16
   9: call bpf_get_current_comm#16
  10: goto pc+0
  11: r0 = 0
  12: exit
