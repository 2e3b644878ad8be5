package jrump.gen;

/**
 * One C argument of a spec prototype, e.g. {@code _Out_writes_(gidsetsize) gid_t *gidset}.
 *
 * <p>The optional leading annotation (FreeBSD syscalls.master style) says which way data flows,
 * which is what a Java signature needs and C leaves implicit:
 * <ul>
 *   <li>none: a scalar passed by value, or an opaque kernel handle ({@code struct lwp *});</li>
 *   <li>{@code _In_}, {@code _In_opt_}: a struct read by the kernel (a Java record parameter);</li>
 *   <li>{@code _In_z_}, {@code _In_z_opt_}: a NUL-terminated string (a Java String);</li>
 *   <li>{@code _Inout_opt_}: a mutable struct the kernel reads and may update in place, or null
 *       (fcntl's struct flock);</li>
 *   <li>{@code _Out_}: a struct the kernel fills (returned by the Java method);</li>
 *   <li>{@code _Out_opt_}: a struct the kernel may fill; Java callers do not see it (passed empty);</li>
 *   <li>{@code _In_reads_(n)}, {@code _Out_writes_(n)}: an array of n elements (a Java array; of records
 *       for a struct type); {@code _In_reads_opt_(n)} may be null; {@code _Inout_updates_(n)}: an array of
 *       mutable structs the kernel reads and updates in place (struct pollfd);
 *       n is another argument's name (taken from the array's length) or a number (a fixed size);</li>
 *   <li>{@code _In_reads_bytes_(n)}, {@code _Out_writes_bytes_(n)}: a byte buffer of n bytes
 *       (a Java ByteBuffer whose remaining bytes give n).</li>
 * </ul>
 */
record CParam(Annotation annotation, String sizeArg, String cType, int pointers, String name) {

    enum Annotation { NONE, IN, IN_OPT, INOUT_OPT, IN_Z, IN_Z_OPT, OUT, OUT_OPT, IN_READS, IN_READS_OPT, OUT_WRITES, INOUT_UPDATES, IN_READS_BYTES, OUT_WRITES_BYTES }

    /** Parses one argument; {@code position} names it when the spec gives no name (as NetBSD's ifspec does). */
    static CParam parse(String text, int position) {
        String s = text.strip();
        Annotation annotation = Annotation.NONE;
        String sizeArg = null;
        if (s.startsWith("_")) {
            int end = s.indexOf(' ');
            if (end < 0) throw new SpecException("annotation without a type: " + text);
            String word = s.substring(0, end);
            s = s.substring(end + 1).strip();
            int paren = word.indexOf('(');
            if (paren >= 0) {
                if (!word.endsWith(")")) throw new SpecException("bad annotation: " + word);
                sizeArg = word.substring(paren + 1, word.length() - 1);
                word = word.substring(0, paren);
            }
            annotation = switch (word) {
                case "_In_" -> Annotation.IN;
                case "_In_opt_" -> Annotation.IN_OPT;
                case "_Inout_opt_" -> Annotation.INOUT_OPT;
                case "_In_z_" -> Annotation.IN_Z;
                case "_In_z_opt_" -> Annotation.IN_Z_OPT;
                case "_Out_" -> Annotation.OUT;
                case "_Out_opt_" -> Annotation.OUT_OPT;
                case "_In_reads_" -> Annotation.IN_READS;
                case "_In_reads_opt_" -> Annotation.IN_READS_OPT;
                case "_Out_writes_" -> Annotation.OUT_WRITES;
                case "_Inout_updates_" -> Annotation.INOUT_UPDATES;
                case "_In_reads_bytes_" -> Annotation.IN_READS_BYTES;
                case "_Out_writes_bytes_" -> Annotation.OUT_WRITES_BYTES;
                default -> throw new SpecException("unknown annotation " + word + " in: " + text);
            };
            boolean needsSize = annotation == Annotation.IN_READS || annotation == Annotation.IN_READS_OPT
                    || annotation == Annotation.OUT_WRITES || annotation == Annotation.INOUT_UPDATES
                    || annotation == Annotation.IN_READS_BYTES || annotation == Annotation.OUT_WRITES_BYTES;
            if (needsSize != (sizeArg != null)) throw new SpecException("size argument mismatch in: " + text);
        }
        s = s.replace("const ", " ").replace("*", " * ").strip();
        String[] words = s.split("\\s+");
        int pointers = 0;
        StringBuilder type = new StringBuilder();
        String name = null;
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (w.equals("*")) {
                pointers++;
            } else if (i == words.length - 1 && (type.length() > 0)) {
                name = w;
            } else {
                if (type.length() > 0) type.append(' ');
                type.append(w);
            }
        }
        if (type.isEmpty()) throw new SpecException("no type in argument: " + text);
        if (name == null) name = "a" + position;
        return new CParam(annotation, sizeArg, type.toString(), pointers, name);
    }

    boolean isStruct() {
        return cType.startsWith("struct ");
    }

    String structName() {
        return cType.substring("struct ".length());
    }

    /** The Java name of the C struct: its name in Pascal case (timeval → Timeval, fd_set → FdSet). */
    String structJavaName() {
        return JavaTypes.pascal(structName());
    }

    /** The size argument when it names another argument; empty when it is a fixed number. */
    boolean sizeIsFixed() {
        return sizeArg != null && sizeArg.chars().allMatch(Character::isDigit);
    }
}
