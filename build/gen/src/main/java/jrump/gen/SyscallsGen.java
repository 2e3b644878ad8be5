package jrump.gen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jrump.gen.CParam.Annotation;
import jrump.gen.SyscallsMaster.Entry;

/**
 * Generates, from syscalls.master, the role of NetBSD's rump_syscalls.c, syscallargs.h and syscall.h:
 * <ul>
 *   <li>{@code jrump.rumpkern.kernel.SyscallArgs}: one record per RUMP syscall (the "struct sys_X_args"),
 *       all permitted subtypes of one sealed interface;</li>
 *   <li>{@code jrump.rumpkern.kernel.SyscallTable}: the numbers and a typed descriptor per syscall;</li>
 *   <li>{@code jrump.rumpkern.Syscalls}: the public entry points, one Java method per syscall, each of which
 *       enters the kernel through a {@code SyscallGate} (schedule, dispatch through sysent, unschedule).</li>
 * </ul>
 */
public final class SyscallsGen {
    static final String KERNEL_PACKAGE = "jrump.rumpkern.kernel";

    private final List<Entry> entries;
    private final String header;

    public SyscallsGen(List<Entry> entries, String specName, String specHash) {
        this.entries = entries;
        this.header = GeneratedHeader.of(specName, specHash, SyscallsGen.class);
    }

    /** Relative path → source text. */
    public Map<String, String> generate() {
        Map<String, String> files = new TreeMap<>();
        files.put("jrump/rumpkern/kernel/SyscallArgs.java", argsFile());
        files.put("jrump/rumpkern/kernel/SyscallTable.java", tableFile());
        files.put("jrump/rumpkern/Syscalls.java", publicFile());
        return files;
    }

    private List<Entry> rump() {
        return entries.stream().filter(Entry::generated).toList();
    }

    // --- SyscallArgs -----------------------------------------------------------------------------

    private String argsFile() {
        StringBuilder b = new StringBuilder(header);
        b.append("package ").append(KERNEL_PACKAGE).append(";\n\n");
        b.append("""
                /**
                 * The arguments of each rump system call as the kernel receives them (NetBSD's {@code struct sys_X_args}).
                 * Pointers to user memory appear as the Java objects that stand for that memory: a ByteBuffer slice of
                 * the caller's buffer, an array, an {@link Out} cell for a struct to copy out.
                 */
                public sealed interface SyscallArgs {
                """);
        for (Entry e : rump()) {
            b.append("\n    /** {@code ").append(prototype(e)).append("} (syscall ").append(e.number()).append("). */\n");
            b.append("    record ").append(e.argsName()).append("(");
            List<String> fields = new ArrayList<>();
            for (CParam p : e.params()) fields.add(kernelType(p, e) + " " + javaParamName(p));
            b.append(String.join(", ", fields)).append(") implements SyscallArgs {\n    }\n");
        }
        b.append("}\n");
        return b.toString();
    }

    // --- SyscallTable ----------------------------------------------------------------------------

    private String tableFile() {
        StringBuilder b = new StringBuilder(header);
        b.append("package ").append(KERNEL_PACKAGE).append(";\n\n");
        b.append("import java.util.List;\n\n");
        b.append("/** System call numbers and descriptors, from syscalls.master. */\n");
        b.append("public final class SyscallTable {\n");
        b.append("    private SyscallTable() {\n    }\n\n");
        int max = 0;
        for (Entry e : entries) max = Math.max(max, e.number());
        b.append("    /** One more than the highest syscall number in the spec (NetBSD's SYS_MAXSYSCALL). */\n");
        b.append("    public static final int MAXSYSCALL = ").append(max + 1).append(";\n\n");
        for (Entry e : rump()) {
            b.append("    public static final int SYS_").append(e.name().replaceAll("^_+", "")).append(" = ").append(e.number()).append(";\n");
        }
        b.append('\n');
        for (Entry e : rump()) {
            String type = "SyscallArgs." + e.argsName();
            b.append("    public static final SyscallDesc<").append(type).append("> ").append(e.constantName())
                    .append(" =\n            new SyscallDesc<>(").append(e.number()).append(", \"").append(e.name())
                    .append("\", ").append(type).append(".class, ").append(e.type() == SyscallsMaster.Type.NOERR)
                    .append(");\n");
        }
        b.append("\n    /** Every RUMP syscall of the spec, in number order. */\n");
        b.append("    public static final List<SyscallDesc<?>> ALL = List.of(");
        List<String> names = rump().stream().map(Entry::constantName).toList();
        for (int i = 0; i < names.size(); i++) {
            b.append(i % 6 == 0 ? "\n            " : " ").append(names.get(i)).append(i + 1 < names.size() ? "," : "");
        }
        b.append(");\n}\n");
        return b.toString();
    }

    // --- Syscalls (public) -----------------------------------------------------------------------

    private String publicFile() {
        StringBuilder b = new StringBuilder(header);
        b.append("package jrump.rumpkern;\n\n");
        b.append("import java.nio.ByteBuffer;\n\n");
        b.append("import ").append(KERNEL_PACKAGE).append(".Iovecs;\n");
        b.append("import ").append(KERNEL_PACKAGE).append(".Out;\n");
        b.append("import ").append(KERNEL_PACKAGE).append(".SyscallArgs;\n");
        b.append("import ").append(KERNEL_PACKAGE).append(".SyscallGate;\n");
        b.append("import ").append(KERNEL_PACKAGE).append(".SyscallTable;\n\n");
        b.append("""
                /**
                 * The system calls of one rump kernel: NetBSD's {@code rump_sys_*}, one method per RUMP entry of
                 * syscalls.master. Each call enters the kernel on the calling thread: it takes a virtual CPU for the
                 * thread's current lwp (or an implicit one in the init process), dispatches through the kernel's
                 * sysent table and gives the CPU back. A call either succeeds or throws {@link RumpException} carrying
                 * one {@link Errno}, and changes nothing when it fails. A call whose component is not in the kernel
                 * fails with {@link Errno#ENOSYS}.
                 */
                @SuppressWarnings({"exports", "unused"})
                public final class Syscalls {
                    private final SyscallGate gate;

                    /** For the kernel: users get theirs from {@link RumpKernel#syscalls()}. */
                    public Syscalls(SyscallGate gate) {
                        this.gate = gate;
                    }
                """);
        for (Entry e : rump()) publicMethod(b, e);
        b.append("}\n");
        return b.toString();
    }

    private void publicMethod(StringBuilder b, Entry e) {
        String where = "syscall " + e.number() + " " + e.name();
        List<CParam> returned = e.params().stream().filter(SyscallsGen::isReturnedOut).toList();
        if (returned.size() > 1) throw new SpecException(where + ": more than one returned out argument");
        String javaReturn;
        if (!returned.isEmpty()) {
            if (!JavaTypes.isInt(e.returnType())) throw new SpecException(where + ": an out argument needs an int return");
            javaReturn = kernelValueType(returned.getFirst(), e);
        } else {
            javaReturn = JavaTypes.scalar(e.returnType(), 0, where);
        }
        List<String> javaParams = new ArrayList<>();
        for (CParam p : e.params()) {
            if (isHiddenFromCaller(p, e)) continue;
            javaParams.add(callerType(p, e) + " " + javaParamName(p));
        }
        b.append("\n    /** {@code ").append(prototype(e)).append("}");
        if (e.type() == SyscallsMaster.Type.NOERR) b.append(" (cannot fail)");
        b.append(" */\n");
        b.append("    public ").append(javaReturn).append(' ').append(e.javaName()).append('(')
                .append(String.join(", ", javaParams)).append(") {\n");
        List<String> ctorArgs = new ArrayList<>();
        CParam buffer = null;
        for (CParam p : e.params()) {
            String n = javaParamName(p);
            switch (p.annotation()) {
                case IN, IN_Z -> b.append("        if (").append(n).append(" == null) throw new RumpException(Errno.EFAULT, \"")
                        .append(e.name()).append(": ").append(n).append(" is null\");\n");
                case IN_READS_OPT -> { }
                case IN_READS, OUT_WRITES, INOUT_UPDATES -> {
                    if (p.sizeIsFixed() && p.annotation() == Annotation.OUT_WRITES) {
                        b.append("        var ").append(n).append("Out = new ").append(JavaTypes.arrayElement(p.cType(), where))
                                .append('[').append(p.sizeArg()).append("];\n");
                    } else {
                        b.append("        if (").append(n).append(" == null) throw new RumpException(Errno.EFAULT, \"")
                                .append(e.name()).append(": ").append(n).append(" is null\");\n");
                    }
                }
                case IN_READS_BYTES, OUT_WRITES_BYTES -> {
                    b.append("        if (").append(n).append(" == null) throw new RumpException(Errno.EFAULT, \"")
                            .append(e.name()).append(": ").append(n).append(" is null\");\n");
                    if (buffer != null) throw new SpecException(where + ": two byte buffers");
                    buffer = p;
                    if (p.annotation() == Annotation.OUT_WRITES_BYTES) {
                        b.append("        if (").append(n).append(".isReadOnly()) throw new RumpException(Errno.EFAULT, \"")
                                .append(e.name()).append(": ").append(n).append(" is read-only\");\n");
                    }
                }
                case OUT -> b.append("        var ").append(n).append(" = new Out<").append(p.structJavaName()).append(">();\n");
                default -> { }
            }
        }
        for (CParam p : e.params()) ctorArgs.add(constructorArg(p, e));
        String call = "gate.call(SyscallTable." + e.constantName() + ", new SyscallArgs." + e.argsName() + "("
                + String.join(", ", ctorArgs) + "))";
        if (buffer != null) {
            String bn = javaParamName(buffer);
            // calls that report a size larger than the buffer (getxattr's size query) moved only what fit
            b.append("        int room = ").append(bn).append(".remaining();\n");
            b.append("        long n = ").append(call).append(";\n");
            b.append("        ").append(bn).append(".position(").append(bn).append(".position() + (int) Math.min(n, room));\n");
            b.append(returnOf(javaReturn, "n"));
        } else if (!returned.isEmpty()) {
            b.append("        ").append(call).append(";\n");
            CParam r = returned.getFirst();
            String rn = javaParamName(r);
            b.append("        return ").append(r.annotation() == Annotation.OUT ? rn + ".get()" : rn + "Out").append(";\n");
        } else if (e.params().stream().anyMatch(SyscallsGen::isIovec)) {
            CParam iov = e.params().stream().filter(SyscallsGen::isIovec).findFirst().orElseThrow();
            b.append("        long n = ").append(call).append(";\n");
            b.append("        Iovecs.advance(").append(javaParamName(iov)).append(", n);\n");
            b.append(returnOf(javaReturn, "n"));
        } else if (javaReturn.equals("void")) {
            b.append("        ").append(call).append(";\n");
        } else {
            b.append(returnOf(javaReturn, call));
        }
        b.append("    }\n");
        CParam last = e.params().isEmpty() ? null : e.params().getLast();
        if (last != null && last.annotation() == Annotation.INOUT_OPT) {
            // the common case passes no struct (fcntl's integer commands): an overload without it
            List<String> shorter = javaParams.subList(0, javaParams.size() - 1);
            List<String> names = new ArrayList<>(shorter.stream().map(p -> p.substring(p.lastIndexOf(' ') + 1)).toList());
            names.add("null");
            b.append("\n    /** {@code ").append(e.name()).append("} without {@code ").append(last.name()).append("}. */\n");
            b.append("    public ").append(javaReturn).append(' ').append(e.javaName()).append('(')
                    .append(String.join(", ", shorter)).append(") {\n");
            String delegate = e.javaName() + "(" + String.join(", ", names) + ")";
            b.append(javaReturn.equals("void") ? "        " + delegate + ";\n" : "        return " + delegate + ";\n");
            b.append("    }\n");
        }
    }

    private static String returnOf(String javaReturn, String value) {
        if (javaReturn.equals("void")) return "";
        if (javaReturn.equals("long")) return "        return " + value + ";\n";
        return "        return (int) " + value + ";\n";
    }

    /** A struct or fixed-size array the kernel fills and the Java method returns. */
    private static boolean isReturnedOut(CParam p) {
        return p.annotation() == Annotation.OUT || (p.annotation() == Annotation.OUT_WRITES && p.sizeIsFixed());
    }

    /** Arguments the Java caller does not pass: sizes derived from an array or buffer, returned outs, ignored outs. */
    private static boolean isHiddenFromCaller(CParam p, Entry e) {
        if (isReturnedOut(p) || p.annotation() == Annotation.OUT_OPT) return true;
        if ((p.annotation() == Annotation.IN_READS || p.annotation() == Annotation.IN_READS_OPT) && p.sizeIsFixed()) return false;
        return e.params().stream().anyMatch(q -> p.name().equals(q.sizeArg()));
    }

    private static String constructorArg(CParam p, Entry e) {
        String n = javaParamName(p);
        for (CParam q : e.params()) {
            if (p.name().equals(q.sizeArg())) {
                String qn = javaParamName(q);
                boolean bytes = q.annotation() == Annotation.IN_READS_BYTES || q.annotation() == Annotation.OUT_WRITES_BYTES;
                String size = bytes ? qn + ".remaining()" : qn + ".length";
                return JavaTypes.isLong(p.cType()) ? "(long) " + size : size;
            }
        }
        return switch (p.annotation()) {
            case OUT_OPT -> "null";
            case IN_READS -> isIovec(p) ? "Iovecs.slices(" + n + ", false)" : n + ".clone()";
            case IN_READS_OPT -> n + " == null ? null : " + n + ".clone()";
            case OUT_WRITES -> isIovec(p) ? "Iovecs.slices(" + n + ", true)" : p.sizeIsFixed() ? n + "Out" : n;
            case IN_READS_BYTES -> n + ".slice().asReadOnlyBuffer()";
            case OUT_WRITES_BYTES -> n + ".slice()";
            default -> n;
        };
    }

    /** The type the kernel sees in the args record. */
    private static String kernelType(CParam p, Entry e) {
        String where = "syscall " + e.number() + " " + e.name();
        return switch (p.annotation()) {
            case NONE -> {
                String t = JavaTypes.scalar(p.cType(), p.pointers(), where);
                yield t.equals("int") || t.equals("long") ? t : "jrump.rumpkern." + t;
            }
            case IN, IN_OPT, INOUT_OPT -> structType(p, where);
            case IN_Z, IN_Z_OPT -> "String";
            case OUT, OUT_OPT -> "Out<" + structType(p, where) + ">";
            case IN_READS, IN_READS_OPT, OUT_WRITES, INOUT_UPDATES -> isIovec(p) ? "java.nio.ByteBuffer[]"
                    : (p.isStruct() ? structType(p, where) : JavaTypes.arrayElement(p.cType(), where)) + "[]";
            case IN_READS_BYTES, OUT_WRITES_BYTES -> "java.nio.ByteBuffer";
        };
    }

    /** The type a Java caller passes or gets back. */
    private static String callerType(CParam p, Entry e) {
        String t = kernelType(p, e);
        return t.startsWith("jrump.rumpkern.") ? t.substring("jrump.rumpkern.".length())
                : t.replace("java.nio.ByteBuffer", "ByteBuffer");
    }

    /** struct iovec arrays are ByteBuffer arrays in Java: readv fills them, writev drains them. */
    static boolean isIovec(CParam p) {
        return p.isStruct() && p.structName().equals("iovec");
    }

    private static String kernelValueType(CParam p, Entry e) {
        if (p.annotation() == Annotation.OUT) return p.structJavaName();
        return JavaTypes.arrayElement(p.cType(), "syscall " + e.name()) + "[]";
    }

    private static String structType(CParam p, String where) {
        if (!p.isStruct() || p.pointers() != 1) throw new SpecException(where + ": " + p.name() + " must be a struct pointer");
        return "jrump.rumpkern." + p.structJavaName();
    }

    static String javaParamName(CParam p) {
        String n = JavaTypes.camel(p.name());
        return switch (n) {
            case "new", "class", "default", "int", "long", "char", "byte" -> n + "Arg";
            default -> n;
        };
    }

    private static String prototype(Entry e) {
        List<String> ps = new ArrayList<>();
        for (CParam p : e.params()) ps.add(p.cType() + " " + "*".repeat(p.pointers()) + p.name());
        return e.returnType() + " " + e.name() + "(" + (ps.isEmpty() ? "void" : String.join(", ", ps)) + ")";
    }
}
