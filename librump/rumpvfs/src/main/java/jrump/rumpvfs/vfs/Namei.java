package jrump.rumpvfs.vfs;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;
import jrump.rumpkern.kernel.KCred;
import jrump.rumpkern.kernel.KFile;
import jrump.rumpkern.kernel.KLwp;
import jrump.rumpkern.kernel.Out;
import jrump.rumpvfs.vnode.ComponentName;
import jrump.rumpvfs.vnode.Mount;
import jrump.rumpvfs.vnode.NameCache;
import jrump.rumpvfs.vnode.Uio;
import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.Vaccess;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.Vop;

/**
 * Pathname lookup (namei): walks a path one component at a time from the root, the current directory
 * or a directory descriptor, checking search permission, crossing mount points both ways, following
 * symbolic links (at most MAXSYMLINKS: ELOOP) and applying the trailing-slash rules.
 */
final class Namei {
    /** What the caller intends with the last component (cn_nameiop). */
    enum Op { LOOKUP, CREATE, DELETE, RENAME }

    /**
     * The result: {@code dvp} the directory holding the last component, {@code vp} the file (null when
     * it does not exist and the operation may create it), {@code name} the last component.
     */
    record Result(Vnode dvp, Vnode vp, String name, boolean trailingSlash) {
    }

    private final Vfs vfs;

    Namei(Vfs vfs) {
        this.vfs = vfs;
    }

    /** Looks {@code path} up; a negative return in {@code out}'s absence is an errno, as elsewhere. */
    int lookup(KLwp l, int dirfd, String path, Op op, boolean follow, Out<Result> out) {
        if (path.isEmpty()) return Errno.ENOENT.number();
        if (utf8Length(path) >= Sys.PATH_MAX) return Errno.ENAMETOOLONG.number();
        if (path.indexOf('\0') >= 0) return Errno.EINVAL.number();
        KCred cred = l.cred();
        Vfs.Cwd cwd = vfs.cwd(l.proc());
        Vnode start;
        if (path.startsWith("/")) {
            start = cwd.rdir();
        } else if (dirfd == Sys.AT_FDCWD) {
            start = cwd.cdir();
        } else {
            KFile fp = l.proc().fd().get(dirfd);
            if (fp == null) return Errno.EBADF.number();
            try {
                if (!(fp.data() instanceof Vnode dv)) return Errno.ENOTDIR.number();
                start = dv;
            } finally {
                jrump.rumpkern.kernel.Filedesc.drop(l, fp);
            }
        }
        int links = 0;
        String rest = path;
        Vnode cur = start;
        while (true) {
            if (rest.startsWith("/")) {
                cur = cwd.rdir();
                // etfs keys are matched on the whole absolute path before any file system is asked
                if (cur == vfs.rootVnode()) {
                    Etfs etfs = vfs.etfs();
                    Vnode key = etfs.find(rest);
                    if (key != null) {
                        out.set(new Result(vfs.rootVnode(), key, rest.substring(rest.lastIndexOf('/') + 1), false));
                        return 0;
                    }
                    Etfs.Prefix under = etfs.findUnderDirectory(rest);
                    if (under != null) {
                        cur = under.dir();
                        rest = under.rest();
                    }
                }
            }
            boolean trailing = rest.endsWith("/");
            List<String> comps = components(rest);
            if (comps.isEmpty()) {
                // "/" or a chain of slashes: the start directory itself
                out.set(new Result(null, cur, "", true));
                return op == Op.LOOKUP ? 0 : Errno.EISDIR.number();
            }
            Vnode restart = null;
            for (int i = 0; i < comps.size(); i++) {
                String name = comps.get(i);
                boolean last = i == comps.size() - 1;
                if (utf8Length(name) > Sys.NAME_MAX) return Errno.ENAMETOOLONG.number();
                if (cur.type() != VType.VDIR) return Errno.ENOTDIR.number();
                int error;
                String leftKey = name.equals("..") ? vfs.etfs().keyOfDirectory(cur) : null;
                if (leftKey != null) {
                    // ".." at the top of a directory key: on from the key's parent in the namespace
                    StringBuilder b = new StringBuilder(leftKey.substring(0, leftKey.lastIndexOf('/') + 1));
                    for (int j = i + 1; j < comps.size(); j++) b.append('/').append(comps.get(j));
                    if (trailing) b.append('/');
                    rest = b.toString();
                    restart = cwd.rdir();
                    break;
                }
                if (name.equals("..")) {
                    // at the root of a mounted file system, ".." is looked up in the covered directory;
                    // at the process's root it stays, also when that root is a covered directory
                    while (cur != cwd.rdir() && cur.isMountRoot() && cur.mount().covered() != null) cur = cur.mount().covered();
                    if (cur == cwd.rdir()) name = ".";
                }
                Out<Vnode> found = new Out<>();
                int nameiop = last ? op.ordinal() : ComponentName.LOOKUP;
                ComponentName cn = new ComponentName(nameiop, last ? ComponentName.ISLASTCN : 0, cred, name);
                // one lock for the search-permission check and the lookup
                cur.lock(true);
                try {
                    error = Vop.access(cur, Vaccess.VEXEC, cred);
                    if (error == 0) error = lookupComponent(cur, name, nameiop, found, cn);
                } finally {
                    cur.unlock();
                }
                if (error == Errno.ENOENT.number() && last && (op == Op.CREATE || op == Op.RENAME)) {
                    out.set(new Result(cur, null, name, trailing));
                    return 0;
                }
                if (error != 0) return error;
                Vnode next = found.get();
                // VOP_LOOKUP's reference lasts until the syscall returns (vnodes of a cache only)
                if (next.cache() != null) l.hold(next);
                Mount here;
                while ((here = next.mountedHere()) != null) {
                    Out<Vnode> root = new Out<>();
                    error = here.ops().root(here, root);
                    if (error != 0) return error;
                    next = root.get();
                    if (next.cache() != null) l.hold(next);
                }
                if (next.type() == VType.VLNK && (!last || follow || trailing)) {
                    if (++links > Sys.MAXSYMLINKS) return Errno.ELOOP.number();
                    String target = readlink(next, cred);
                    if (target == null) return Errno.EIO.number();
                    if (target.isEmpty()) return Errno.ENOENT.number();
                    StringBuilder b = new StringBuilder(target);
                    for (int j = i + 1; j < comps.size(); j++) b.append('/').append(comps.get(j));
                    if (trailing) b.append('/');
                    rest = b.toString();
                    if (utf8Length(rest) >= Sys.PATH_MAX) return Errno.ENAMETOOLONG.number();
                    restart = cur;
                    break;
                }
                if (!last) {
                    cur = next;
                    continue;
                }
                if (trailing && next.type() != VType.VDIR) return Errno.ENOTDIR.number();
                out.set(new Result(cur, next, name, trailing));
                return 0;
            }
            cur = restart;
        }
    }

    /**
     * VOP_LOOKUP through the name cache where the mount uses one: plain lookups only (a create or delete
     * asks the file system), never "." or "..". Locking: {@code dir} locked.
     */
    private int lookupComponent(Vnode dir, String name, int nameiop, Out<Vnode> found, ComponentName cn) {
        Mount mp = dir.mount();
        if (mp == null || !mp.usesNameCache() || nameiop != ComponentName.LOOKUP || name.equals(".") || name.equals("..")) {
            return Vop.lookup(dir, found, cn);
        }
        NameCache nc = NameCache.of(vfs.kernel());
        NameCache.Hit hit = nc.lookup(dir, name);
        if (hit instanceof NameCache.Negative) return Errno.ENOENT.number();
        if (hit instanceof NameCache.Positive p && reference(p.vp())) {
            found.set(p.vp());
            return 0;
        }
        long generation = nc.generation();
        int error = Vop.lookup(dir, found, cn);
        if (error == 0) {
            nc.enter(dir, name, found.get(), generation);
        } else if (error == Errno.ENOENT.number()) {
            nc.enter(dir, name, null, generation);
        }
        return error;
    }

    /** The reference VOP_LOOKUP would have given; false for a vnode that is dead or being reclaimed. */
    private static boolean reference(Vnode vp) {
        if (vp.isDead()) return false;
        return vp.cache() == null || vp.cache().tryRef(vp);
    }

    /** The non-empty names between slashes ("//a/./b/" → a, ., b), without a regular expression. */
    static List<String> components(String path) {
        List<String> out = new ArrayList<>(8);
        int n = path.length();
        int i = 0;
        while (i < n) {
            while (i < n && path.charAt(i) == '/') i++;
            int start = i;
            while (i < n && path.charAt(i) != '/') i++;
            if (i > start) out.add(path.substring(start, i));
        }
        return out;
    }

    /** The length of {@code s} in UTF-8, without encoding it (paths are nearly always ASCII). */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    static int accessLocked(Vnode vp, int mode, KCred cred) {
        vp.lock(true);
        try {
            return Vop.access(vp, mode, cred);
        } finally {
            vp.unlock();
        }
    }

    static String readlink(Vnode vp, KCred cred) {
        ByteBuffer buf = ByteBuffer.allocate(Sys.PATH_MAX);
        vp.lock(true);
        try {
            if (Vop.readlink(vp, new Uio(buf, 0, Uio.Rw.READ), cred) != 0) return null;
        } finally {
            vp.unlock();
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }
}
