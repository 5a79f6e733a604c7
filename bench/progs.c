/* progs.c - the BPF programs the kernel holds, one line each:
 * "id name xlated_insns jited_bytes", for bench/run.sh to tell the
 * programs a tracer loaded (the ids that appear while it runs) and their
 * size. Part of the benchmark, not of wisp. */
#include <stdio.h>
#include <unistd.h>
#include <bpf/bpf.h>

int main(void)
{
	__u32 id = 0;

	while (!bpf_prog_get_next_id(id, &id)) {
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &info, &len))
			printf("%u %s %u %u\n", id, info.name[0] ? info.name : "-",
			       info.xlated_prog_len / 8, info.jited_prog_len);
		close(fd);
	}
	return 0;
}
