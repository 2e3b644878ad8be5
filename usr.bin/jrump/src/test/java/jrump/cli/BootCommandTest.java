package jrump.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

class BootCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Jrump.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void boot_printsWhatBooted() {
        assertThat(run("boot", "--ncpu", "3", "--hostname", "testhost")).isZero();
        String s = out.toString();
        assertThat(s).contains("rump kernel \"testhost\" booted")
                .contains("CPUs:        3 virtual")
                .containsPattern("components:  .*rumpkern_sys")
                .containsPattern("components:  .*rumpvfs_sys")
                .containsPattern("syscalls: +\\d+ of \\d+ implemented \\{rumpkern_sys=\\d+, rumpnet_sys=\\d+, rumpvfs_sys=\\d+\\}")
                .contains("init:        pid 1, uid 0, umask 022")
                .contains("halted cleanly");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void boot_listsSyscalls() {
        assertThat(run("boot", "--syscalls")).isZero();
        assertThat(out.toString()).containsPattern("\\s20 getpid +rumpkern_sys")
                .containsPattern("\\s5 open +rumpvfs_sys").containsPattern("\\s106 listen +rumpnet_sys")
                .containsPattern("\\s455 kqueue1 +ENOSYS");
    }

    @Test
    void boot_deterministic() {
        assertThat(run("boot", "--sim", "7")).isZero();
        assertThat(out.toString()).contains("deterministic hypervisor, seed 7").contains("uptime 0.000000000 s");
    }

    @Test
    void badNcpu_isAUsageError_withOneLine() {
        assertThat(run("boot", "--ncpu", "0")).isEqualTo(2);
        assertThat(err.toString()).startsWith("jrump boot: ncpu must be").doesNotContain("Exception");
    }

    @Test
    void unknownSubcommand_isAUsageError() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("Unmatched argument");
    }
}
