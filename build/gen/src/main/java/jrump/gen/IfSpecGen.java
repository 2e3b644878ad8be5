package jrump.gen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jrump.gen.CParam.Annotation;
import jrump.gen.IfSpec.Function;

/**
 * Generates, from an {@code .ifspec}, the seed's first interface class (NetBSD's makerumpif.sh):
 * the private interface {@code rumppriv_foo} that kernel code implements and calls, and the public
 * wrappers {@code rump_pub_foo} that take a virtual CPU, call the private one and give the CPU back.
 * An {@code int} return is an errno: the public wrapper turns a non-zero one into a {@code RumpException}.
 */
public final class IfSpecGen {
    private final IfSpec.Spec spec;
    private final String header;

    public IfSpecGen(IfSpec.Spec spec, String specName, String specHash) {
        this.spec = spec;
        this.header = GeneratedHeader.of(specName, specHash, IfSpecGen.class);
    }

    public Map<String, String> generate() {
        Map<String, String> files = new TreeMap<>();
        String pub = spec.require("PUBCLASS");
        String priv = spec.require("PRIVCLASS");
        files.put(pub.replace('.', '/') + ".java", publicFile(pub, priv));
        files.put(priv.replace('.', '/') + ".java", privateFile(priv));
        return files;
    }

    private String privateFile(String priv) {
        StringBuilder b = new StringBuilder(header);
        b.append("package ").append(packageOf(priv)).append(";\n\n");
        b.append("/**\n * The private {@code ").append(spec.require("NAME"))
                .append("} interfaces (NetBSD's rumppriv_*): what the kernel implements and what kernel code calls.\n")
                .append(" * Callers must already hold a virtual CPU. An int result is an errno, 0 for success.\n */\n");
        b.append("public interface ").append(simpleName(priv)).append(" {\n");
        for (Function f : spec.functions()) {
            b.append("    /** {@code ").append(f.returnType()).append(' ').append(f.name()).append("} */\n");
            b.append("    ").append(javaType(f.returnType(), f)).append(' ').append(f.javaName()).append('(')
                    .append(String.join(", ", privParams(f))).append(");\n\n");
        }
        trimLastBlank(b);
        b.append("}\n");
        return b.toString();
    }

    private String publicFile(String pub, String priv) {
        StringBuilder b = new StringBuilder(header);
        String privSimple = simpleName(priv);
        b.append("package ").append(packageOf(pub)).append(";\n\n");
        b.append("import ").append(priv).append(";\n");
        b.append("import ").append(SyscallsGen.KERNEL_PACKAGE).append(".KernelEntry;\n\n");
        b.append("/**\n * The public {@code ").append(spec.require("NAME"))
                .append("} interfaces (NetBSD's rump_pub_*): each call takes a virtual CPU, calls the private\n")
                .append(" * implementation and gives the CPU back. Failures throw {@link RumpException} with the errno.\n */\n");
        b.append("@SuppressWarnings(\"exports\")\n");
        b.append("public final class ").append(simpleName(pub)).append(" {\n");
        b.append("    private final KernelEntry entry;\n    private final ").append(privSimple).append(" priv;\n\n");
        b.append("    /** For the kernel: users get theirs from {@link RumpKernel}. */\n");
        b.append("    public ").append(simpleName(pub)).append("(KernelEntry entry, ").append(privSimple).append(" priv) {\n");
        b.append("        this.entry = entry;\n        this.priv = priv;\n    }\n");
        for (Function f : spec.functions()) publicMethod(b, f);
        b.append("}\n");
        return b.toString();
    }

    private void publicMethod(StringBuilder b, Function f) {
        boolean errno = f.returnType().equals("int");
        String ret = errno ? "void" : javaType(f.returnType(), f);
        List<String> params = new ArrayList<>();
        List<String> args = new ArrayList<>();
        for (CParam p : f.params()) {
            String n = SyscallsGen.javaParamName(p);
            boolean isSize = f.params().stream().anyMatch(q -> p.name().equals(q.sizeArg()));
            if (isSize) {
                CParam array = f.params().stream().filter(q -> p.name().equals(q.sizeArg())).findFirst().orElseThrow();
                args.add(SyscallsGen.javaParamName(array) + ".length");
                continue;
            }
            params.add(paramType(p, f) + " " + n);
            args.add(p.annotation() == Annotation.IN_READS ? n + ".clone()" : n);
        }
        b.append("\n    /** {@code ").append(f.returnType()).append(" rump_pub_").append(f.name()).append("} */\n");
        b.append("    public ").append(ret).append(' ').append(f.javaName()).append('(').append(String.join(", ", params)).append(") {\n");
        for (CParam p : f.params()) {
            if (p.annotation() == Annotation.IN_READS) {
                String n = SyscallsGen.javaParamName(p);
                b.append("        if (").append(n).append(" == null) throw new RumpException(Errno.EFAULT, \"")
                        .append(f.name()).append(": ").append(n).append(" is null\");\n");
            }
        }
        String call = "priv." + f.javaName() + "(" + String.join(", ", args) + ")";
        String result = ret.equals("void") && !errno ? null : (errno ? "int error" : ret + " result");
        if (result != null) b.append("        ").append(result).append(";\n");
        b.append("        entry.schedule();\n        try {\n");
        b.append("            ").append(result == null ? "" : (errno ? "error" : "result") + " = ").append(call).append(";\n");
        b.append("        } catch (RuntimeException e) {\n            throw entry.panic(\"").append(f.name()).append("\", e);\n");
        b.append("        } finally {\n            entry.unschedule();\n        }\n");
        if (errno) {
            b.append("        if (error != 0) throw new RumpException(Errno.of(error), \"").append(f.name()).append("\");\n");
        } else if (result != null) {
            b.append("        return result;\n");
        }
        b.append("    }\n");
    }

    private List<String> privParams(Function f) {
        List<String> out = new ArrayList<>();
        for (CParam p : f.params()) out.add(paramType(p, f) + " " + SyscallsGen.javaParamName(p));
        return out;
    }

    private String paramType(CParam p, Function f) {
        String where = "ifspec " + f.name();
        return switch (p.annotation()) {
            case NONE -> javaTypeOf(p.cType(), p.pointers(), where);
            case IN_Z, IN_Z_OPT -> "String";
            case IN_READS, OUT_WRITES -> JavaTypes.arrayElement(p.cType(), where) + "[]";
            default -> throw new SpecException(where + ": annotation " + p.annotation() + " is not supported in an ifspec");
        };
    }

    private String javaType(String cReturn, Function f) {
        String s = cReturn.strip();
        int pointers = 0;
        while (s.endsWith("*")) {
            pointers++;
            s = s.substring(0, s.length() - 1).strip();
        }
        return javaTypeOf(s, pointers, "ifspec " + f.name());
    }

    private static String javaTypeOf(String cType, int pointers, String where) {
        String t = JavaTypes.scalar(cType, pointers, where);
        return switch (t) {
            case "int", "long", "void" -> t;
            default -> t.contains(".") ? t : JavaTypes.API_PACKAGE + "." + t; // a JDK type is named in full
        };
    }

    private static String packageOf(String cls) {
        return cls.substring(0, cls.lastIndexOf('.'));
    }

    private static String simpleName(String cls) {
        return cls.substring(cls.lastIndexOf('.') + 1);
    }

    private static void trimLastBlank(StringBuilder b) {
        if (b.length() >= 2 && b.charAt(b.length() - 1) == '\n' && b.charAt(b.length() - 2) == '\n') b.setLength(b.length() - 1);
    }
}
