package jrump.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class IfSpecTest {
    private static final List<String> HEADER = List.of("NAME|kern", "PUBCLASS|jrump.rumpkern.Pub", "PRIVCLASS|jrump.rumpkern.kernel.Priv");

    private static IfSpec.Spec parse(String... lines) {
        List<String> all = new java.util.ArrayList<>(HEADER);
        all.addAll(List.of(lines));
        return IfSpec.parse(all);
    }

    @Test
    void parsesFunctionsAndGeneratesWrappers() {
        var spec = parse("; comment", "int |lwproc_rfork |int flags", "struct lwp * | lwproc_curlwp | void",
                "void|vfs_sync|int |WEAK");
        assertThat(spec.functions()).extracting(IfSpec.Function::name).containsExactly("lwproc_rfork", "lwproc_curlwp", "vfs_sync");
        assertThat(spec.functions().get(2).weak()).isTrue();
        var files = new IfSpecGen(spec, "t.ifspec", "0").generate();
        String pub = files.get("jrump/rumpkern/Pub.java");
        assertThat(pub).contains("public void lwprocRfork(int flags)")
                .contains("entry.schedule();").contains("entry.unschedule();")
                .contains("if (error != 0) throw new RumpException(Errno.of(error), \"lwproc_rfork\")")
                .contains("public jrump.rumpkern.Lwp lwprocCurlwp()");
        String priv = files.get("jrump/rumpkern/kernel/Priv.java");
        assertThat(priv).contains("int lwprocRfork(int flags);").contains("jrump.rumpkern.Lwp lwprocCurlwp();");
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> IfSpec.parse(List.of("NAME|x"))).hasMessageContaining("PUBCLASS");
        assertThatThrownBy(() -> parse("int|Bad-Name|void")).hasMessageContaining("bad name");
        assertThatThrownBy(() -> parse("int|f|void|STRONG")).hasMessageContaining("unknown flag");
        assertThatThrownBy(() -> parse("int f void")).hasMessageContaining("line 4");
    }
}
