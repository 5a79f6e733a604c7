/* maps.c - creates the program's BPF maps, as the compiler laid them out,
 * before it is loaded (their fds go into the instructions), probes
 * whether the kernel has a BPF ring buffer, and closes the event reader
 * and the maps at the end.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "load.h"
#include "runtime.h"

/* Big enough that a burst of printf events from every CPU does not
 * overflow before the reader wakes up; must be a power-of-two multiple of
 * the page size. A program whose events are only exit(), print(@m) and
 * the like sends a few small records: a few pages do, and the buffer's
 * pages (mapped twice into wisp) stay out of its memory. */
#define RT_RINGBUF_BYTES (1UL << 20)
#define RT_RINGBUF_QUIET (16UL << 10)

static unsigned long rt_page_size(void)
{
	long p = sysconf(_SC_PAGESIZE);

	return p > 0 ? (unsigned long)p : 4096;
}

bool rt_have_ringbuf(void)
{
	static int have = -1;

	if (have < 0) {
		/* One page: 4096 would be refused on 16K/64K-page arm64. */
		int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, NULL, 0, 0,
					rt_page_size(), NULL);

		have = fd >= 0;
		if (fd >= 0)
			close(fd);
	}
	return have;
}

/* The kernel takes 15 characters of [A-Za-z0-9_.]: "@bytes" -> "bytes",
 * the unnamed map "@" -> "_". Names only help bpftool users; they need not
 * be unique. */
static void rt_map_name(char name[16], const char *src)
{
	int n = 0;

	if (src && *src == '@')
		src++;
	for (; src && *src && n < 15; src++) {
		char c = *src;

		name[n++] = isalnum((unsigned char)c) || c == '.' ? c : '_';
	}
	if (n == 0)
		name[n++] = '_';
	name[n] = '\0';
}

/* The layout is the compiler's (tab_map_layout); only the output map's
 * size depends on this machine: its ring bytes or its CPUs. */
static int rt_map_create(struct map_def *def, bool streams)
{
	unsigned max = def->max_entries;
	char name[16];
	int ncpus;

	switch (def->bpf_type) {
	case BPF_MAP_TYPE_RINGBUF:
		max = streams ? RT_RINGBUF_BYTES : RT_RINGBUF_QUIET;
		while (max < rt_page_size())
			max <<= 1;
		break;
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		ncpus = libbpf_num_possible_cpus();
		if (ncpus < 0) {
			fprintf(stderr, "wisp: cannot count the CPUs: %s\n",
				strerror(-ncpus));
			return -1;
		}
		max = ncpus;
		break;
	default:
		break;
	}
	def->max_entries = max;
	rt_map_name(name, def->name);
	def->fd = bpf_map_create(def->bpf_type, name, def->key_size, def->val_size, max,
				 NULL);
	if (def->fd < 0) {
		int err = errno;

		def->fd = -1;
		if (err == EPERM && load_memlock_hint()) {
			fprintf(stderr, "wisp: cannot create map %s: %s: %s\n",
				def->name ? def->name : name, strerror(err),
				load_memlock_hint());
			return -1;
		}
		fprintf(stderr, "wisp: cannot create map %s: %s%s\n",
			def->name ? def->name : name, strerror(err),
			err == EPERM ? " (wisp needs root or CAP_BPF)" :
			err == E2BIG ? " (key or value too big)" :
				       "");
		return -1;
	}
	return 0;
}

static void rt_close_def(struct map_def *def)
{
	if (def && def->fd >= 0) {
		close(def->fd);
		def->fd = -1;
	}
}

static void rt_close_maps(struct runtime *rt)
{
	int i;

	for (i = 0; i < rt->tab.nmaps; i++)
		rt_close_def(rt->tab.maps[i]);
	rt_close_def(rt->tab.output);
	rt_close_def(rt->tab.lost);
}

int rt_maps_create(struct runtime *rt)
{
	int i;

	load_raise_memlock();
	for (i = 0; i < rt->tab.nmaps; i++) {
		if (rt->tab.maps[i] && rt_map_create(rt->tab.maps[i], rt->tab.streams) < 0)
			goto fail;
	}
	/* Normally both are in the map table too, and created above. */
	if (rt->tab.output && rt->tab.output->fd < 0 && rt_map_create(rt->tab.output, rt->tab.streams) < 0)
		goto fail;
	if (rt->tab.lost && rt->tab.lost->fd < 0 && rt_map_create(rt->tab.lost, rt->tab.streams) < 0)
		goto fail;
	if (rt->tab.output)
		rt->tab.ringbuf = rt->tab.output->bpf_type == BPF_MAP_TYPE_RINGBUF;
	return 0;
fail:
	rt_close_maps(rt);
	return -1;
}

void rt_close(struct runtime *rt)
{
	if (rt->reader) {
		if (rt->tab.ringbuf)
			ring_buffer__free(rt->reader);
		else
			perf_buffer__free(rt->reader);
		rt->reader = NULL;
	}
	rt_close_maps(rt);
}
