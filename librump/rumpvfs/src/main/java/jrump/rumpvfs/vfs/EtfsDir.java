package jrump.rumpvfs.vfs;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpuser.HostFile;
import jrump.rumpuser.HyperException;
import jrump.rumpuser.Hypercalls;
import jrump.rumpvfs.vnode.Uio;
import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.Vaccess;
import jrump.rumpvfs.vnode.Vattr;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.VnodeOps;
import jrump.rumpvfs.vnode.VopArgs;

/**
 * A host directory registered as an etfs key (RUMP_ETFS_DIR, RUMP_ETFS_DIR_SUBDIRS): the key is a directory
 * whose entries are the host directory's regular files and devices, and with DIR_SUBDIRS its
 * subdirectories, recursively. Names are looked up on the host when asked (the host may change under us);
 * files read and write the host files. Nothing is created or removed through it (EOPNOTSUPP): it maps
 * the host's tree, it does not manage it.
 */
final class EtfsDir implements VnodeOps {
    /** What a vnode of this tree stands for. */
    private record Node(String hostPath, Vnode parent) {
    }

    private final Kernel kernel;
    private final Hypercalls hyp;
    private final boolean subdirs;
    private final Map<Vnode, Node> nodes = new ConcurrentHashMap<>();
    private final Map<String, Vnode> byHostPath = new ConcurrentHashMap<>();
    /** Host files opened on first I/O, closed when the key is removed. */
    private final Map<Vnode, HostFile> files = new ConcurrentHashMap<>();
    private final Vnode root;

    EtfsDir(Kernel kernel, String hostRoot, boolean subdirs) {
        this.kernel = kernel;
        this.hyp = kernel.hyp();
        this.subdirs = subdirs;
        this.root = vnodeFor(stripTrailingSlashes(hostRoot), VType.VDIR, null);
    }

    private static String stripTrailingSlashes(String p) {
        String s = p;
        while (s.length() > 1 && s.endsWith("/")) s = s.substring(0, s.length() - 1);
        return s;
    }

    Vnode root() {
        return root;
    }

    boolean isRoot(Vnode vp) {
        return vp == root;
    }

    /** The key goes: every host file it opened is closed; its vnodes answer ENXIO from now on. */
    void close() {
        files.values().forEach(HostFile::close);
        files.clear();
        nodes.clear();
        byHostPath.clear();
    }

    private Vnode vnodeFor(String hostPath, VType type, Vnode parent) {
        return byHostPath.computeIfAbsent(hostPath + "\0" + type, k -> {
            Vnode vp = new Vnode(kernel, null, this, type, hostPath);
            nodes.put(vp, new Node(hostPath, parent));
            return vp;
        });
    }

    private static int err(Errno e) {
        return e.number();
    }

    /** The vnode type a host file shows as here, or null when this key does not show it. */
    private VType typeOf(Hypercalls.FileInfo info, boolean top) {
        return switch (info.type()) {
            case REG -> VType.VREG;
            case BLK -> VType.VBLK;
            case CHR -> VType.VCHR;
            case DIR -> subdirs || top ? VType.VDIR : null;
            case OTHER -> null;
        };
    }

    @Override
    public int lookup(VopArgs.Lookup a) {
        Node dir = nodes.get(a.dvp());
        if (dir == null) return err(Errno.ENXIO);
        String name = a.cnp().name();
        if (name.equals(".")) {
            a.vpp().set(a.dvp());
            return 0;
        }
        if (name.equals("..")) {
            // the key's own ".." is the namespace's business (namei leaves the key); inside, the parent
            if (dir.parent() == null) return err(Errno.ENOENT);
            a.vpp().set(dir.parent());
            return 0;
        }
        String path = dir.hostPath() + "/" + name;
        try {
            VType type = typeOf(hyp.getFileInfo(path), false);
            if (type == null) return err(Errno.ENOENT);
            a.vpp().set(vnodeFor(path, type, a.dvp()));
            return 0;
        } catch (HyperException e) {
            return e.errno();
        }
    }

    @Override
    public int access(VopArgs.Access a) {
        return Vaccess.check(a.vp().type(), a.vp().type() == VType.VDIR ? 0755 : 0666, 0, 0, a.accmode(), a.cred());
    }

    @Override
    public int getattr(VopArgs.Getattr a) {
        Node n = nodes.get(a.vp());
        if (n == null) return err(Errno.ENXIO);
        try {
            Hypercalls.FileInfo info = hyp.getFileInfo(n.hostPath());
            Vattr v = a.vap();
            v.type = a.vp().type();
            v.mode = v.type == VType.VDIR ? 0755 : 0666;
            v.nlink = v.type == VType.VDIR ? 2 : 1;
            v.uid = 0;
            v.gid = 0;
            v.fsid = 0;
            v.fileid = a.vp().id();
            v.size = v.type == VType.VDIR ? 512 : info.size();
            v.blocksize = 512;
            v.atime = v.mtime = v.ctime = v.birthtime = 0;
            v.gen = 0;
            v.flags = 0;
            v.rdev = 0;
            v.bytes = v.size;
            return 0;
        } catch (HyperException e) {
            return e.errno();
        }
    }

    @Override
    public int setattr(VopArgs.Setattr a) {
        Vattr v = a.vap();
        // only truncation (open with O_TRUNC, truncate): attributes belong to the host
        if (v.size == Vattr.VNOVAL) return 0;
        if (a.vp().type() != VType.VREG) return err(Errno.EINVAL);
        try {
            file(a.vp()).truncate(v.size);
            return 0;
        } catch (HyperException e) {
            return e.errno();
        }
    }

    private HostFile file(Vnode vp) throws HyperException {
        HostFile f = files.get(vp);
        if (f != null) return f;
        Node n = nodes.get(vp);
        if (n == null) throw new HyperException(Errno.ENXIO.number(), "etfs key removed");
        HostFile opened;
        try {
            opened = hyp.open(n.hostPath(), Hypercalls.OPEN_RDWR);
        } catch (HyperException e) {
            opened = hyp.open(n.hostPath(), Hypercalls.OPEN_RDONLY);
        }
        HostFile raced = files.putIfAbsent(vp, opened);
        if (raced != null) {
            opened.close();
            return raced;
        }
        return opened;
    }

    @Override
    public int read(VopArgs.Read a) {
        return io(a.vp(), a.uio(), a.ioflag());
    }

    @Override
    public int write(VopArgs.Write a) {
        return io(a.vp(), a.uio(), a.ioflag());
    }

    private int io(Vnode vp, Uio uio, int ioflag) {
        if (vp.type() == VType.VDIR) return err(Errno.EISDIR);
        if (uio.offset() < 0) return err(Errno.EINVAL);
        try {
            HostFile f = file(vp);
            long off = uio.rw() == Uio.Rw.WRITE && (ioflag & jrump.rumpvfs.vnode.IoFlag.IO_APPEND) != 0 ? f.size() : uio.offset();
            ByteBuffer buf = uio.buffer();
            while (buf.hasRemaining()) {
                int n = uio.rw() == Uio.Rw.READ ? f.read(buf, off) : f.write(buf, off);
                if (n <= 0) break;
                off += n;
            }
            uio.setOffset(off);
            return 0;
        } catch (HyperException e) {
            return e.errno();
        }
    }

    @Override
    public int readdir(VopArgs.Readdir a) {
        Node dir = nodes.get(a.vp());
        if (dir == null) return err(Errno.ENXIO);
        List<String> names;
        try {
            names = hyp.listDirectory(dir.hostPath());
        } catch (HyperException e) {
            return e.errno();
        }
        Uio uio = a.uio();
        long cookie = uio.offset();
        if (cookie < 0) return err(Errno.EINVAL);
        // cookies: 0 ".", 1 "..", then 2 + the index in the host's sorted listing
        int written = 0;
        boolean full = false;
        for (; cookie < 2 + names.size() && !full; cookie++) {
            Dirent d;
            if (cookie < 2) {
                d = new Dirent(a.vp().id(), Dirent.DT_DIR, cookie == 0 ? "." : "..");
            } else {
                String name = names.get((int) (cookie - 2));
                VType type;
                try {
                    type = typeOf(hyp.getFileInfo(dir.hostPath() + "/" + name), false);
                } catch (HyperException e) {
                    continue; // gone since the listing
                }
                if (type == null) continue;
                Vnode child = vnodeFor(dir.hostPath() + "/" + name, type, a.vp());
                d = new Dirent(child.id(), type.direntType(), name);
            }
            if (!d.writeTo(uio.buffer())) {
                full = true;
                break;
            }
            written++;
        }
        if (written == 0 && full) return err(Errno.EINVAL);
        uio.setOffset(cookie);
        if (a.eofflag() != null) a.eofflag().set(full ? 0 : 1);
        return 0;
    }

    @Override
    public int open(VopArgs.Open a) {
        return nodes.containsKey(a.vp()) ? 0 : err(Errno.ENXIO);
    }

    @Override
    public int close(VopArgs.Close a) {
        return 0;
    }

    @Override
    public int fsync(VopArgs.Fsync a) {
        HostFile f = files.get(a.vp());
        if (f == null) return 0;
        try {
            f.sync(false);
            return 0;
        } catch (HyperException e) {
            return e.errno();
        }
    }

    @Override
    public int seek(VopArgs.Seek a) {
        return a.newoff() < 0 ? err(Errno.EINVAL) : 0;
    }

    @Override
    public int pathconf(VopArgs.Pathconf a) {
        long v = switch (a.name()) {
            case Sys._PC_NAME_MAX -> Sys.NAME_MAX;
            case Sys._PC_PATH_MAX -> Sys.PATH_MAX;
            case Sys._PC_LINK_MAX -> 1;
            default -> -1;
        };
        if (v < 0) return err(Errno.EINVAL);
        a.retval().set(v);
        return 0;
    }
}
