package jrump.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manual pages render with groff without a single warning and name every command and option the
 * parser knows; the completion script is valid bash and completes commands and options.
 */
class DocumentationCommandsTest {
    @TempDir
    Path tmp;

    private String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Jrump.run(new ByteArrayOutputStream(), new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertThat(status).as(err.toString()).isZero();
        return out.toString();
    }

    private static String[] shell(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String[] {out, err, Integer.toString(p.exitValue())};
    }

    @Test
    void manPages_renderCleanly_andCoverEveryCommandAndOption() throws Exception {
        String top = run("man");
        Path page = Files.writeString(tmp.resolve("jrump.1"), top);
        String[] r = shell(tmp, "groff", "-man", "-Tutf8", "-ww", "-z", page.toString());
        assertThat(r[1]).as("groff warnings").isEmpty();
        assertThat(r[2]).isEqualTo("0");
        String rendered = shell(tmp, "groff", "-man", "-Tascii", "-P-c", "-P-b", "-P-u", page.toString())[0];
        for (String cmd : new String[] {"ls", "cat", "cp", "info", "makefs", "newfs", "fsck", "diff"}) {
            assertThat(rendered).contains(cmd);
        }
        String cp = run("man", "cp");
        Path cpPage = Files.writeString(tmp.resolve("jrump-cp.1"), cp);
        r = shell(tmp, "groff", "-man", "-Tutf8", "-ww", "-z", cpPage.toString());
        assertThat(r[1]).as("groff warnings").isEmpty();
        String cpText = shell(tmp, "groff", "-man", "-Tascii", "-P-c", "-P-b", "-P-u", cpPage.toString())[0];
        assertThat(cpText).contains("JRUMP-CP").contains("-r, -R").contains("-p").contains("-q").contains("--partition").contains("N");
    }

    @Test
    void completion_isBash_thatCompletesCommandsAndOptions() throws Exception {
        Path script = Files.writeString(tmp.resolve("jrump-completion.bash"), run("completion"));
        Path probe = Files.writeString(tmp.resolve("probe.bash"), """
                source ./jrump-completion.bash
                COMP_WORDS=(jrump in); COMP_CWORD=1; COMP_LINE="jrump in"; COMP_POINT=${#COMP_LINE}
                _complete_jrump jrump in jrump; echo "commands: ${COMPREPLY[*]}"
                COMP_WORDS=(jrump cp -); COMP_CWORD=2; COMP_LINE="jrump cp -"; COMP_POINT=${#COMP_LINE}
                _complete_jrump jrump - cp; echo "cp options: ${COMPREPLY[*]}"
                """);
        String[] r = shell(tmp, "bash", probe.toString());
        assertThat(r[2]).as(r[1]).isEqualTo("0");
        assertThat(r[0]).contains("commands: info");
        assertThat(r[0]).containsPattern("cp options: .*-q").containsPattern("cp options: .*--partition");
        assertThat(script).isRegularFile();
    }
}
