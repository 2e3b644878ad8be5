package jrump.fs.ext2fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.KCred;
import jrump.rumpkern.kernel.Out;
import jrump.rumpvfs.vnode.ComponentName;
import jrump.rumpvfs.vnode.IoFlag;
import jrump.rumpvfs.vnode.Uio;
import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.Vaccess;
import jrump.rumpvfs.vnode.Vattr;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.VopArgs;

/**
 * The changing vnode operations of ext2fs (NetBSD's ext2fs_vnops.c, ext2fs_readwrite.c, ext2fs_inode.c):
 * names made, removed and renamed, file content written and truncated, attributes set, and an unlinked
 * file's space given back when its last user lets go. Every operation runs holding the mount's fsLock
 * (it serializes changes to the shared bitmaps, counts and transaction); {@link Ext2fs#commit} makes them
 * durable.
 */
final class Ext2WriteOps {
    static final int LINK_MAX = 65000;
    private static final int S_ISUID = 04000;
    private static final int S_ISGID = 02000;
    private static final int S_ISVTX = 01000;
    /** Writes of at least this many bytes of whole blocks go to the device directly. */
    private static final int DIRECT_WRITE = 64 << 10;
    /** ext2's 32-bit i_size limit without the large_file feature. */
    private static final long SMALL_FILE_MAX = (1L << 31) - 1;

    private final Ext2fs fs;
    private final int bs;

    Ext2WriteOps(Ext2fs fs) {
        this.fs = fs;
        this.bs = fs.sb.blockSize;
    }

    private static Ext2Node node(Vnode vp) {
        return (Ext2Node) vp.data();
    }

    private long now() {
        return fs.kernel.wallNanos();
    }

    int fail(Ext2Error e) {
        if (e.errno() != Errno.ENOSPC.number() && e.errno() != Errno.ENOENT.number()) fs.warn(e.getMessage());
        return e.errno();
    }

    /** After a change: a transaction grown past its bound is committed now. */
    private void maybeCommit() throws Ext2Error {
        if (fs.txFull()) fs.commit();
    }

    long maxFileSize(Inode in) {
        long max = Math.min(MapWriter.maxBlocks(fs.sb, in) * bs, Long.MAX_VALUE / 2);
        return fs.sb.hasRoCompat(Features.RO_COMPAT_LARGE_FILE) ? max : Math.min(max, SMALL_FILE_MAX);
    }

    static int fileType(int mode) {
        return switch (mode & Inode.S_IFMT) {
            case Inode.S_IFREG -> Ext2Dir.FT_REG;
            case Inode.S_IFDIR -> Ext2Dir.FT_DIR;
            case Inode.S_IFCHR -> Ext2Dir.FT_CHRDEV;
            case Inode.S_IFBLK -> Ext2Dir.FT_BLKDEV;
            case Inode.S_IFIFO -> Ext2Dir.FT_FIFO;
            case Inode.S_IFSOCK -> Ext2Dir.FT_SOCK;
            case Inode.S_IFLNK -> Ext2Dir.FT_SYMLINK;
            default -> 0;
        };
    }

    /** The directory entry file type of a dirent type (DT_*), for entries copied out of an inline directory. */
    static int fileTypeOfDirent(int dtype) {
        return switch (dtype) {
            case jrump.rumpkern.Dirent.DT_REG -> Ext2Dir.FT_REG;
            case jrump.rumpkern.Dirent.DT_DIR -> Ext2Dir.FT_DIR;
            case jrump.rumpkern.Dirent.DT_CHR -> Ext2Dir.FT_CHRDEV;
            case jrump.rumpkern.Dirent.DT_BLK -> Ext2Dir.FT_BLKDEV;
            case jrump.rumpkern.Dirent.DT_FIFO -> Ext2Dir.FT_FIFO;
            case jrump.rumpkern.Dirent.DT_SOCK -> Ext2Dir.FT_SOCK;
            case jrump.rumpkern.Dirent.DT_LNK -> Ext2Dir.FT_SYMLINK;
            default -> 0;
        };
    }

    private static int typeBits(VType t) throws Ext2Error {
        return switch (t) {
            case VREG -> Inode.S_IFREG;
            case VDIR -> Inode.S_IFDIR;
            case VLNK -> Inode.S_IFLNK;
            case VCHR -> Inode.S_IFCHR;
            case VBLK -> Inode.S_IFBLK;
            case VFIFO -> Inode.S_IFIFO;
            case VSOCK -> Inode.S_IFSOCK;
            default -> throw new Ext2Error(Errno.EINVAL, "cannot make a file of type " + t);
        };
    }

    // --- making names -----------------------------------------------------------------------------

    /** A VOP's body: what it changes under the file system's lock, an Ext2Error its errno. */
    @FunctionalInterface
    private interface LockedOp {
        int run() throws Ext2Error;
    }

    private int underLock(LockedOp op) {
        fs.fsLock.enter();
        try {
            return op.run();
        } catch (Ext2Error e) {
            return fail(e);
        } finally {
            fs.fsLock.exit();
        }
    }

    /** ext2fs_makeinode: a new inode of {@code type} entered in the directory as {@code cnp}'s name. */
    int make(Vnode dvp, ComponentName cnp, Vattr vap, VType type, String target, Out<Vnode> vpp) {
        if (fs.readOnly) return Errno.EROFS.number();
        return underLock(() -> {
            makeLocked(dvp, cnp, vap, type, target, vpp);
            maybeCommit();
            return 0;
        });
    }

    private void makeLocked(Vnode dvp, ComponentName cnp, Vattr vap, VType type, String target, Out<Vnode> vpp) throws Ext2Error {
        Ext2Node dn = node(dvp);
        Inode dir = dn.inode;
        String name = cnp.name();
        if (dir.linksCount == 0) throw new Ext2Error(Errno.ENOENT, "directory removed");
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > Ext2Dir.NAME_MAX) throw new Ext2Error(Errno.ENAMETOOLONG, name);
        if (dn.names != null && dn.names.containsKey(name)) throw new Ext2Error(Errno.EEXIST, name);
        boolean isDir = type == VType.VDIR;
        if (isDir && dir.linksCount >= LINK_MAX && !fs.sb.hasRoCompat(Features.RO_COMPAT_DIR_NLINK)) {
            throw new Ext2Error(Errno.EMLINK, "directory " + dir.ino + " has " + dir.linksCount + " links");
        }
        byte[] targetBytes = target == null ? null : target.getBytes(StandardCharsets.UTF_8);
        if (targetBytes != null && targetBytes.length >= bs) throw new Ext2Error(Errno.ENAMETOOLONG, "symbolic link target");
        KCred cred = cnp.cred();
        int perm = (int) (vap.mode == Vattr.VNOVAL ? 0 : vap.mode) & 07777;
        // BSD semantics: a new file takes its directory's group; set-group-id only for a member of it
        if ((perm & S_ISGID) != 0 && !cred.isRoot() && !cred.isMember(dir.gid)) perm &= ~S_ISGID;

        long ino = fs.alloc.allocInode(dir.ino, isDir);
        Inode in = Inode.fresh(ino, fs.sb);
        in.mode = typeBits(type) | perm;
        in.uid = cred.euid();
        in.gid = dir.gid;
        long t = now();
        in.atime = in.mtime = in.ctime = t;
        in.crtime = t;
        in.generation = fs.newGeneration();
        in.linksCount = isDir ? 2 : 1;
        boolean fastLink = targetBytes != null && targetBytes.length < Inode.I_BLOCK_SIZE;
        boolean mapped = type == VType.VREG || isDir || (type == VType.VLNK && !fastLink);
        if (mapped && fs.sb.hasIncompat(Features.INCOMPAT_EXTENTS)) {
            in.flags |= Inode.EXTENTS_FL;
            byte[] root = new byte[Inode.I_BLOCK_SIZE];
            ByteBuffer r = ByteBuffer.wrap(root).order(ByteOrder.LITTLE_ENDIAN);
            r.putShort(0, (short) Extents.MAGIC);
            r.putShort(4, (short) MapWriter.ROOT_ENTRIES);
            in.setIBlock(root);
        }
        in.fileMap = new FileMap();
        try {
            if (isDir) {
                long pb = fs.allocData(in, 0, 1)[0];
                fs.dirs.initDirectory(in, dir.ino, pb);
                in.size = bs;
            } else if (fastLink) {
                in.setIBlock(java.util.Arrays.copyOf(targetBytes, Inode.I_BLOCK_SIZE));
                in.size = targetBytes.length;
                in.fileMap = null;
            } else if (targetBytes != null) {
                long pb = fs.allocData(in, 0, 1)[0];
                byte[] blk = fs.freshBlock(pb);
                System.arraycopy(targetBytes, 0, blk, 0, targetBytes.length);
                in.size = targetBytes.length;
            } else if (type == VType.VCHR || type == VType.VBLK) {
                in.setIBlock(encodeRdev(vap.rdev == Vattr.VNOVAL ? 0 : vap.rdev));
                in.fileMap = null;
            } else if (!mapped) {
                in.fileMap = null;
            }
        } catch (Ext2Error e) {
            giveBack(in, isDir);
            throw e;
        }
        // the vnode is cached before its name can be found: a lookup racing this gets this very inode, never
        // a second copy loaded from the disk (whose changes would then be lost to this one's, or vice versa)
        int error = fs.vgetNew(in, vpp);
        if (error != 0) {
            giveBack(in, isDir);
            throw new Ext2Error(error, "no vnode for new inode " + ino);
        }
        try {
            fs.dirs.add(dn, name, ino, fileType(in.mode));
        } catch (Ext2Error e) {
            // nothing names it: its last reference frees it (blocks and inode), as for an unlinked file
            in.linksCount = 0;
            Vnode vp = vpp.get();
            vpp.set(null);
            vp.vrele();
            throw e;
        }
        if (isDir) dir.linksCount++;
        dir.mtime = dir.ctime = t;
        fs.markDirty(dir);
        fs.markDirty(in);
        if (dn.names != null) dn.names.put(name, ino);
    }

    /** A new inode that will not get a name after all: its blocks and number go back. */
    private void giveBack(Inode in, boolean isDir) throws Ext2Error {
        if (in.fileMap != null) for (long[] run : in.fileMap.unmap(0, Long.MAX_VALUE)) fs.tx.free(run[0], run[1]);
        fs.alloc.freeInode(in.ino, isDir);
    }

    /** A device number in i_block: the old 8:8 encoding when it fits, else Linux's new one in i_block[1]. */
    private static byte[] encodeRdev(long rdev) {
        int major = (int) ((rdev & 0x000fff00L) >>> 8);
        int minor = (int) ((rdev & 0xffL) | ((rdev & 0xfff00000L) >>> 12));
        ByteBuffer b = ByteBuffer.allocate(Inode.I_BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        if (major < 256 && minor < 256) b.putInt(0, major << 8 | minor);
        else b.putInt(4, (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12));
        return b.array();
    }

    int link(VopArgs.Link a) {
        if (fs.readOnly) return Errno.EROFS.number();
        return underLock(() -> {
            Ext2Node dn = node(a.dvp());
            Inode in = node(a.vp()).inode;
            String name = a.cnp().name();
            if (a.vp().type() == VType.VDIR) return Errno.EPERM.number();
            if (a.vp().mount() != a.dvp().mount()) return Errno.EXDEV.number();
            if (in.linksCount == 0 || dn.inode.linksCount == 0) return Errno.ENOENT.number();
            if (in.linksCount >= LINK_MAX) return Errno.EMLINK.number();
            if (name.getBytes(StandardCharsets.UTF_8).length > Ext2Dir.NAME_MAX) return Errno.ENAMETOOLONG.number();
            fs.dirs.add(dn, name, in.ino, fileType(in.mode));
            in.linksCount++;
            long t = now();
            in.ctime = t;
            dn.inode.mtime = dn.inode.ctime = t;
            fs.markDirty(in);
            fs.markDirty(dn.inode);
            if (dn.names != null) dn.names.put(name, in.ino);
            maybeCommit();
            return 0;
        });
    }

    // --- removing names ---------------------------------------------------------------------------

    int remove(VopArgs.Remove a) {
        return removeName(a.dvp(), a.vp(), a.cnp().name(), false);
    }

    int rmdir(VopArgs.Rmdir a) {
        return removeName(a.dvp(), a.vp(), a.cnp().name(), true);
    }

    /** VOP_REMOVE and VOP_RMDIR: the name goes; an inode left without names goes on the orphan list. */
    private int removeName(Vnode dvp, Vnode vp, String name, boolean rmdir) {
        try {
            if (fs.readOnly) return Errno.EROFS.number();
            fs.fsLock.enter();
            try {
                Ext2Node dn = node(dvp);
                Inode in = node(vp).inode;
                boolean isDir = vp.type() == VType.VDIR;
                if (!rmdir && isDir) return Errno.EPERM.number();
                if (rmdir && !isDir) return Errno.ENOTDIR.number();
                if (rmdir && !fs.dirs.isEmpty(in)) return Errno.ENOTEMPTY.number();
                fs.dirs.remove(dn, name, in.ino);
                if (rmdir) {
                    if (dn.inode.linksCount > 2) dn.inode.linksCount--; // its ".." went; dir_nlink's 1 ("many") stays
                    in.linksCount = 0;
                } else {
                    in.linksCount--;
                }
                if (in.linksCount == 0) fs.addOrphan(in);
                long t = now();
                in.ctime = t;
                dn.inode.mtime = dn.inode.ctime = t;
                fs.markDirty(in);
                fs.markDirty(dn.inode);
                if (dn.names != null) dn.names.remove(name);
                maybeCommit();
                return 0;
            } finally {
                fs.fsLock.exit();
            }
        } catch (Ext2Error e) {
            return fail(e);
        } finally {
            put(vp, dvp);
        }
    }

    /** vput of WILLPUT arguments: the operation gives their locks back. */
    private static void put(Vnode... vps) {
        for (Vnode vp : vps) if (vp != null && vp.lockHeldByMe()) vp.unlock();
    }

    // --- rename -----------------------------------------------------------------------------------

    int rename(VopArgs.Rename a) {
        try {
            if (fs.readOnly) return Errno.EROFS.number();
            fs.fsLock.enter();
            try {
                return renameLocked(a);
            } finally {
                fs.fsLock.exit();
            }
        } catch (Ext2Error e) {
            return fail(e);
        } finally {
            put(a.tvp() == a.tdvp() ? null : a.tvp(), a.tdvp());
        }
    }

    private int renameLocked(VopArgs.Rename a) throws Ext2Error {
        Ext2Node fdn = node(a.fdvp());
        Ext2Node tdn = node(a.tdvp());
        Ext2Node fn = node(a.fvp());
        Inode n = fn.inode;
        String fname = a.fcnp().name();
        String tname = a.tcnp().name();
        if (a.fvp().mount() != a.tdvp().mount()) return Errno.EXDEV.number();
        if (tdn.inode.linksCount == 0 || n.linksCount == 0) return Errno.ENOENT.number();
        if (tname.getBytes(StandardCharsets.UTF_8).length > Ext2Dir.NAME_MAX) return Errno.ENAMETOOLONG.number();
        Inode existing = a.tvp() == null ? null : node(a.tvp()).inode;
        if (existing == n) return 0; // the same file: POSIX says do nothing
        // the source's directory is not locked during VOP_RENAME: its name may have gone or moved since the
        // lookup; checked here, under the file system's fsLock, before anything changes
        DirWriter.Slot from = fs.dirs.find(fdn.inode, fname);
        if (from == null || from.ino() != n.ino) return Errno.ENOENT.number();
        boolean isDir = a.fvp().type() == VType.VDIR;
        boolean moves = fdn != tdn;
        if (isDir && moves) {
            if (escapesInto(n.ino, tdn.inode)) return Errno.EINVAL.number();
        }
        if (existing != null) {
            boolean exDir = a.tvp().type() == VType.VDIR;
            if (isDir && !exDir) return Errno.ENOTDIR.number();
            if (!isDir && exDir) return Errno.EISDIR.number();
            if (exDir && !fs.dirs.isEmpty(existing)) return Errno.ENOTEMPTY.number();
        }
        if (isDir && moves && Vaccess.check(a.fvp().type(), n.mode & 07777, n.uid, n.gid, Vaccess.VWRITE, a.fcnp().cred()) != 0) {
            return Errno.EACCES.number();
        }
        if (isDir && moves && existing == null && tdn.inode.linksCount >= LINK_MAX
                && !fs.sb.hasRoCompat(Features.RO_COMPAT_DIR_NLINK)) {
            return Errno.EMLINK.number();
        }
        long t = now();
        // the new name first: a failure here (no space for it) leaves the old one in place
        if (existing != null) {
            fs.dirs.retarget(tdn, tname, n.ino, fileType(n.mode));
            if (a.tvp().type() == VType.VDIR) {
                existing.linksCount = 0;
                if (tdn.inode.linksCount > 2) tdn.inode.linksCount--;
            } else {
                existing.linksCount--;
            }
            if (existing.linksCount == 0) fs.addOrphan(existing);
            existing.ctime = t;
            fs.markDirty(existing);
        } else {
            fs.dirs.add(tdn, tname, n.ino, fileType(n.mode));
        }
        fs.dirs.remove(fdn, fname, n.ino);
        if (isDir && moves) {
            fs.dirs.retarget(fn, "..", tdn.inode.ino, Ext2Dir.FT_DIR);
            if (fdn.inode.linksCount > 2) fdn.inode.linksCount--;
            if (tdn.inode.linksCount != 1) {
                tdn.inode.linksCount++;
                if (tdn.inode.linksCount >= LINK_MAX) tdn.inode.linksCount = 1; // dir_nlink
            }
            fn.names = null;
        }
        n.ctime = t;
        fdn.inode.mtime = fdn.inode.ctime = t;
        tdn.inode.mtime = tdn.inode.ctime = t;
        fs.markDirty(n);
        fs.markDirty(fdn.inode);
        fs.markDirty(tdn.inode);
        if (fdn.names != null) fdn.names.remove(fname);
        if (tdn.names != null) tdn.names.put(tname, n.ino);
        maybeCommit();
        return 0;
    }

    /** Whether directory {@code moving} is {@code target} or one of its ancestors (a rename into its own subtree). */
    private boolean escapesInto(long moving, Inode target) throws Ext2Error {
        fs.flushDirtyInodes(); // the walk reads inodes from the transaction: it must be current
        Inode d = target;
        for (int depth = 0; depth < 1 << 16; depth++) {
            if (d.ino == moving) return true;
            if (d.ino == Ext2fs.ROOT_INO) return false;
            long[] parent = {0};
            Ext2Dir.scan(fs, d, 0, e -> {
                if (!e.name().equals("..")) return true;
                parent[0] = e.ino();
                return false;
            });
            if (parent[0] == 0 || parent[0] == d.ino) return false;
            d = fs.readInode(parent[0]);
        }
        throw Ext2Error.corrupt("directory " + target.ino + ": \"..\" chain does not reach the root");
    }

    // --- file content -----------------------------------------------------------------------------

    int write(VopArgs.Write a) {
        if (fs.readOnly) return Errno.EROFS.number();
        Inode in = node(a.vp()).inode;
        if (a.vp().type() == VType.VDIR) return Errno.EISDIR.number();
        if (a.vp().type() != VType.VREG) return Errno.EOPNOTSUPP.number();
        Uio uio = a.uio();
        if (uio.resid() == 0) return 0;
        return underLock(() -> {
            InlineData.expand(fs, in);
            long off = (a.ioflag() & IoFlag.IO_APPEND) != 0 ? in.size : uio.offset();
            if (off < 0) return Errno.EINVAL.number();
            if (off >= maxFileSize(in) || uio.resid() > maxFileSize(in) - off) return Errno.EFBIG.number();
            if ((a.ioflag() & IoFlag.IO_APPEND) != 0) uio.setOffset(off);
            long written = 0;
            Ext2Error failed = null;
            try {
                writeBlocks(in, uio, off);
            } catch (Ext2Error e) {
                failed = e;
            }
            written = uio.offset() - off;
            if (uio.offset() > in.size) in.size = uio.offset();
            if (written > 0) {
                long t = now();
                in.mtime = in.ctime = t;
                if (!a.cred().isRoot()) in.mode &= ~(S_ISUID | S_ISGID); // kauth: writing drops set-id bits
                fs.markDirty(in);
            }
            if (failed != null && written == 0) return fail(failed);
            if ((a.ioflag() & IoFlag.IO_SYNC) != 0) fs.commit();
            else maybeCommit();
            return 0;
        });
    }

    /** Copies the uio's bytes into the file from {@code off} on, allocating blocks for holes as it goes. */
    private void writeBlocks(Inode in, Uio uio, long off) throws Ext2Error {
        ByteBuffer src = uio.buffer();
        FileMap m = fs.fileMap(in);
        // blocks allocated by this call hold nothing yet: what a partial write leaves of them must be zeros
        long freshFrom = -1;
        long freshTo = -1;
        while (src.hasRemaining()) {
            long lblk = off / bs;
            int within = (int) (off % bs);
            FileMap.Run run = m.runAt(lblk);
            long pblk;
            long contiguous;
            boolean fresh;
            if (run != null) {
                pblk = run.pblk() + (lblk - run.lblk());
                contiguous = run.end() - lblk;
                fresh = run.unwritten() || (lblk >= freshFrom && lblk < freshTo);
            } else {
                long wanted = (off + src.remaining() + bs - 1) / bs - lblk;
                long hole = m.lookup(lblk).length(); // up to the next mapped block
                long[] got = fs.allocData(in, lblk, Math.min(wanted, Math.min(hole, MapWriter.MAX_INIT_LEN)));
                pblk = got[0];
                contiguous = got[1];
                freshFrom = lblk;
                freshTo = lblk + got[1];
                fresh = true;
            }
            long whole = within == 0 ? Math.min(contiguous, src.remaining() / bs) : 0;
            if (whole * bs >= DIRECT_WRITE) {
                // a long stretch of whole blocks: one device transfer from the caller's buffer
                int len = (int) (whole * bs);
                fs.writeDirect(pblk, src, len);
                if (run != null && run.unwritten()) m.markWritten(lblk, lblk + whole);
                off += len;
            } else {
                int n = (int) Math.min(bs - within, src.remaining());
                if (run != null && run.unwritten()) m.markWritten(lblk, lblk + 1);
                fs.writeData(pblk, within, src, n, fresh);
                off += n;
            }
            uio.setOffset(off);
        }
    }

    /** Cuts or extends the file to {@code size}: blocks past the end freed, the last block's tail zeroed. */
    void truncate(Inode in, long size) throws Ext2Error {
        if (size < in.size) {
            FileMap m = fs.fileMap(in);
            long keep = (size + bs - 1) / bs;
            for (long[] run : m.unmap(keep, Long.MAX_VALUE)) fs.tx.free(run[0], run[1]);
            zeroTail(in, size);
        } else if (size > in.size) {
            zeroTail(in, in.size); // what lay past the old end must read as zeros now
        }
        in.size = size;
        fs.markDirty(in);
    }

    private void zeroTail(Inode in, long at) throws Ext2Error {
        int within = (int) (at % bs);
        if (within == 0) return;
        FileMap.Run run = fs.fileMap(in).runAt(at / bs);
        if (run == null || run.unwritten()) return;
        long pblk = run.pblk() + (at / bs - run.lblk());
        fs.writeData(pblk, within, ByteBuffer.allocate(bs - within), bs - within, false);
    }

    int fdiscard(VopArgs.Fdiscard a) {
        if (fs.readOnly) return Errno.EROFS.number();
        if (a.vp().type() != VType.VREG) return Errno.EINVAL.number();
        if (a.pos() < 0 || a.len() < 0 || a.pos() > Long.MAX_VALUE - a.len()) return Errno.EINVAL.number();
        Inode in = node(a.vp()).inode;
        return underLock(() -> {
            InlineData.expand(fs, in);
            long end = Math.min(a.pos() + a.len(), in.size);
            if (a.pos() >= end) return 0;
            long firstWhole = (a.pos() + bs - 1) / bs;
            long lastWhole = end / bs;
            if (firstWhole < lastWhole) {
                for (long[] run : fs.fileMap(in).unmap(firstWhole, lastWhole)) fs.tx.free(run[0], run[1]);
            }
            zeroRange(in, a.pos(), Math.min(end, firstWhole * bs));
            if (lastWhole >= firstWhole) zeroRange(in, Math.max(a.pos(), lastWhole * bs), end);
            in.mtime = in.ctime = now();
            fs.markDirty(in);
            maybeCommit();
            return 0;
        });
    }

    /** Zeros [from, to) within one block, where the block is there. */
    private void zeroRange(Inode in, long from, long to) throws Ext2Error {
        if (from >= to) return;
        FileMap.Run run = fs.fileMap(in).runAt(from / bs);
        if (run == null || run.unwritten()) return;
        long pblk = run.pblk() + (from / bs - run.lblk());
        int n = (int) (to - from);
        fs.writeData(pblk, (int) (from % bs), ByteBuffer.allocate(n), n, false);
    }

    /** Space for [pos, pos + len) now: unwritten extents in extent-mapped files, zeroed blocks in block-mapped ones. */
    int fallocate(VopArgs.Fallocate a) {
        if (fs.readOnly) return Errno.EROFS.number();
        if (a.vp().type() != VType.VREG) return Errno.ENODEV.number();
        if (a.pos() < 0 || a.len() <= 0) return Errno.EINVAL.number();
        Inode in = node(a.vp()).inode;
        return underLock(() -> {
            InlineData.expand(fs, in);
            if (a.pos() > maxFileSize(in) - a.len()) return Errno.EFBIG.number();
            FileMap m = fs.fileMap(in);
            long lblk = a.pos() / bs;
            long endBlk = (a.pos() + a.len() + bs - 1) / bs;
            boolean extents = in.hasFlag(Inode.EXTENTS_FL);
            while (lblk < endBlk) {
                Extents.Run where = m.lookup(lblk);
                if (m.runAt(lblk) != null) {
                    lblk += Math.max(1, Math.min(where.length(), endBlk - lblk));
                    continue;
                }
                long want = Math.min(Math.min(where.length(), endBlk - lblk), MapWriter.MAX_UNWRITTEN_LEN);
                long[] got = fs.allocData(in, lblk, want);
                if (extents) {
                    m.unmap(lblk, lblk + got[1]);
                    m.map(lblk, got[0], got[1], true);
                } else {
                    for (long i = 0; i < got[1]; i++) fs.writeData(got[0] + i, 0, ByteBuffer.allocate(bs), bs, true);
                }
                lblk += got[1];
            }
            long end = a.pos() + a.len();
            if (end > in.size) {
                in.size = end;
                in.mtime = in.ctime = now();
            }
            fs.markDirty(in);
            maybeCommit();
            return 0;
        });
    }

    // --- attributes -------------------------------------------------------------------------------

    int setattr(VopArgs.Setattr a) {
        if (fs.readOnly) return Errno.EROFS.number();
        Inode n = node(a.vp()).inode;
        Vattr v = a.vap();
        KCred cred = a.cred();
        return underLock(() -> {
            long t = now();
            if (v.uid != Vattr.VNOVAL || v.gid != Vattr.VNOVAL) {
                int nuid = v.uid == Vattr.VNOVAL ? n.uid : (int) v.uid;
                int ngid = v.gid == Vattr.VNOVAL ? n.gid : (int) v.gid;
                if (!cred.isRoot() && (nuid != n.uid || cred.euid() != n.uid || (ngid != n.gid && !cred.isMember(ngid)))) {
                    return Errno.EPERM.number();
                }
                if (!cred.isRoot() && (nuid != n.uid || ngid != n.gid)) n.mode &= ~(S_ISUID | S_ISGID);
                n.uid = nuid;
                n.gid = ngid;
                n.ctime = t;
            }
            if (v.mode != Vattr.VNOVAL) {
                if (!cred.isRoot() && cred.euid() != n.uid) return Errno.EPERM.number();
                int mode = (int) v.mode & 07777;
                if (!cred.isRoot()) {
                    if (a.vp().type() != VType.VDIR && (mode & S_ISVTX) != 0) return Errno.EFTYPE.number();
                    if ((mode & S_ISGID) != 0 && !cred.isMember(n.gid)) return Errno.EPERM.number();
                }
                n.mode = (n.mode & Inode.S_IFMT) | mode;
                n.ctime = t;
            }
            VType type = a.vp().type();
            boolean special = type == VType.VFIFO || type == VType.VCHR || type == VType.VBLK;
            if (v.size != Vattr.VNOVAL && !special) {
                if (type == VType.VDIR) return Errno.EISDIR.number();
                if (type != VType.VREG) return Errno.EINVAL.number();
                if (v.size < 0) return Errno.EINVAL.number();
                if (v.size > maxFileSize(n)) return Errno.EFBIG.number();
                if (v.size != n.size) {
                    InlineData.expand(fs, n);
                    truncate(n, v.size);
                    n.mtime = n.ctime = t;
                }
            }
            if (v.atime != Vattr.VNOVAL_TIME || v.mtime != Vattr.VNOVAL_TIME) {
                if (!cred.isRoot() && cred.euid() != n.uid) {
                    if ((v.vaflags & Vattr.VA_UTIMES_NULL) == 0) return Errno.EPERM.number();
                    if (Vaccess.check(type, n.mode & 07777, n.uid, n.gid, Vaccess.VWRITE, cred) != 0) return Errno.EACCES.number();
                }
                if (v.atime != Vattr.VNOVAL_TIME) n.atime = v.atime;
                if (v.mtime != Vattr.VNOVAL_TIME) n.mtime = v.mtime;
                n.ctime = t;
            }
            fs.markDirty(n);
            maybeCommit();
            return 0;
        });
    }

    // --- extended attributes --------------------------------------------------------------------

    int setextattr(VopArgs.Setextattr a) {
        if (fs.readOnly) return Errno.EROFS.number();
        byte[] v = new byte[(int) Math.min(a.uio().resid(), bs)];
        if (a.uio().resid() > bs) return Errno.ENOSPC.number();
        a.uio().move(v, 0, v.length);
        return changeXattr(node(a.vp()).inode, a.attrnamespace(), a.name(), v);
    }

    int deleteextattr(VopArgs.Deleteextattr a) {
        if (fs.readOnly) return Errno.EROFS.number();
        return changeXattr(node(a.vp()).inode, a.attrnamespace(), a.name(), null);
    }

    private int changeXattr(Inode in, int namespace, String name, byte[] value) {
        fs.fsLock.enter();
        try {
            try {
                XattrWriter.set(fs, in, namespace, name, value);
                maybeCommit();
                return 0;
            } catch (Ext2Error e) {
                return e.errno() == Errno.ENOATTR.number() ? e.errno() : fail(e);
            }
        } finally {
            fs.fsLock.exit();
        }
    }

    // --- the end of a file ------------------------------------------------------------------------

    /**
     * VOP_RECLAIM's part: an inode nothing names any more gets its blocks and its number back; a changed
     * one goes into the transaction before its vnode (and the in-memory inode) is forgotten.
     */
    void reclaim(Inode in) {
        if (fs.readOnly) return;
        fs.fsLock.enter();
        try {
            try {
                if (in.linksCount == 0 && in.mode != 0 && (fs.isOrphan(in) || in.dtime == 0)) {
                    release(in);
                } else {
                    fs.flushIfDirty(in);
                }
            } catch (Ext2Error e) {
                fail(e);
            }
        } finally {
            fs.fsLock.exit();
        }
    }

    /** Frees an inode nothing names: its blocks, its attribute block, its number; off the orphan list first. */
    void release(Inode in) throws Ext2Error {
        fs.removeOrphan(in);
        boolean dir = in.isDir();
        if (!in.hasFlag(Inode.INLINE_DATA_FL) && (in.fileMap != null || hasBlockMap(in))) {
            FileMap m = fs.fileMap(in);
            for (long[] run : m.unmap(0, Long.MAX_VALUE)) fs.tx.free(run[0], run[1]);
            for (long b : m.mapBlocks) fs.tx.free(b, 1);
            m.mapBlocks.clear();
            m.dirty = false;
        }
        if (in.fileAcl != 0) Xattrs.releaseBlock(fs, in);
        in.fileAcl = 0;
        in.fileMap = null;
        in.size = 0;
        in.blocks512 = 0;
        in.setIBlock(new byte[Inode.I_BLOCK_SIZE]);
        in.flags &= ~(Inode.EXTENTS_FL | Inode.INDEX_FL | Inode.INLINE_DATA_FL);
        in.dtime = Math.max(1, now() / 1_000_000_000L);
        fs.alloc.freeInode(in.ino, dir);
        fs.writeInode(in);
        fs.forgetDirty(in);
    }

    /** Whether i_block is a block map (not a fast symlink or a device number). */
    private boolean hasBlockMap(Inode in) {
        int t = in.type();
        if (t == Inode.S_IFREG || t == Inode.S_IFDIR) return true;
        if (t != Inode.S_IFLNK) return false;
        long eaBlocks = in.fileAcl != 0 ? bs / 512 : 0;
        return in.hasFlag(Inode.EXTENTS_FL) || in.blocks512 - eaBlocks > 0;
    }
}
