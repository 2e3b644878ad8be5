package jrump.fs.ext2fs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;
import jrump.rumpvfs.vnode.RecordLocks;
import jrump.rumpvfs.vnode.Uio;
import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.Vaccess;
import jrump.rumpvfs.vnode.Vattr;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.VnodeOps;
import jrump.rumpvfs.vnode.VopArgs;

/**
 * The vnode operations of ext2fs (NetBSD's ext2fs_vnops.c, ext2fs_lookup.c, ext2fs_readwrite.c): reading
 * here, changing in {@link Ext2WriteOps}. Every {@link Ext2Error} becomes its errno, after a console line
 * naming the damage.
 */
final class Ext2VnodeOps implements VnodeOps {
    /** Directories up to this size get a name index (a few hundred thousand names; bigger ones are scanned). */
    private static final long MAX_INDEXED_DIR = 16L << 20;

    /** Reads of at least this many bytes of whole blocks go to the device directly. */
    private static final int DIRECT_READ = 64 << 10;

    private final Ext2fs fs;
    private final Ext2WriteOps writes;

    Ext2VnodeOps(Ext2fs fs) {
        this.fs = fs;
        this.writes = new Ext2WriteOps(fs);
    }

    Ext2WriteOps writes() {
        return writes;
    }

    private static Inode inode(Vnode vp) {
        return ((Ext2Node) vp.data()).inode;
    }

    private int fail(Ext2Error e) {
        fs.kernel.hyp().consoleLine("ext2fs: " + e.getMessage());
        return e.errno();
    }

    @Override
    public int lookup(VopArgs.Lookup a) {
        Inode dir = inode(a.dvp());
        String name = a.cnp().name();
        if (!dir.isDir()) return Errno.ENOTDIR.number();
        if (dir.linksCount == 0) return Errno.ENOENT.number(); // removed while someone is in it: no names, not even ".."
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Ext2Dir.NAME_MAX) return Errno.ENAMETOOLONG.number();
        if (name.equals(".")) return fs.vget(dir.ino, a.vpp());
        Ext2Node node = (Ext2Node) a.dvp().data();
        long found;
        try {
            boolean index = node.names != null || (dir.size > fs.sb.blockSize && dir.size <= MAX_INDEXED_DIR);
            found = index ? indexed(node).getOrDefault(name, 0L) : scanFor(dir, name);
        } catch (Ext2Error e) {
            return fail(e);
        }
        if (found == 0) return Errno.ENOENT.number();
        return fs.vget(found, a.vpp());
    }

    /** A small directory: one pass over its block. */
    private long scanFor(Inode dir, String name) throws Ext2Error {
        long[] found = {0};
        Ext2Dir.scan(fs, dir, 0, e -> {
            if (!e.name().equals(name)) return true;
            found[0] = e.ino();
            return false;
        });
        return found[0];
    }

    /** A larger directory: all its names once, then hash probes (an htree's job, for a directory that never changes). */
    private java.util.Map<String, Long> indexed(Ext2Node node) throws Ext2Error {
        java.util.Map<String, Long> names = node.names;
        if (names != null) return names;
        java.util.Map<String, Long> built = new java.util.HashMap<>();
        Ext2Dir.scan(fs, node.inode, 0, e -> {
            built.putIfAbsent(e.name(), e.ino());
            return true;
        });
        node.names = built;
        return built;
    }

    @Override
    public int access(VopArgs.Access a) {
        Inode in = inode(a.vp());
        return Vaccess.check(a.vp().type(), in.mode & 07777, in.uid, in.gid, a.accmode(), a.cred());
    }

    @Override
    public int getattr(VopArgs.Getattr a) {
        Inode in = inode(a.vp());
        Vattr v = a.vap();
        v.type = a.vp().type();
        v.mode = in.mode & 07777;
        // dir_nlink: a directory with more subdirectories than a 16-bit count holds says 1
        v.nlink = in.linksCount;
        v.uid = in.uid;
        v.gid = in.gid;
        v.fsid = fs.mount.fsid();
        v.fileid = in.ino;
        v.size = in.size;
        v.blocksize = fs.sb.blockSize;
        v.atime = in.asStored(in.atime);
        v.mtime = in.asStored(in.mtime);
        v.ctime = in.asStored(in.ctime);
        v.birthtime = in.crtime == Long.MIN_VALUE ? v.ctime : in.asStored(in.crtime);
        v.gen = in.generation & 0xffffffffL;
        v.flags = 0;
        v.rdev = rdev(in);
        v.bytes = in.blocks512 * 512;
        FileMap m = in.fileMap;
        if (m != null && m.dirty) v.bytes = (m.dataBlocks() + m.mapBlocks.size() + (in.fileAcl != 0 ? 1 : 0)) * fs.sb.blockSize;
        return 0;
    }

    /** A device node's number: the old 16-bit encoding in i_block[0], else the new one in i_block[1]. */
    private static long rdev(Inode in) {
        int t = in.type();
        if (t != Inode.S_IFCHR && t != Inode.S_IFBLK) return 0;
        ByteBuffer ib = ByteBuffer.wrap(in.iBlock()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int old = ib.getInt(0);
        int major;
        int minor;
        if (old != 0) {
            major = (old >>> 8) & 0xff;
            minor = old & 0xff;
        } else {
            int dev = ib.getInt(4);
            major = (dev & 0xfff00) >>> 8;
            minor = (dev & 0xff) | ((dev >>> 12) & 0xfff00);
        }
        // NetBSD's makedev
        return ((major << 8) & 0x000fff00L) | (minor & 0xffL) | ((minor << 12) & 0xfff00000L);
    }

    @Override
    public int read(VopArgs.Read a) {
        Inode in = inode(a.vp());
        if (in.isDir()) return Errno.EISDIR.number();
        if (a.vp().type() != VType.VREG) return Errno.EOPNOTSUPP.number();
        Uio uio = a.uio();
        try {
            readInto(in, uio);
            return 0;
        } catch (Ext2Error e) {
            return fail(e);
        }
    }

    /**
     * VOP_BMAP: logical block {@code bn} of the file to a DEV_BSIZE block of the device (-1: a hole) and how
     * many blocks after it follow contiguously. EBUSY where the device's copy is not the latest (a
     * read-write mount's cache, a read-only mount's unreplayed journal): callers read those instead.
     */
    @Override
    public int bmap(VopArgs.Bmap a) {
        Inode in = inode(a.vp());
        if (in.hasFlag(Inode.INLINE_DATA_FL)) return Errno.EOPNOTSUPP.number(); // the bytes live in the inode
        if (a.bn() < 0) return Errno.EINVAL.number();
        try {
            Extents.Run run = fs.map(in, a.bn());
            long blocks = Math.min(run.length(), 1L + Integer.MAX_VALUE);
            if (blocks < 1) throw Ext2Error.corrupt("inode " + in.ino + ": empty run at block " + a.bn());
            if (run.physical() != 0) {
                if (run.physical() >= fs.sb.blocksCount || blocks > fs.sb.blocksCount - run.physical()) {
                    throw Ext2Error.corrupt("inode " + in.ino + ": data blocks " + run.physical() + "+" + blocks + " outside the file system");
                }
                if (!fs.noJournaledBlocksIn(run.physical(), blocks)) return Errno.EBUSY.number();
            } else if (!fs.readOnly) {
                return Errno.EBUSY.number(); // the cache may hold data written into the hole
            }
            a.vpp().set(fs.devvp);
            a.bnp().set(run.physical() == 0 ? -1L : run.physical() * fs.sb.sectorsPerBlock());
            a.runp().set((int) (blocks - 1));
            return 0;
        } catch (Ext2Error e) {
            return fail(e);
        }
    }

    /** File content from the uio's offset into its buffer, up to the file's size; holes read as zeros. */
    private void readInto(Inode in, Uio uio) throws Ext2Error {
        long off = uio.offset();
        if (off < 0) throw new Ext2Error(Errno.EINVAL, "negative offset");
        ByteBuffer dst = uio.buffer();
        if (in.hasFlag(Inode.INLINE_DATA_FL)) {
            byte[] held = InlineData.content(fs, in);
            while (dst.hasRemaining() && off < in.size) {
                if (off < held.length) {
                    int n = (int) Math.min(held.length - off, dst.remaining());
                    dst.put(held, (int) off, n);
                    off += n;
                } else {
                    dst.put((byte) 0); // past what the inode holds, up to its size: zeros
                    off++;
                }
            }
            uio.setOffset(off);
            return;
        }
        int bs = fs.sb.blockSize;
        while (dst.hasRemaining() && off < in.size) {
            long lblk = off / bs;
            int within = (int) (off % bs);
            Extents.Run run = fs.map(in, lblk);
            // as much of this run as the caller wants and the file holds
            long runBytes = Math.min(run.length(), (Long.MAX_VALUE - off) / bs) * bs - within;
            int n = (int) Math.min(Math.min(runBytes, dst.remaining()), in.size - off);
            if (run.physical() == 0) {
                for (int i = 0; i < n; i++) dst.put((byte) 0);
            } else if (within == 0 && n >= DIRECT_READ && fs.noJournaledBlocksIn(run.physical(), n / bs)) {
                // a long stretch of whole blocks: one device transfer straight into the caller's buffer,
                // past the buffer cache (it would only copy, and evict what metadata it holds)
                int whole = n - n % bs;
                fs.readDirect(run.physical(), dst, whole);
                n = whole;
            } else {
                int left = n;
                long block = run.physical();
                int from = within;
                while (left > 0) {
                    int chunk = Math.min(left, bs - from);
                    long at = off + (n - left);
                    // the whole of what the block holds for the file in one read: it will not be read again
                    boolean lastUse = from == 0 && (chunk == bs || at + chunk >= in.size);
                    fs.readData(block, from, dst, chunk, lastUse);
                    left -= chunk;
                    block++;
                    from = 0;
                }
            }
            off += n;
        }
        uio.setOffset(off);
    }

    @Override
    public int readlink(VopArgs.Readlink a) {
        Inode in = inode(a.vp());
        if (a.vp().type() != VType.VLNK) return Errno.EINVAL.number();
        try {
            byte[] target;
            long eaBlocks = in.fileAcl != 0 ? fs.sb.blockSize / 512 : 0;
            if (in.hasFlag(Inode.INLINE_DATA_FL) || (in.blocks512 - eaBlocks == 0 && !in.hasFlag(Inode.EXTENTS_FL))) {
                if (in.hasFlag(Inode.INLINE_DATA_FL)) {
                    target = InlineData.content(fs, in);
                } else {
                    if (in.size > Inode.I_BLOCK_SIZE) throw Ext2Error.corrupt("fast symlink " + in.ino + " of " + in.size + " bytes");
                    target = java.util.Arrays.copyOf(in.iBlock(), (int) in.size);
                }
            } else {
                if (in.size > Sys.PATH_MAX || in.size > fs.sb.blockSize) throw Ext2Error.corrupt("symlink " + in.ino + " of " + in.size + " bytes");
                ByteBuffer buf = ByteBuffer.allocate((int) in.size);
                readInto(in, new Uio(buf, 0, Uio.Rw.READ));
                target = buf.array();
            }
            a.uio().move(target, 0, target.length);
            return 0;
        } catch (Ext2Error e) {
            return fail(e);
        }
    }

    @Override
    public int readdir(VopArgs.Readdir a) {
        Inode dir = inode(a.vp());
        if (!dir.isDir()) return Errno.ENOTDIR.number();
        Uio uio = a.uio();
        if (uio.offset() < 0) return Errno.EINVAL.number();
        int[] written = {0};
        boolean[] full = {false};
        try {
            long end = Ext2Dir.scan(fs, dir, uio.offset(), e -> {
                if (!new Dirent(e.ino(), e.dtype(), e.name()).writeTo(uio.buffer())) {
                    full[0] = true;
                    return false;
                }
                written[0]++;
                return true;
            });
            if (written[0] == 0 && full[0]) return Errno.EINVAL.number(); // smaller than one entry
            // a full buffer stops at the entry that did not fit: the next call starts there
            uio.setOffset(full[0] ? end : Math.max(end, uio.offset()));
            if (a.eofflag() != null) a.eofflag().set(full[0] ? 0 : 1);
            return 0;
        } catch (Ext2Error e) {
            return fail(e);
        }
    }

    @Override
    public int getextattr(VopArgs.Getextattr a) {
        try {
            for (Xattrs.Attr x : Xattrs.read(fs, inode(a.vp()))) {
                String[] n = Xattrs.vfsName(x);
                if (n == null || Integer.parseInt(n[0]) != a.attrnamespace() || !n[1].equals(a.name())) continue;
                byte[] v = Xattrs.value(x);
                if (a.size() != null) a.size().set((long) v.length);
                if (a.uio() != null) {
                    if (a.uio().resid() < v.length) return Errno.ERANGE.number();
                    a.uio().move(v, 0, v.length);
                }
                return 0;
            }
            return Errno.ENOATTR.number();
        } catch (Ext2Error e) {
            return fail(e);
        }
    }

    @Override
    public int listextattr(VopArgs.Listextattr a) {
        try {
            List<String> names = new ArrayList<>();
            for (Xattrs.Attr x : Xattrs.read(fs, inode(a.vp()))) {
                String[] n = Xattrs.vfsName(x);
                if (n != null && Integer.parseInt(n[0]) == a.attrnamespace()) names.add(n[1]);
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (String n : names) {
                out.writeBytes(n.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.write(0);
            }
            byte[] all = out.toByteArray();
            if (a.size() != null) a.size().set((long) all.length);
            if (a.uio() != null) {
                if (a.uio().resid() < all.length) return Errno.ERANGE.number();
                a.uio().move(all, 0, all.length);
            }
            return 0;
        } catch (Ext2Error e) {
            return fail(e);
        }
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
        if (fs.readOnly) return 0;
        try {
            fs.commit(); // one journal for the whole file system: its commit makes this file durable too
            return 0;
        } catch (Ext2Error e) {
            return fail(e);
        }
    }

    @Override
    public int create(VopArgs.Create a) {
        return writes.make(a.dvp(), a.cnp(), a.vap(), VType.VREG, null, a.vpp());
    }

    @Override
    public int mknod(VopArgs.Mknod a) {
        return writes.make(a.dvp(), a.cnp(), a.vap(), a.vap().type, null, a.vpp());
    }

    @Override
    public int mkdir(VopArgs.Mkdir a) {
        return writes.make(a.dvp(), a.cnp(), a.vap(), VType.VDIR, null, a.vpp());
    }

    @Override
    public int symlink(VopArgs.Symlink a) {
        return writes.make(a.dvp(), a.cnp(), a.vap(), VType.VLNK, a.target(), a.vpp());
    }

    @Override
    public int remove(VopArgs.Remove a) {
        return writes.remove(a);
    }

    @Override
    public int rmdir(VopArgs.Rmdir a) {
        return writes.rmdir(a);
    }

    @Override
    public int link(VopArgs.Link a) {
        return writes.link(a);
    }

    @Override
    public int rename(VopArgs.Rename a) {
        return writes.rename(a);
    }

    @Override
    public int write(VopArgs.Write a) {
        return writes.write(a);
    }

    @Override
    public int setattr(VopArgs.Setattr a) {
        return writes.setattr(a);
    }

    @Override
    public int fdiscard(VopArgs.Fdiscard a) {
        return writes.fdiscard(a);
    }

    @Override
    public int fallocate(VopArgs.Fallocate a) {
        return writes.fallocate(a);
    }

    @Override
    public int setextattr(VopArgs.Setextattr a) {
        return writes.setextattr(a);
    }

    @Override
    public int deleteextattr(VopArgs.Deleteextattr a) {
        return writes.deleteextattr(a);
    }

    @Override
    public int seek(VopArgs.Seek a) {
        return a.newoff() < 0 ? Errno.EINVAL.number() : 0;
    }

    @Override
    public int advlock(VopArgs.Advlock a) {
        return RecordLocks.of(fs.kernel).advlock(a.vp(), a.id(), a.op(), a.fl(), a.flags(), inode(a.vp()).size);
    }

    @Override
    public int pathconf(VopArgs.Pathconf a) {
        long v = switch (a.name()) {
            case Sys._PC_LINK_MAX -> 65000; // EXT4_LINK_MAX
            case Sys._PC_NAME_MAX -> Ext2Dir.NAME_MAX;
            case Sys._PC_PATH_MAX, Sys._PC_SYMLINK_MAX -> Sys.PATH_MAX;
            case Sys._PC_CHOWN_RESTRICTED, Sys._PC_NO_TRUNC, Sys._PC_2_SYMLINKS -> 1;
            case Sys._PC_FILESIZEBITS -> 64;
            default -> -1;
        };
        if (v < 0) return Errno.EINVAL.number();
        a.retval().set(v);
        return 0;
    }

    /** The last reference went: a file nothing names any more is reclaimed at once (which frees it). */
    @Override
    public int inactive(VopArgs.Inactive a) {
        if (inode(a.vp()).linksCount == 0 && !fs.readOnly) a.recycle().set(Boolean.TRUE);
        a.vp().unlock();
        return 0;
    }

    @Override
    public int reclaim(VopArgs.Reclaim a) {
        writes.reclaim(inode(a.vp()));
        return 0;
    }
}
