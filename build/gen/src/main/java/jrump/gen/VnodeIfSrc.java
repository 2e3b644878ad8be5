package jrump.gen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parser for NetBSD's vnode_if.src (sys/kern/vnode_if.src):
 * <pre>
 *   #% lookup  dvp  L L L          lock state of an argument on entry, on success, on error
 *   #! lookup  cnp  LOOKUP         namei flags the caller must have set
 *   vop_lookup {
 *       VERSION 2
 *       IN LOCKED=YES struct vnode *dvp;
 *       OUT WILLMAKE struct vnode **vpp;
 *       IN struct componentname *cnp;
 *   };
 * </pre>
 * Lock states: L locked, U unlocked, - not checked, = unchanged, X locked when not null.
 */
public final class VnodeIfSrc {

    enum Dir { IN, OUT, INOUT }

    record Arg(Dir dir, String locked, String release, boolean willMake, String cType, int pointers, String name) {
        boolean isVnode() {
            return cType.equals("struct vnode") && pointers == 1;
        }
    }

    /** Lock states on entry, after success and after an error. */
    record LockSpec(char entry, char exit, char error) {
    }

    record Op(String name, int version, List<Arg> args, Map<String, LockSpec> locks, Map<String, String> nameiFlags, int line) {
        /** vop_lookup → Lookup. */
        String javaType() {
            return JavaTypes.pascal(name.substring("vop_".length()));
        }

        String javaMethod() {
            return JavaTypes.camel(name.substring("vop_".length()));
        }

        String shortName() {
            return name.substring("vop_".length());
        }
    }

    private VnodeIfSrc() {
    }

    public static List<Op> parse(List<String> lines) {
        Map<String, Map<String, LockSpec>> locks = new LinkedHashMap<>();
        Map<String, Map<String, String>> namei = new LinkedHashMap<>();
        List<Op> ops = new ArrayList<>();
        String current = null;
        int version = 1;
        int opLine = 0;
        List<Arg> args = null;
        for (int i = 0; i < lines.size(); i++) {
            String where = "line " + (i + 1);
            String line = lines.get(i).strip();
            if (line.startsWith("#%")) {
                String[] w = line.substring(2).strip().split("\\s+");
                if (w.length != 5 || !w[2].matches("[LUX=-]") || !w[3].matches("[LUX=-]") || !w[4].matches("[LUX=-]")) {
                    throw new SpecException(where + ": expected '#% op arg in out error' with states L U X = -");
                }
                locks.computeIfAbsent(w[0], k -> new LinkedHashMap<>()).put(w[1], new LockSpec(w[2].charAt(0), w[3].charAt(0), w[4].charAt(0)));
                continue;
            }
            if (line.startsWith("#!")) {
                String[] w = line.substring(2).strip().split("\\s+", 3);
                if (w.length != 3) throw new SpecException(where + ": expected '#! op arg FLAGS'");
                namei.computeIfAbsent(w[0], k -> new LinkedHashMap<>()).put(w[1], w[2]);
                continue;
            }
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (current == null) {
                if (!line.matches("vop_[a-z0-9_]+\\s*\\{")) throw new SpecException(where + ": expected 'vop_name {'");
                current = line.substring(0, line.indexOf('{')).strip();
                version = 1;
                args = new ArrayList<>();
                opLine = i + 1;
                continue;
            }
            if (line.equals("};")) {
                String shortName = current.substring(4);
                Map<String, LockSpec> l = locks.getOrDefault(shortName, Map.of());
                for (String argName : l.keySet()) {
                    if (args.stream().noneMatch(a -> a.name().equals(argName))) {
                        throw new SpecException("line " + opLine + ": lock line for " + shortName + " names no argument " + argName);
                    }
                }
                if (args.isEmpty() || !args.getFirst().isVnode()) {
                    throw new SpecException("line " + opLine + ": " + current + " must take a vnode first (it dispatches on it)");
                }
                ops.add(new Op(current, version, List.copyOf(args), l, namei.getOrDefault(shortName, Map.of()), opLine));
                current = null;
                continue;
            }
            if (line.startsWith("VERSION")) {
                version = Integer.parseInt(line.substring("VERSION".length()).strip());
                continue;
            }
            args.add(parseArg(line, where));
        }
        if (current != null) throw new SpecException("line " + opLine + ": " + current + " is not closed with '};'");
        return ops;
    }

    private static Arg parseArg(String line, String where) {
        if (!line.endsWith(";")) throw new SpecException(where + ": argument must end with ';'");
        String[] w = line.substring(0, line.length() - 1).replace("*", " * ").strip().split("\\s+");
        int i = 0;
        Dir dir;
        try {
            dir = Dir.valueOf(w[i++]);
        } catch (IllegalArgumentException e) {
            throw new SpecException(where + ": argument must start with IN, OUT or INOUT");
        }
        String locked = null;
        String release = null;
        boolean willMake = false;
        while (i < w.length) {
            String x = w[i];
            if (x.startsWith("LOCKED=")) locked = x.substring(7);
            else if (x.equals("WILLRELE") || x.equals("WILLUNLOCK") || x.equals("WILLPUT")) release = x;
            else if (x.equals("WILLMAKE")) willMake = true;
            else break;
            i++;
        }
        StringBuilder type = new StringBuilder();
        int pointers = 0;
        for (; i < w.length - 1; i++) {
            if (w[i].equals("*")) pointers++;
            else if (!w[i].equals("const")) type.append(type.isEmpty() ? "" : " ").append(w[i]);
        }
        if (i != w.length - 1 || type.isEmpty()) throw new SpecException(where + ": expected 'type name'");
        return new Arg(dir, locked, release, willMake, type.toString(), pointers, w[i]);
    }
}
