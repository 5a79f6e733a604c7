/* test_load.c - a program the verifier rejects is reported at the source
 * line of the instruction it stopped at, with the verifier's reason and
 * last lines; a good program loads. Needs root (skips otherwise). */
#include <stdlib.h>
#include <unistd.h>

#include "runtime/load.h"
#include "unit.h"

static const char text[] =
	"BEGIN {\n"
	"  $x = 1;\n"
	"  @y = *$x;\n"
	"}\n";

/* Load insns, instruction i attributed to line lines[i]; return what
 * load_program printed on stderr. */
static int load(const struct bpf_insn *insns, int n, const int *lines,
		char *out, size_t outlen)
{
	static struct source src = { "<test>", text, sizeof(text) - 1 };
	struct probe_inst pi = { .prov = &provider_begin, .spec = "BEGIN", .prog_fd = -1 };
	struct asm_prog p;
	int ret;

	asm_init(&p);
	for (int i = 0; i < n; i++)
		asm_emit(&p, insns[i], (struct loc){ &src, lines[i], 3 });
	capture_start();
	ret = load_program(&pi, &p);
	snprintf(out, outlen, "%s", capture_end());
	if (pi.prog_fd >= 0)
		close(pi.prog_fd);
	asm_free(&p);
	return ret;
}

int main(void)
{
	char out[8192];

	if (geteuid() != 0) {
		unit_skip("needs root to load programs");
		return unit_done("test_load");
	}
	{
		const struct bpf_insn bad[] = {
			BPF_MOV64_IMM(BPF_REG_0, 0),
			BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_0, 0),
			BPF_EXIT_INSN(),
		};
		const int lines[] = { 2, 3, 4 };
		int ret = load(bad, 3, lines, out, sizeof(out));

		CHECK(ret == -1, "a rejected program returns -1");
		CHECK(strstr(out, "<test>:3:3: error: the kernel's verifier rejected the program for BEGIN") != NULL,
		      "names the source line:\n%s", out);
		CHECK(strstr(out, "  @y = *$x;\n") != NULL, "shows the source line:\n%s", out);
		CHECK(strstr(out, "invalid mem access") != NULL, "gives the reason:\n%s", out);
		CHECK(strstr(out, "verifier log (last lines):") != NULL, "shows the log tail:\n%s", out);
		CHECK(strlen(out) < 4096, "not the whole log: %zu bytes", strlen(out));
	}
	{
		const struct bpf_insn good[] = {
			BPF_MOV64_IMM(BPF_REG_0, 0),
			BPF_EXIT_INSN(),
		};
		const int lines[] = { 2, 2 };

		CHECK(load(good, 2, lines, out, sizeof(out)) == 0, "a good program loads: %s", out);
		CHECK(out[0] == 0, "and prints nothing: %s", out);
	}
	return unit_done("test_load");
}
