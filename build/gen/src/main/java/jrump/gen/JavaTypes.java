package jrump.gen;

import java.util.Map;

/** Maps the C types of the specs to Java types. */
final class JavaTypes {
    /** Package of the public value types (records such as Timespec) and handles (Lwp, Cred). */
    static final String API_PACKAGE = "jrump.rumpkern";

    /** 32-bit scalars. */
    private static final java.util.Set<String> INTS = java.util.Set.of(
            "int", "u_int", "unsigned int", "pid_t", "uid_t", "gid_t", "mode_t", "clockid_t", "lwpid_t",
            "id_t", "dev_t", "nlink_t", "socklen_t", "sa_family_t", "u_long", "key_t", "timer_t");
    /** 64-bit scalars. */
    private static final java.util.Set<String> LONGS = java.util.Set.of(
            "long", "size_t", "ssize_t", "off_t", "register_t", "time_t", "quad_t", "u_quad_t", "ino_t",
            "blkcnt_t", "int64_t", "uint64_t");
    /** Opaque kernel objects handed to users as handles: C pointer type → Java type. */
    private static final Map<String, String> HANDLES = Map.of(
            "struct lwp", "Lwp",
            "struct kauth_cred", "Cred",
            // a channel of the kernel's client, where sendfile puts a file's bytes (the client's host side)
            "struct hostchan", "java.nio.channels.WritableByteChannel");

    private JavaTypes() {
    }

    static boolean isInt(String cType) {
        return INTS.contains(cType);
    }

    static boolean isLong(String cType) {
        return LONGS.contains(cType);
    }

    /** The Java type of a scalar or handle; fails for anything that needs an annotation. */
    static String scalar(String cType, int pointers, String where) {
        if (pointers == 0 && isInt(cType)) return "int";
        if (pointers == 0 && isLong(cType)) return "long";
        if (pointers == 0 && cType.equals("void")) return "void";
        if (pointers == 1 && HANDLES.containsKey(cType)) return HANDLES.get(cType);
        throw new SpecException("no Java mapping for C type '" + cType + "*".repeat(pointers) + "' in " + where
                + " (pointers to data need an _In_/_Out_ annotation)");
    }

    /** The Java element type of an array argument such as {@code gid_t *}. */
    static String arrayElement(String cType, String where) {
        if (isInt(cType)) return "int";
        if (isLong(cType)) return "long";
        throw new SpecException("no Java array type for '" + cType + "' in " + where);
    }

    /** lwproc_rfork → lwprocRfork; __getcwd → getcwd; __posix_rename → posixRename. */
    static String camel(String cName) {
        String s = cName.replaceAll("^_+", "");
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : s.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /** lwproc_rfork → LwprocRfork. */
    static String pascal(String cName) {
        String c = camel(cName);
        return Character.toUpperCase(c.charAt(0)) + c.substring(1);
    }
}
