package jrump.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SyscallsMasterTest {

    private static List<SyscallsMaster.Entry> parse(String... body) {
        List<String> lines = new java.util.ArrayList<>(List.of("; header", "%%"));
        lines.addAll(List.of(body));
        return SyscallsMaster.parse(lines);
    }

    @Test
    void parsesNetBsdColumns() {
        var e = parse("20\tNOERR\tRUMP\t{ pid_t|sys||getpid(void); }",
                "11\tOBSOL\t\texecv",
                "418\tSTD\tRUMP\t{ int|sys|50|gettimeofday(_Out_ struct timeval *tp, _Out_opt_ struct timezone *tzp); }",
                "30\tSTD MODULAR compat RUMP { int|sys||accept(int s); }");
        assertThat(e).hasSize(4);
        assertThat(e.get(0).number()).isEqualTo(20);
        assertThat(e.get(0).type()).isEqualTo(SyscallsMaster.Type.NOERR);
        assertThat(e.get(0).generated()).isTrue();
        assertThat(e.get(1).generated()).isFalse();
        assertThat(e.get(2).compat()).isEqualTo("50");
        assertThat(e.get(2).params()).extracting(CParam::annotation)
                .containsExactly(CParam.Annotation.OUT, CParam.Annotation.OUT_OPT);
        assertThat(e.get(2).params().get(0).structJavaName()).isEqualTo("Timeval");
        assertThat(e.get(3).modular()).isEqualTo("compat");
        assertThat(e.get(3).rump()).isTrue();
    }

    @Test
    void continuationLines() {
        var e = parse("3\tSTD\tRUMP\t{ ssize_t|sys||read(int fd, \\", "   _Out_writes_bytes_(nbyte) void *buf, size_t nbyte); }");
        assertThat(e.getFirst().params()).extracting(CParam::name).containsExactly("fd", "buf", "nbyte");
        assertThat(e.getFirst().params().get(1).sizeArg()).isEqualTo("nbyte");
    }

    @Test
    void errorsNameTheLine() {
        assertThatThrownBy(() -> parse("1 STD RUMP { int|sys||a(void); }", "1 STD RUMP { int|sys||b(void); }"))
                .isInstanceOf(SpecException.class).hasMessageContaining("line 4").hasMessageContaining("repeated");
        assertThatThrownBy(() -> parse("x STD { int|sys||a(void); }")).hasMessageContaining("bad syscall number");
        assertThatThrownBy(() -> parse("5 FOO { int|sys||a(void); }")).hasMessageContaining("unknown type FOO");
        assertThatThrownBy(() -> parse("5 STD RUMP { int|sys||a(_Weird_ int x); }")).hasMessageContaining("unknown annotation");
        assertThatThrownBy(() -> parse("5 STD RUMP { int|sys||a(_In_reads_(n) int *x); }")).hasMessageContaining("not an argument");
        assertThatThrownBy(() -> parse("5 STD RUMP { int|sys||a(void; }")).hasMessageContaining("(args)");
        assertThatThrownBy(() -> parse("5 STD RUMP")).hasMessageContaining("needs a prototype");
        assertThatThrownBy(() -> SyscallsMaster.parse(List.of("5 STD { int|sys||a(void); }"))).hasMessageContaining("%%");
    }

    @Test
    void unmappedPointer_isASpecError() {
        var entries = parse("5 STD RUMP { int|sys||a(char *x); }");
        assertThatThrownBy(() -> new SyscallsGen(entries, "t", "0").generate())
                .isInstanceOf(SpecException.class).hasMessageContaining("annotation");
    }

    @Test
    void generatesTypedMethods() {
        Map<String, String> files = new SyscallsGen(parse(
                "3 STD RUMP { ssize_t|sys||read(int fd, _Out_writes_bytes_(nbyte) void *buf, size_t nbyte); }",
                "42 STD RUMP { int|sys||pipe(_Out_writes_(2) int *fildes); }",
                "79 STD RUMP { int|sys||getgroups(int gidsetsize, _Out_writes_(gidsetsize) gid_t *gidset); }",
                "427 STD RUMP { int|sys|50|clock_gettime(clockid_t clock_id, _Out_ struct timespec *tp); }"), "t", "0").generate();
        String pub = files.get("jrump/rumpkern/Syscalls.java");
        assertThat(pub).contains("public long read(int fd, ByteBuffer buf)")
                .contains("public int[] pipe()")
                .contains("public int getgroups(int[] gidset)")
                .contains("public Timespec clockGettime(int clockId)")
                .contains("DO NOT EDIT");
        String args = files.get("jrump/rumpkern/kernel/SyscallArgs.java");
        assertThat(args).contains("record Read(int fd, java.nio.ByteBuffer buf, long nbyte) implements SyscallArgs")
                .contains("record ClockGettime(int clockId, Out<jrump.rumpkern.Timespec> tp)");
        String table = files.get("jrump/rumpkern/kernel/SyscallTable.java");
        assertThat(table).contains("SYS_clock_gettime = 427").contains("MAXSYSCALL = 428");
    }

    @Test
    void inoutStruct_isPassedThroughAndMayBeNull() {
        Map<String, String> files = new SyscallsGen(parse(
                "92 STD RUMP { int|sys||fcntl(int fd, int cmd, long arg, _Inout_opt_ struct flock *fl); }"), "t", "0").generate();
        assertThat(files.get("jrump/rumpkern/Syscalls.java"))
                .contains("public int fcntl(int fd, int cmd, long arg, Flock fl)")
                .contains("public int fcntl(int fd, int cmd, long arg) {\n        return fcntl(fd, cmd, arg, null);")
                .doesNotContain("fl is null");
        assertThat(files.get("jrump/rumpkern/kernel/SyscallArgs.java"))
                .contains("record Fcntl(int fd, int cmd, long arg, jrump.rumpkern.Flock fl)");
    }

    @Test
    void camelCase() {
        assertThat(JavaTypes.camel("lwproc_rfork")).isEqualTo("lwprocRfork");
        assertThat(JavaTypes.camel("__getcwd")).isEqualTo("getcwd");
        assertThat(JavaTypes.pascal("clock_gettime")).isEqualTo("ClockGettime");
    }
}
