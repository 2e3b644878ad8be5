package jrump.rumpvfs.vfs;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;
import jrump.rumpkern.kernel.EtfsProvider;
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
 * etfs (rump_etfs(3)): host files that appear in the kernel's namespace under a key. A key is an absolute
 * path whose leading slashes collapse; the rest is compared verbatim, before any file system is asked,
 * and keys do not show in directory listings. A key maps to a window [begin, begin + size) of the host
 * file, as a regular file, a block device or a character device. A directory key (DIR, DIR_SUBDIRS) maps a
 * host directory: paths under the key continue in it ({@link EtfsDir}).
 */
final class Etfs implements EtfsProvider, jrump.rumpvfs.vnode.DeviceNodes.Table {
    /** One registered key. */
    record Entry(String key, HostFile file, long begin, long size, Vnode vnode, EtfsDir dir) {
    }

    /** A path under a directory key: the key's directory vnode and the rest of the path, relative. */
    record Prefix(Vnode dir, String rest) {
    }

    private final Kernel kernel;
    private final Map<String, Entry> keys = new ConcurrentHashMap<>();
    private final EtfsOps ops = new EtfsOps();
    /** How many keys are directories: lookups skip the prefix search while there are none. */
    private volatile int dirKeys;

    Etfs(Kernel kernel) {
        this.kernel = kernel;
    }

    /** "//dev//sd0" → "/dev//sd0": leading slashes collapse, the rest stays as given. */
    static String normalize(String key) {
        int i = 0;
        while (i < key.length() && key.charAt(i) == '/') i++;
        return "/" + key.substring(i);
    }

    /** The registration behind etfs vnode {@code vp}, or null when it is not one (or was removed). */
    Entry entryOf(Vnode vp) {
        return ops.entry(vp);
    }

    /** The etfs vnode for an absolute path, or null. */
    Vnode find(String path) {
        if (keys.isEmpty() || !path.startsWith("/")) return null;
        Entry e = keys.get(normalize(path));
        return e == null ? null : e.vnode();
    }

    /** The longest directory key that {@code path} lies under ("/key/rest"), or null. */
    Prefix findUnderDirectory(String path) {
        if (dirKeys == 0 || !path.startsWith("/")) return null;
        String p = normalize(path);
        Entry best = null;
        for (Entry e : keys.values()) {
            if (e.dir() == null || !p.startsWith(e.key()) || p.length() <= e.key().length()) continue;
            if (p.charAt(e.key().length()) != '/') continue;
            if (best == null || e.key().length() > best.key().length()) best = e;
        }
        return best == null ? null : new Prefix(best.vnode(), p.substring(best.key().length() + 1));
    }

    /** The key whose directory {@code vp} is the top of, or null (namei leaves it by its ".."). */
    String keyOfDirectory(Vnode vp) {
        if (dirKeys == 0) return null;
        for (Entry e : keys.values()) if (e.dir() != null && e.dir().isRoot(vp)) return e.key();
        return null;
    }

    @Override
    public int register(String key, String hostpath, int ftype, long begin, long size) {
        if (!key.startsWith("/") || normalize(key).equals("/")) return Errno.EINVAL.number();
        VType type = switch (ftype) {
            case Sys.RUMP_ETFS_REG -> VType.VREG;
            case Sys.RUMP_ETFS_BLK -> VType.VBLK;
            case Sys.RUMP_ETFS_CHR -> VType.VCHR;
            case Sys.RUMP_ETFS_DIR, Sys.RUMP_ETFS_DIR_SUBDIRS -> VType.VDIR;
            default -> VType.VBAD;
        };
        if (type == VType.VDIR) return registerDirectory(key, hostpath, ftype == Sys.RUMP_ETFS_DIR_SUBDIRS);
        if (type == VType.VBAD || begin < 0 || (size < 0 && size != Sys.RUMP_ETFS_SIZE_ENDOFF)) return Errno.EINVAL.number();
        String k = normalize(key);
        if (keys.containsKey(k)) return Errno.EEXIST.number();
        Hypercalls hyp = kernel.hyp();
        HostFile f;
        try {
            Hypercalls.FileInfo info = hyp.getFileInfo(hostpath);
            if (info.type() == Hypercalls.FileType.DIR) return Errno.EISDIR.number();
            try {
                f = hyp.open(hostpath, Hypercalls.OPEN_RDWR | Hypercalls.OPEN_BIO);
            } catch (HyperException e) {
                f = hyp.open(hostpath, Hypercalls.OPEN_RDONLY | Hypercalls.OPEN_BIO);
            }
            long hostSize = f.size();
            if (begin > hostSize) {
                f.close();
                return Errno.EINVAL.number();
            }
            long len = size == Sys.RUMP_ETFS_SIZE_ENDOFF ? hostSize - begin : size;
            Vnode vp = new Vnode(kernel, null, ops, type, null);
            Entry e = new Entry(k, f, begin, len, vp, null);
            ops.entries.put(vp, e);
            if (keys.putIfAbsent(k, e) != null) {
                f.close();
                ops.entries.remove(vp);
                return Errno.EEXIST.number();
            }
            return 0;
        } catch (HyperException e) {
            return e.errno();
        }
    }

    private int registerDirectory(String key, String hostpath, boolean subdirs) {
        if (!key.startsWith("/") || normalize(key).equals("/")) return Errno.EINVAL.number();
        String k = normalize(key);
        if (k.endsWith("/")) return Errno.EINVAL.number(); // "/dir/" would never match a path under it
        try {
            if (kernel.hyp().getFileInfo(hostpath).type() != Hypercalls.FileType.DIR) return Errno.ENOTDIR.number();
        } catch (HyperException e) {
            return e.errno();
        }
        EtfsDir dir = new EtfsDir(kernel, hostpath, subdirs);
        synchronized (this) {
            if (keys.putIfAbsent(k, new Entry(k, null, 0, 0, dir.root(), dir)) != null) return Errno.EEXIST.number();
            dirKeys++;
        }
        return 0;
    }

    /** A kernel-made device (no host file, its own vnode ops): the name maps to its vnode. */
    @Override
    public int registerDevice(String name, Vnode vp) {
        if (!name.startsWith("/") || normalize(name).equals("/")) return Errno.EINVAL.number();
        return keys.putIfAbsent(normalize(name), new Entry(normalize(name), null, 0, 0, vp, null)) == null ? 0 : Errno.EEXIST.number();
    }

    @Override
    public int removeDevice(String name) {
        Entry e = keys.get(normalize(name));
        if (e == null || e.file() != null || e.dir() != null) return Errno.ENOENT.number();
        return keys.remove(e.key(), e) ? 0 : Errno.ENOENT.number();
    }

    @Override
    public Vnode findDevice(String name) {
        Vnode vp = find(name);
        return vp != null && vp.type() == VType.VBLK ? vp : null;
    }

    @Override
    public int remove(String key) {
        Entry e = keys.get(normalize(key));
        if (e == null || (e.file() == null && e.dir() == null)) return Errno.ENOENT.number(); // devices go by removeDevice
        if (!keys.remove(e.key(), e)) return Errno.ENOENT.number();
        if (e.dir() != null) {
            synchronized (this) {
                dirKeys--;
            }
            e.dir().close();
            return 0;
        }
        ops.entries.remove(e.vnode());
        e.file().close();
        return 0;
    }

    /** The vnode operations of etfs files: I/O on the host file's window. */
    private static final class EtfsOps implements VnodeOps {
        final Map<Vnode, Entry> entries = new ConcurrentHashMap<>();

        private Entry entry(Vnode vp) {
            return entries.get(vp);
        }

        @Override
        public int read(VopArgs.Read a) {
            return io(a.vp(), a.uio());
        }

        @Override
        public int write(VopArgs.Write a) {
            return io(a.vp(), a.uio());
        }

        private int io(Vnode vp, Uio uio) {
            Entry e = entry(vp);
            if (e == null) return Errno.ENXIO.number(); // removed while open
            long off = uio.offset();
            if (off < 0) return Errno.EINVAL.number();
            if (off >= e.size()) return uio.rw() == Uio.Rw.WRITE ? Errno.ENOSPC.number() : 0;
            int len = (int) Math.min(uio.resid(), e.size() - off);
            ByteBuffer window = uio.buffer().slice(uio.buffer().position(), len);
            try {
                int n = uio.rw() == Uio.Rw.READ ? e.file().read(window, e.begin() + off) : e.file().write(window, e.begin() + off);
                uio.buffer().position(uio.buffer().position() + n);
                uio.setOffset(off + n);
                return 0;
            } catch (HyperException x) {
                return x.errno();
            }
        }

        /**
         * VOP_STRATEGY for a BLK key (rumpblk's role): the block number in DEV_BSIZE units within the
         * window, synchronous; a transfer running past the window's end is short (resid), one starting past
         * it moves nothing.
         */
        @Override
        public int strategy(VopArgs.Strategy a) {
            Entry e = entry(a.vp());
            if (e == null) return Errno.ENXIO.number();
            jrump.rumpvfs.vnode.Buf bp = a.bp();
            ByteBuffer data = bp.data.duplicate();
            int len = data.remaining();
            if (bp.blkno < 0 || bp.blkno > Long.MAX_VALUE / jrump.rumpvfs.vnode.BufCache.DEV_BSIZE) {
                bp.error = Errno.EINVAL.number();
                return 0;
            }
            long off = bp.blkno * jrump.rumpvfs.vnode.BufCache.DEV_BSIZE;
            int n = off >= e.size() ? 0 : (int) Math.min(len, e.size() - off);
            data.limit(data.position() + n);
            try {
                while (data.hasRemaining()) {
                    long at = e.begin() + off + (n - data.remaining());
                    int moved = bp.read ? e.file().read(data, at) : e.file().write(data, at);
                    if (moved <= 0) break; // the host file is shorter than the window
                }
                bp.resid = len - (n - data.remaining());
            } catch (HyperException x) {
                bp.error = x.errno();
            }
            return 0;
        }

        @Override
        public int getattr(VopArgs.Getattr a) {
            Entry e = entry(a.vp());
            if (e == null) return Errno.ENXIO.number();
            Vattr v = a.vap();
            v.type = a.vp().type();
            v.mode = 0666;
            v.nlink = 1;
            v.uid = 0;
            v.gid = 0;
            v.fsid = 0;
            v.fileid = a.vp().id();
            v.size = e.size();
            v.blocksize = 512;
            v.atime = v.mtime = v.ctime = v.birthtime = 0;
            v.gen = 0;
            v.flags = 0;
            v.rdev = 0;
            v.bytes = e.size();
            return 0;
        }

        @Override
        public int access(VopArgs.Access a) {
            return Vaccess.check(a.vp().type(), 0666, 0, 0, a.accmode(), a.cred());
        }

        @Override
        public int open(VopArgs.Open a) {
            return 0;
        }

        @Override
        public int close(VopArgs.Close a) {
            return 0;
        }

        @Override
        public int fsync(VopArgs.Fsync a) {
            Entry e = entry(a.vp());
            if (e == null) return Errno.ENXIO.number();
            try {
                e.file().sync(false);
                return 0;
            } catch (HyperException x) {
                return x.errno();
            }
        }
    }
}
