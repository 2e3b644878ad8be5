package jrump.boundaries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * rumpuser is the only code that touches the host: no kernel module may use host files, clocks, threads,
 * blocking locks, randomness or the network directly. Checked on the bytecode of every kernel module.
 */
class HostAccessTest {
    static final Path ROOT = Path.of(System.getProperty("jrump.root", "../..")).toAbsolutePath().normalize();

    /**
     * Types a kernel module may not touch: a name ending in '/' is a whole package, any other name is that
     * class and its nested classes.
     */
    private static final List<String> FORBIDDEN_TYPES = List.of(
            "java/io/File", "java/io/FileInputStream", "java/io/FileOutputStream", "java/io/FileReader",
            "java/io/FileWriter", "java/io/RandomAccessFile", "java/nio/file/", "java/nio/channels/FileChannel",
            "java/nio/channels/AsynchronousFileChannel", "java/net/", "java/util/Random", "java/security/SecureRandom",
            "java/util/concurrent/ThreadLocalRandom", "java/util/SplittableRandom", "java/time/Clock",
            "java/util/concurrent/locks/", "java/util/concurrent/Executor", "java/util/concurrent/Executors",
            "java/util/concurrent/ExecutorService", "java/util/concurrent/ForkJoinPool",
            "java/util/concurrent/CountDownLatch", "java/util/concurrent/Semaphore", "java/lang/ProcessBuilder",
            "java/lang/Runtime", "java/lang/ThreadLocal", "java/lang/foreign/");
    /** Methods a kernel module may not call: owner.name. */
    private static final Set<String> FORBIDDEN_CALLS = Set.of(
            "java/lang/System.currentTimeMillis", "java/lang/System.nanoTime", "java/lang/System.getenv",
            "java/lang/System.exit", "java/lang/Thread.<init>", "java/lang/Thread.start", "java/lang/Thread.sleep",
            "java/lang/Thread.ofPlatform", "java/lang/Thread.ofVirtual", "java/lang/Thread.startVirtualThread",
            "java/lang/Thread.yield", "java/lang/Thread.join", "java/lang/Object.wait", "java/time/Instant.now",
            "java/time/LocalDateTime.now", "java/time/ZonedDateTime.now", "java/lang/Math.random");

    /** The class directories of every module on the kernel side of the hypercall boundary. */
    static List<Path> kernelClassDirs() throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (String faction : List.of("librump", "fs", "net", "dev")) {
            Path d = ROOT.resolve(faction);
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> s = Files.list(d)) {
                s.filter(m -> !m.getFileName().toString().equals("rumpuser"))
                        .map(m -> m.resolve("target/classes"))
                        .filter(Files::isDirectory)
                        .forEach(dirs::add);
            }
        }
        return dirs;
    }

    static Set<String> violations(Path classDir) throws IOException {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    scan(new ClassReader(in), found);
                }
            }
        }
        return found;
    }

    private static void scan(ClassReader reader, Set<String> found) {
        String[] cls = new String[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                cls[0] = name;
                checkType(superName);
                if (interfaces != null) for (String i : interfaces) checkType(i);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                checkDescriptor(descriptor);
                String where = cls[0] + "." + name;
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String mname, String mdesc, boolean itf) {
                        if (FORBIDDEN_CALLS.contains(owner + "." + mname)) found.add(where + " calls " + owner + "." + mname);
                        checkType(owner, where);
                        checkDescriptor(mdesc, where);
                    }

                    @Override
                    public void visitFieldInsn(int opcode, String owner, String fname, String fdesc) {
                        checkType(owner, where);
                    }

                    @Override
                    public void visitTypeInsn(int opcode, String type) {
                        checkType(type, where);
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                        if (value instanceof Type t && t.getSort() == Type.OBJECT) checkType(t.getInternalName(), where);
                    }
                };
            }

            private void checkDescriptor(String desc) {
                checkDescriptor(desc, cls[0]);
            }

            private void checkDescriptor(String desc, String where) {
                Type m = Type.getType(desc);
                if (m.getSort() == Type.METHOD) {
                    for (Type a : m.getArgumentTypes()) checkSort(a, where);
                    checkSort(m.getReturnType(), where);
                } else {
                    checkSort(m, where);
                }
            }

            private void checkSort(Type t, String where) {
                if (t.getSort() == Type.ARRAY) t = t.getElementType();
                if (t.getSort() == Type.OBJECT) checkType(t.getInternalName(), where);
            }

            private void checkType(String type) {
                checkType(type, cls[0]);
            }

            private void checkType(String type, String where) {
                if (type == null) return;
                for (String f : FORBIDDEN_TYPES) {
                    boolean hit = f.endsWith("/") ? type.startsWith(f) : type.equals(f) || type.startsWith(f + "$");
                    if (hit) found.add(where + " uses " + type);
                }
            }
        }, ClassReader.SKIP_DEBUG);
    }

    @Test
    void kernelModules_touchTheHostOnlyThroughRumpuser() throws IOException {
        List<Path> dirs = kernelClassDirs();
        assertThat(dirs).as("kernel modules found under " + ROOT).isNotEmpty()
                .anySatisfy(d -> assertThat(d.toString()).contains("rumpkern"));
        Set<String> all = new TreeSet<>();
        for (Path d : dirs) all.addAll(violations(d));
        assertThat(all).as("host access outside rumpuser").isEmpty();
    }

    /** The scanner is not blind: rumpuser, which is allowed to touch the host, does. */
    @Test
    void scannerFindsHostAccessInRumpuser() throws IOException {
        Set<String> v = violations(ROOT.resolve("librump/rumpuser/target/classes"));
        assertThat(v).anyMatch(s -> s.contains("java/nio/file/"));
        assertThat(v).anyMatch(s -> s.contains("java/lang/System.nanoTime"));
        assertThat(v).anyMatch(s -> s.contains("java/util/concurrent/locks/"));
    }
}
