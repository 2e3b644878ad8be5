package jrump.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's private implementations (rumppriv_*, jrump.rumpkern.impl) and its faction-internal
 * interfaces (jrump.rumpkern.kernel) are unreachable from user code: a user module can neither compile
 * against them nor reach them by reflection. Only the public API (jrump.rumpkern) is.
 */
class EncapsulationTest {
    private static final Path RUMPKERN = HostAccessTest.ROOT.resolve("librump/rumpkern/target/classes");
    private static final Path RUMPUSER = HostAccessTest.ROOT.resolve("librump/rumpuser/target/classes");
    private static final Path RUMPDEV = HostAccessTest.ROOT.resolve("librump/rumpdev/target/classes");

    private static List<String> compile(Path src, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<Path> files;
            try (var s = Files.walk(src)) {
                files = s.filter(p -> p.toString().endsWith(".java")).toList();
            }
            List<String> options = List.of("--module-path", RUMPKERN + java.io.File.pathSeparator + RUMPUSER,
                    "-d", out.toString(), "-proc:none");
            boolean ok = javac.getTask(null, fm, diags, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
            List<String> errors = new ArrayList<>();
            diags.getDiagnostics().stream().filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR)
                    .forEach(d -> errors.add(d.getMessage(Locale.ROOT)));
            if (ok) assertThat(errors).isEmpty();
            return errors;
        }
    }

    private static void write(Path root, String module, String cls, String body) throws IOException {
        Files.createDirectories(root.resolve("probe"));
        Files.writeString(root.resolve("module-info.java"), "module probe { requires jrump.rumpkern; exports probe; }");
        Files.writeString(root.resolve("probe/" + cls + ".java"), body);
    }

    @Test
    void userCode_compilesAgainstThePublicApi(@TempDir Path tmp) throws IOException {
        write(tmp.resolve("src"), "probe", "Ok", """
                package probe;
                import jrump.rumpkern.RumpKernel;
                public class Ok { public static int run() { try (RumpKernel k = RumpKernel.boot()) { return k.syscalls().getpid(); } } }
                """);
        assertThat(compile(tmp.resolve("src"), tmp.resolve("out"))).isEmpty();
    }

    @Test
    void userCode_cannotCompileAgainstPrivateImplementations(@TempDir Path tmp) throws IOException {
        write(tmp.resolve("src"), "probe", "Bad", """
                package probe;
                public class Bad {
                    jrump.rumpkern.impl.Boot.Booted b;
                    jrump.rumpkern.kernel.RumpkernPriv priv;
                }
                """);
        List<String> errors = compile(tmp.resolve("src"), tmp.resolve("out"));
        assertThat(errors).anyMatch(e -> e.contains("jrump.rumpkern.impl") && e.contains("not visible"));
        assertThat(errors).anyMatch(e -> e.contains("jrump.rumpkern.kernel") && e.contains("not visible"));
    }

    @Test
    void userCode_cannotReachPrivateImplementationsByReflection(@TempDir Path tmp) throws Exception {
        write(tmp.resolve("src"), "probe", "Reflect", """
                package probe;
                public class Reflect {
                    public static String run() throws Exception {
                        StringBuilder out = new StringBuilder();
                        for (String name : new String[] {"jrump.rumpkern.impl.Boot", "jrump.rumpkern.kernel.Kernel"}) {
                            Class<?> c = Class.forName(name, false, Reflect.class.getClassLoader());
                            try {
                                c.getDeclaredMethods()[0].setAccessible(true);
                                out.append(name).append(":OPEN ");
                            } catch (java.lang.reflect.InaccessibleObjectException e) {
                                out.append(name).append(":CLOSED ");
                            }
                        }
                        var api = Class.forName("jrump.rumpkern.RumpKernel", false, Reflect.class.getClassLoader());
                        out.append("api:").append(api.getModule().isExported("jrump.rumpkern") ? "EXPORTED" : "HIDDEN");
                        return out.toString();
                    }
                }
                """);
        assertThat(compile(tmp.resolve("src"), tmp.resolve("out"))).isEmpty();
        ModuleFinder finder = ModuleFinder.of(tmp.resolve("out"), RUMPKERN, RUMPUSER);
        Configuration cf = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), Set.of("probe"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        Class<?> probe = layer.findLoader("probe").loadClass("probe.Reflect");
        String result = (String) probe.getMethod("run").invoke(null);
        assertThat(result).isEqualTo("jrump.rumpkern.impl.Boot:CLOSED jrump.rumpkern.kernel.Kernel:CLOSED api:EXPORTED");
        Module kern = layer.findModule("jrump.rumpkern").orElseThrow();
        // to everyone only the API; the kernel-internal package only to the kernel's own factions
        assertThat(kern.getDescriptor().exports()).filteredOn(e -> !e.isQualified()).extracting(e -> e.source())
                .containsExactly("jrump.rumpkern");
        assertThat(kern.getDescriptor().exports()).filteredOn(e -> e.isQualified())
                .allSatisfy(e -> assertThat(e.targets()).allMatch(t -> t.startsWith("jrump.rump") || t.startsWith("jrump.fs.")
                        || t.startsWith("jrump.net.") || t.startsWith("jrump.dev.")));
    }

    /**
     * rumpdev exports its API package (block devices, partitions) and nothing else: the device
     * implementation (blk) and the partition-table readers (wedge) stay inside the module.
     */
    @Test
    void rumpdev_exportsOnlyItsApi() {
        var descriptor = ModuleFinder.of(RUMPDEV).find("jrump.rumpdev").orElseThrow().descriptor();
        assertThat(descriptor.exports()).extracting(e -> e.source()).containsExactly("jrump.rumpdev");
        assertThat(descriptor.exports()).allMatch(e -> !e.isQualified());
        assertThat(descriptor.packages()).contains("jrump.rumpdev.blk", "jrump.rumpdev.wedge");
        assertThat(descriptor.opens()).isEmpty();
        // a faction: it reaches the kernel's internal interface, which rumpkern exports to it by name
        var kern = ModuleFinder.of(RUMPKERN).find("jrump.rumpkern").orElseThrow().descriptor();
        assertThat(kern.exports()).filteredOn(e -> e.source().equals("jrump.rumpkern.kernel"))
                .singleElement().satisfies(e -> assertThat(e.targets()).contains("jrump.rumpdev"));
    }
}
