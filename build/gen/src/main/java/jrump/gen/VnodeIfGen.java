package jrump.gen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jrump.gen.VnodeIfSrc.Arg;
import jrump.gen.VnodeIfSrc.LockSpec;
import jrump.gen.VnodeIfSrc.Op;

/**
 * Generates, from vnode_if.src, the seed's third interface class (NetBSD's vnode_if.sh):
 * <ul>
 *   <li>{@code VopArgs}: one record per VOP (struct vop_X_args), permitted subtypes of one sealed interface,
 *       each with its descriptor (vnodeop_desc);</li>
 *   <li>{@code VnodeOps}: the operations a file system implements, defaulting to EOPNOTSUPP, and an
 *       exhaustive dispatch over the records (for layered file systems and protocol translators);</li>
 *   <li>{@code Vop}: the VOP_X() wrappers that callers use; in diagnostic mode they check the lock states
 *       the spec's {@code #%} lines annotate, on entry and on return.</li>
 * </ul>
 */
public final class VnodeIfGen {
    static final String PACKAGE = "jrump.rumpvfs.vnode";

    private final List<Op> ops;
    private final String header;

    public VnodeIfGen(List<Op> ops, String specName, String specHash) {
        this.ops = ops;
        this.header = GeneratedHeader.of(specName, specHash, VnodeIfGen.class);
    }

    public Map<String, String> generate() {
        Map<String, String> files = new TreeMap<>();
        String dir = PACKAGE.replace('.', '/') + "/";
        files.put(dir + "VopArgs.java", argsFile());
        files.put(dir + "VnodeOps.java", opsFile());
        files.put(dir + "Vop.java", wrappersFile());
        return files;
    }

    static String javaType(Arg a, String where) {
        String base = switch (a.cType()) {
            case "struct vnode" -> "Vnode";
            case "struct componentname" -> "ComponentName";
            case "struct vattr" -> "Vattr";
            case "struct uio" -> "Uio";
            case "struct buf" -> "Buf";
            case "struct flock" -> "jrump.rumpkern.Flock";
            case "kauth_cred_t" -> "KCred";
            case "int", "u_int", "mode_t", "accmode_t" -> "int";
            case "off_t", "daddr_t", "u_long", "size_t", "register_t", "voff_t" -> "long";
            case "bool" -> "boolean";
            case "char" -> "String";
            case "void" -> "Object";
            default -> throw new SpecException(where + ": no Java mapping for " + a.cType());
        };
        boolean struct = a.cType().startsWith("struct ");
        int p = a.pointers();
        if (base.equals("String")) {
            if (p != 1 || a.dir() != VnodeIfSrc.Dir.IN) throw new SpecException(where + ": char * must be IN");
            return "String";
        }
        if (base.equals("Object")) return "Object";
        if (struct) {
            if (p == 1) return base;
            if (p == 2) return "Out<" + base + ">";
            throw new SpecException(where + ": too many pointers on " + a.name());
        }
        if (p == 0) return base;
        String boxed = switch (base) {
            case "int" -> "Integer";
            case "long" -> "Long";
            case "boolean" -> "Boolean";
            default -> base;
        };
        if (p == 1) return "Out<" + boxed + ">";
        if (p == 2 && base.equals("long")) return "Out<long[]>";
        throw new SpecException(where + ": cannot map " + a.cType() + " " + "*".repeat(p) + a.name());
    }

    private static String imports() {
        return "import jrump.rumpkern.kernel.KCred;\nimport jrump.rumpkern.kernel.Out;\n\n";
    }

    private String argsFile() {
        StringBuilder b = new StringBuilder(header);
        b.append("package ").append(PACKAGE).append(";\n\n").append("import java.util.List;\n\n").append(imports());
        b.append("""
                /** The arguments of each vnode operation (NetBSD's struct vop_X_args), with its descriptor. */
                @SuppressWarnings("unused")
                public sealed interface VopArgs {
                    /** The operation's descriptor (vnodeop_desc). */
                    VopDesc desc();

                    /** The vnode the call dispatches on: its first vnode argument. */
                    Vnode vnode();
                """);
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            String where = "line " + op.line() + " " + op.name();
            List<String> comps = new ArrayList<>();
            for (Arg a : op.args()) comps.add(javaType(a, where) + " " + a.name());
            b.append("\n    /** {@code ").append(op.name()).append("}").append(op.version() > 1 ? " (version " + op.version() + ")" : "")
                    .append(" */\n");
            b.append("    record ").append(op.javaType()).append('(').append(String.join(", ", comps)).append(") implements VopArgs {\n");
            b.append("        public static final VopDesc DESC = new VopDesc(").append(i).append(", \"").append(op.shortName())
                    .append("\", List.of(");
            List<String> vargs = new ArrayList<>();
            for (Arg a : op.args()) {
                if (!a.cType().equals("struct vnode")) continue;
                LockSpec l = op.locks().get(a.name());
                String states = l == null ? "'-', '-', '-'" : "'" + l.entry() + "', '" + l.exit() + "', '" + l.error() + "'";
                vargs.add("new VopDesc.VnodeArg(\"" + a.name() + "\", " + states + ", "
                        + (a.release() == null ? "VopDesc.Release.NONE" : "VopDesc.Release." + a.release()) + ", " + a.willMake() + ")");
            }
            b.append(String.join(", ", vargs)).append("));\n\n");
            b.append("        @Override\n        public VopDesc desc() {\n            return DESC;\n        }\n\n");
            b.append("        @Override\n        public Vnode vnode() {\n            return ").append(op.args().getFirst().name()).append(";\n        }\n");
            b.append("    }\n");
        }
        b.append("\n    /** Every operation's descriptor, in spec order (vfs_op_descs). */\n");
        b.append("    List<VopDesc> ALL = List.of(");
        for (int i = 0; i < ops.size(); i++) {
            b.append(i % 4 == 0 ? "\n            " : " ").append(ops.get(i).javaType()).append(".DESC").append(i + 1 < ops.size() ? "," : "");
        }
        b.append(");\n}\n");
        return b.toString();
    }

    private String opsFile() {
        StringBuilder b = new StringBuilder(header);
        b.append("package ").append(PACKAGE).append(";\n\n");
        b.append("""
                /**
                 * The vnode operations a file system implements (its vnodeopv). Each returns an errno, 0 for success.
                 * An operation a file system does not implement answers EOPNOTSUPP. Locking: as the spec's #% lines
                 * say for each operation (checked by {@link Vop} in diagnostic mode).
                 */
                public interface VnodeOps {
                    int EOPNOTSUPP = jrump.rumpkern.Errno.EOPNOTSUPP.number();
                """);
        for (Op op : ops) {
            b.append("\n    /** {@code ").append(op.name()).append("}");
            if (!op.locks().isEmpty()) {
                b.append(". Locking:");
                for (var e : op.locks().entrySet()) {
                    LockSpec l = e.getValue();
                    b.append(' ').append(e.getKey()).append(' ').append(l.entry()).append(l.exit()).append(l.error()).append(';');
                }
            }
            b.append(" */\n");
            b.append("    default int ").append(op.javaMethod()).append("(VopArgs.").append(op.javaType()).append(" a) {\n");
            // even a refusal keeps the protocol: vnodes the caller hands over locked come back unlocked
            List<String> unlocked = new java.util.ArrayList<>();
            for (Arg arg : op.args()) {
                if (!arg.cType().equals("struct vnode") || arg.pointers() != 1) continue;
                if (!"WILLUNLOCK".equals(arg.release()) && !"WILLPUT".equals(arg.release())) continue;
                StringBuilder cond = new StringBuilder("a." + arg.name() + "() != null");
                for (String earlier : unlocked) cond.append(" && a.").append(arg.name()).append("() != a.").append(earlier).append("()");
                b.append("        if (").append(cond).append(" && a.").append(arg.name()).append("().lockHeldByMe()) a.")
                        .append(arg.name()).append("().unlock();\n");
                unlocked.add(arg.name());
            }
            b.append("        return EOPNOTSUPP;\n    }\n");
        }
        b.append("\n    /** Calls the operation {@code a} stands for: exhaustive, so a new VOP breaks every translator until handled. */\n");
        b.append("    static int dispatch(VnodeOps ops, VopArgs a) {\n        return switch (a) {\n");
        for (Op op : ops) {
            b.append("            case VopArgs.").append(op.javaType()).append(" x -> ops.").append(op.javaMethod()).append("(x);\n");
        }
        b.append("        };\n    }\n}\n");
        return b.toString();
    }

    private String wrappersFile() {
        StringBuilder b = new StringBuilder(header);
        b.append("package ").append(PACKAGE).append(";\n\n").append(imports());
        b.append("""
                /**
                 * The VOP_X() wrappers: build the arguments, dispatch through the first vnode's operations and, in
                 * diagnostic mode, check each vnode argument's lock state on entry and on return against the spec.
                 */
                public final class Vop {
                    private Vop() {
                    }
                """);
        for (Op op : ops) {
            String where = "line " + op.line() + " " + op.name();
            List<String> params = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (Arg a : op.args()) {
                params.add(javaType(a, where) + " " + a.name());
                names.add(a.name());
            }
            String first = op.args().getFirst().name();
            String t = "VopArgs." + op.javaType();
            b.append("\n    /** VOP_").append(op.shortName().toUpperCase(java.util.Locale.ROOT)).append(" */\n");
            b.append("    public static int ").append(op.javaMethod()).append('(').append(String.join(", ", params)).append(") {\n");
            b.append("        var a = new ").append(t).append('(').append(String.join(", ", names)).append(");\n");
            b.append("        boolean check = ").append(first).append(".diagnostic();\n");
            List<String> checkedEntry = new ArrayList<>();
            List<String> checkedExit = new ArrayList<>();
            // every vnode argument's value: an argument that is also passed in another position (rename in
            // one directory, lookup of ".") is not checked, since its positions may want different states
            List<String> all = new ArrayList<>();
            for (Arg a : op.args()) {
                if (a.cType().equals("struct vnode")) all.add(a.pointers() == 2 ? a.name() + ".get()" : a.name());
            }
            String allList = String.join(", ", all);
            int vi = 0;
            for (Arg a : op.args()) {
                if (!a.cType().equals("struct vnode")) continue;
                LockSpec l = op.locks().get(a.name());
                if (l != null && "LUX".indexOf(l.entry()) >= 0 && a.pointers() == 1) {
                    checkedEntry.add("            VnodeLockCheck.check(" + t + ".DESC, " + vi + ", false, 0, " + allList + ");\n");
                }
                if (l != null && ("LUX".indexOf(l.exit()) >= 0 || "LUX".indexOf(l.error()) >= 0)) {
                    checkedExit.add("            VnodeLockCheck.check(" + t + ".DESC, " + vi + ", true, error, " + allList + ");\n");
                }
                vi++;
            }
            if (!checkedEntry.isEmpty()) b.append("        if (check) {\n").append(String.join("", checkedEntry)).append("        }\n");
            b.append("        int error = VnodeOps.dispatch(").append(first).append(".ops(), a);\n");
            if (!checkedExit.isEmpty()) b.append("        if (check) {\n").append(String.join("", checkedExit)).append("        }\n");
            b.append("        return error;\n    }\n");
        }
        b.append("}\n");
        return b.toString();
    }
}
