/* test_sema.c - sema and lower on a described target and a hand-made
 * probe context, with no kernel and no provider: what the layering buys.
 * The probe offers an args struct (an int, a user char *, a char[16]) and
 * registers at the offsets a test value() hook gives; the checks look at
 * the types sema infers, its errors, the map layouts it decides and the
 * IR lower emits for a feature set (ring buffer or not, compat read). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/ir.h"
#include "ir/lower.h"
#include "lang/parser.h"
#include "lang/sema.h"
#include "unit.h"

/* argN at 8 * N, retval at 80, as some architecture might keep them. */
static int test_value(const struct probe_ctx *c, const struct target *t,
		      enum ctx_name name, unsigned n, const char *spelled,
		      struct ctx_value *v, char *err, size_t len)
{
	(void)c, (void)t;
	*v = (struct ctx_value){ .size = 8, .as = AS_USER };
	if (name == CTX_ARG && n < 6) {
		v->off = 8 * n;
		return 0;
	}
	if (name == CTX_RETVAL) {
		v->off = 80;
		return 0;
	}
	snprintf(err, len, "%s is not in the test probe", spelled);
	return -1;
}

static const struct ctype *test_args(void)
{
	static struct ctype *s;

	if (!s) {
		s = ctype_new(CT_STRUCT, "test_args", 40);
		ctype_add_member(s, "fd", ctype_int(4, true), 8, 0, 0);
		ctype_add_member(s, "path", ctype_ptr(ctype_char(), AS_USER, 8), 16, 0, 0);
		ctype_add_member(s, "name", ctype_array(ctype_char(), 16), 24, 0, 0);
	}
	return s;
}

struct run {
	struct program prog;
	struct probe_ctx ctx;
	struct prog_tables tab;
	struct sema s;
	char ir[16384];
	int sema_ret, lower_ret;
	const char *errors;
};

/* Compile text (one probe) for target t: sema, and lower when it passed. */
static void compile(struct run *r, const char *text, const struct target *t)
{
	static struct source src;
	const struct probe_ctx *ctxs[1] = { &r->ctx };
	struct ir_func f;
	FILE *out;

	memset(r, 0, sizeof(*r));
	source_from_string(&src, "<test>", text);
	if (parse_program(&src, &r->prog) || !r->prog.probes) {
		r->sema_ret = -2;
		return;
	}
	r->ctx = (struct probe_ctx){ .probe = r->prog.probes, .spec = "test:probe",
				     .kind = "test", .func = "test_fn",
				     .args = test_args(), .pid_filter = true,
				     .value = test_value };
	capture_start();
	r->sema_ret = sema_program(&r->s, &r->prog, ctxs, 1, t, &r->tab);
	if (!r->sema_ret && !sema_probe(&r->s, &r->ctx)) {
		ir_init(&f);
		r->lower_ret = lower_probe(&r->ctx, t, &r->tab, &f);
		out = fmemopen(r->ir, sizeof(r->ir) - 1, "w");
		if (out) {
			ir_print(&f, out);
			fclose(out);
		}
		ir_free(&f);
	}
	r->errors = capture_end();
}

static void done(struct run *r)
{
	sema_free(&r->s);
	tab_free(&r->tab);
	program_free(&r->prog);
}

static void test_types(void)
{
	struct target t = target_default();
	struct run r;

	compile(&r, "test { @[args->name] = count(); @p = args->path; @fd = args->fd; "
		    "printf(\"%s %d\\n\", str(args->path), arg1); }", &t);
	CHECK(r.sema_ret == 0 && r.lower_ret == 0, "compiles: %s", r.errors);
	CHECK(r.tab.nmaps == 5, "@, @p, @fd, events, lost: %d maps", r.tab.nmaps);
	if (r.tab.nmaps == 5) {
		const struct map_def *key = r.tab.maps[0], *p = r.tab.maps[1],
				     *fd = r.tab.maps[2];

		CHECK(key->nkeys == 1 && key->keys[0].kind == TYPE_STR &&
			      key->keys[0].size == 16 && key->key_size == 16,
		      "a char[16] member keys as a string of 16");
		CHECK(p->val.kind == TYPE_PTR && p->val.as == AS_USER &&
			      p->val.ct == ctype_char(),
		      "a char * member: a user pointer to char");
		CHECK(fd->val.kind == TYPE_INT && fd->val.is_signed, "an int member is signed");
		CHECK(r.tab.output->kind == MAPK_OUTPUT && r.tab.ringbuf, "ring buffer output");
	}
	/* the member at its offset, argN where the provider said */
	CHECK(strstr(r.ir, "*(u64 *)(v") && strstr(r.ir, "+16)"), "args->path read at 16");
	CHECK(strstr(r.ir, "+8)"), "arg1 read at 8");
	CHECK(strstr(r.ir, "bpf_ringbuf_output"), "ring buffer output:\n%s", r.ir);
	CHECK(strstr(r.ir, "bpf_probe_read_user_str"), "str() of a user pointer");
	done(&r);
}

static void test_old_kernel(void)
{
	struct target t = target_default();
	struct run r;

	t.have[TF_RINGBUF] = 0;
	compile(&r, "test { printf(\"%d\\n\", args->fd); }", &t);
	CHECK(r.sema_ret == 0 && !r.tab.ringbuf, "compiles for a perf buffer");
	CHECK(strstr(r.ir, "bpf_perf_event_output") && !strstr(r.ir, "ringbuf"),
	      "perf_event_output, no ring buffer:\n%s", r.ir);
	done(&r);

	t.have[TF_FOR_EACH] = 0;
	compile(&r, "test { @m[1] = 1; $n = len(@m); }", &t);
	CHECK(r.sema_ret == -1 && strstr(r.errors, "needs bpf_for_each_map_elem (Linux 5.13)"),
	      "len(@m) refused without for_each: %s", r.errors);
	done(&r);

	/* -p: the pid filter is the target's, for probes the provider says */
	t = target_default();
	t.pid = 4242;
	compile(&r, "test { @c = count(); }", &t);
	CHECK(strstr(r.ir, "4242") || strstr(r.ir, "0x1092"), "filtered by -p 4242:\n%s", r.ir);
	done(&r);
}

static void test_errors(void)
{
	struct target t = target_default();
	struct run r;

	compile(&r, "test { @a = args->nme; @b = arg7; @c = caller; @d = args->fd->x; }", &t);
	CHECK(r.sema_ret == -1, "refused");
	CHECK_HAS(r.errors, "test:probe has no field 'nme'; did you mean 'name'?");
	CHECK_HAS(r.errors, "arg7 is not in the test probe");
	CHECK_HAS(r.errors, "caller is not in the test probe");
	done(&r);

	t.cpid = 0;
	compile(&r, "test { @c = cpid; }", &t);
	CHECK_HAS(r.errors, "cpid is the pid of the -c command: run with -c");
	done(&r);
	t.cpid = 77;
	compile(&r, "test { @c = cpid; }", &t);
	CHECK(r.sema_ret == 0 && strstr(r.ir, "77"), "cpid from the target:\n%s", r.ir);
	done(&r);
}

int main(void)
{
	test_types();
	test_old_kernel();
	test_errors();
	return unit_done("test_sema");
}
