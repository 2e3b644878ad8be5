package jrump.gen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parser for NetBSD's {@code .ifspec} format (sys/rump/librump/rumpkern/rumpkern.ifspec): header lines
 * {@code KEY|value} (NAME, PUBCLASS, PRIVCLASS), {@code ;} comments, and one line per interface:
 * <pre>
 *   rettype | name | args [| WEAK]
 * </pre>
 * Arguments may carry names and the same annotations as syscalls.master (see {@link CParam}).
 */
public final class IfSpec {

    record Function(String returnType, String name, List<CParam> params, boolean weak, int line) {
        String javaName() {
            return JavaTypes.camel(name);
        }
    }

    record Spec(Map<String, String> header, List<Function> functions) {
        String require(String key) {
            String v = header.get(key);
            if (v == null) throw new SpecException("ifspec: header " + key + " missing");
            return v;
        }
    }

    private static final List<String> HEADER_KEYS = List.of("NAME", "PUBCLASS", "PRIVCLASS");

    private IfSpec() {
    }

    public static Spec parse(List<String> lines) {
        Map<String, String> header = new LinkedHashMap<>();
        List<Function> functions = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int semi = line.indexOf(';');
            if (semi >= 0) line = line.substring(0, semi);
            line = line.strip();
            if (line.isEmpty()) continue;
            String[] f = line.split("\\|", -1);
            String where = "line " + (i + 1);
            if (f.length == 2 && HEADER_KEYS.contains(f[0].strip())) {
                header.put(f[0].strip(), f[1].strip());
                continue;
            }
            if (f.length < 3 || f.length > 4) throw new SpecException(where + ": expected 'rettype | name | args [| WEAK]'");
            boolean weak = f.length == 4;
            if (weak && !f[3].strip().equals("WEAK")) throw new SpecException(where + ": unknown flag '" + f[3].strip() + "'");
            String name = f[1].strip();
            if (!name.matches("[a-z_][a-z0-9_]*")) throw new SpecException(where + ": bad name '" + name + "'");
            functions.add(new Function(f[0].strip(), name, SyscallsMaster.parseParams(f[2], where), weak, i + 1));
        }
        Spec spec = new Spec(header, functions);
        spec.require("NAME");
        spec.require("PUBCLASS");
        spec.require("PRIVCLASS");
        return spec;
    }
}
