package jrump.gen;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parser for NetBSD's syscalls.master format (sys/kern/syscalls.master):
 * <pre>
 *   number  type  [MODULAR modname]  [RUMP]  { rettype|prefix|compat|name(args); } [alias]
 * </pre>
 * Lines before {@code %%} are a header; {@code ;} starts a comment; {@code #} lines (cpp) are skipped;
 * a trailing backslash continues a line.
 */
public final class SyscallsMaster {

    /** The types of NetBSD's format; compat types (COMPAT_xx) are read but never generated. */
    enum Type { STD, OBSOL, UNIMPL, IGNORED, EXCL, NODEF, NOARGS, INDIR, NOERR, EXTERN, COMPAT }

    /** One entry. Entries without a prototype (UNIMPL, OBSOL) have a null name. */
    record Entry(int number, Type type, String modular, boolean rump, String returnType, String prefix,
                 String compat, String name, List<CParam> params, int line) {

        /** Whether jrump generates a public entry point for it. */
        boolean generated() {
            return rump && name != null && (type == Type.STD || type == Type.NOERR || type == Type.NOARGS);
        }

        String javaName() {
            return JavaTypes.camel(name);
        }

        String argsName() {
            return JavaTypes.pascal(name);
        }

        String constantName() {
            return name.replaceAll("^_+", "").toUpperCase(java.util.Locale.ROOT);
        }
    }

    private SyscallsMaster() {
    }

    public static List<Entry> parse(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        boolean inBody = false;
        StringBuilder pending = new StringBuilder();
        int pendingLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            if (!inBody) {
                if (raw.strip().equals("%%")) inBody = true;
                continue;
            }
            String line = raw.strip();
            if (pending.isEmpty() && (line.startsWith("#") || line.startsWith(";") || line.isBlank())) continue;
            if (pending.isEmpty()) pendingLine = i + 1;
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            String logical = stripComment(pending.toString());
            pending.setLength(0);
            if (!logical.isBlank()) entries.add(parseEntry(logical, pendingLine));
        }
        if (!inBody) throw new SpecException("syscalls.master: no %% line");
        if (!pending.isEmpty()) throw new SpecException("line " + pendingLine + ": continuation at end of file");
        checkNumbers(entries);
        return entries;
    }

    private static String stripComment(String raw) {
        int semi = raw.indexOf(';');
        // a ';' inside the prototype braces ends the prototype, not the line
        int brace = raw.indexOf('{');
        if (semi >= 0 && (brace < 0 || semi < brace)) return raw.substring(0, semi).strip();
        int close = raw.indexOf('}');
        if (close >= 0) {
            int after = raw.indexOf(';', close);
            if (after >= 0) return raw.substring(0, after).strip();
        }
        return raw.strip();
    }

    private static Entry parseEntry(String text, int line) {
        String where = "line " + line;
        int brace = text.indexOf('{');
        String head = brace >= 0 ? text.substring(0, brace) : text;
        String[] words = head.strip().split("\\s+");
        if (words.length < 2) throw new SpecException(where + ": expected 'number type': " + text);
        int number;
        try {
            number = Integer.parseInt(words[0]);
        } catch (NumberFormatException e) {
            throw new SpecException(where + ": bad syscall number '" + words[0] + "'");
        }
        Type type = words[1].startsWith("COMPAT_") ? Type.COMPAT : typeOf(words[1], where);
        String modular = null;
        boolean rump = false;
        int w = 2;
        if (w < words.length && words[w].equals("MODULAR")) {
            if (w + 1 >= words.length) throw new SpecException(where + ": MODULAR without a module name");
            modular = words[w + 1];
            w += 2;
        }
        if (w < words.length && words[w].equals("RUMP")) {
            rump = true;
            w++;
        }
        if (brace < 0) {
            if (type == Type.STD || type == Type.NOERR || type == Type.NOARGS) throw new SpecException(where + ": " + type + " needs a prototype");
            return new Entry(number, type, modular, rump, null, null, null, null, List.of(), line);
        }
        if (w != words.length) throw new SpecException(where + ": unexpected '" + words[w] + "'");
        int close = text.indexOf('}', brace);
        if (close < 0) throw new SpecException(where + ": no closing brace");
        String proto = text.substring(brace + 1, close).strip();
        if (proto.endsWith(";")) proto = proto.substring(0, proto.length() - 1).strip();
        int open = proto.indexOf('(');
        if (open < 0 || !proto.endsWith(")")) throw new SpecException(where + ": prototype needs (args): " + proto);
        String[] fields = proto.substring(0, open).split("\\|", -1);
        if (fields.length != 4) throw new SpecException(where + ": expected rettype|prefix|compat|name: " + proto);
        List<CParam> params = parseParams(proto.substring(open + 1, proto.length() - 1), where);
        return new Entry(number, type, modular, rump, fields[0].strip(), fields[1].strip(), fields[2].strip(),
                fields[3].strip(), params, line);
    }

    static List<CParam> parseParams(String args, String where) {
        String a = args.strip();
        if (a.isEmpty() || a.equals("void")) return List.of();
        List<CParam> params = new ArrayList<>();
        String[] parts = a.split(",");
        for (int i = 0; i < parts.length; i++) {
            try {
                params.add(CParam.parse(parts[i], i));
            } catch (SpecException e) {
                throw new SpecException(where + ": " + e.getMessage());
            }
        }
        Set<String> names = new HashSet<>();
        for (CParam p : params) {
            if (!names.add(p.name())) throw new SpecException(where + ": duplicate argument " + p.name());
        }
        for (CParam p : params) {
            if (p.sizeArg() != null && !p.sizeIsFixed() && !names.contains(p.sizeArg())) {
                throw new SpecException(where + ": size argument '" + p.sizeArg() + "' is not an argument");
            }
        }
        return params;
    }

    private static Type typeOf(String word, String where) {
        try {
            return Type.valueOf(word);
        } catch (IllegalArgumentException e) {
            throw new SpecException(where + ": unknown type " + word);
        }
    }

    private static void checkNumbers(List<Entry> entries) {
        Set<Integer> seen = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (Entry e : entries) {
            if (!seen.add(e.number())) throw new SpecException("line " + e.line() + ": syscall number " + e.number() + " repeated");
            if (e.generated() && !names.add(e.javaName())) {
                throw new SpecException("line " + e.line() + ": two RUMP syscalls map to the Java name " + e.javaName());
            }
        }
    }
}
