package jrump.fs.ext2fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Statvfs;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Out;
import jrump.rumpvfs.vnode.Buf;
import jrump.rumpvfs.vnode.BufCache;
import jrump.rumpvfs.vnode.CachedBlock;
import jrump.rumpvfs.vnode.Mount;
import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.VfsOps;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.VnodeCache;
import jrump.rumpvfs.vnode.Vop;

/**
 * One mounted ext2/3/4 file system (NetBSD's ext2fs_vfsops.c): the device, the superblock, blocks through
 * the kernel's buffer cache, and a vnode per inode through a vnode cache.
 */
final class Ext2fs extends Volume implements VfsOps {
    static final long ROOT_INO = 2;

    final Kernel kernel;
    final Vnode devvp;
    final BufCache bufs;
    final Mount mount;
    final VnodeCache vnodes;
    /** Blocks as the journal's committed transactions left them (read-only recovery), else empty. */
    private final java.util.Map<Long, byte[]> journaled;
    private final Ext2VnodeOps ops;

    private Ext2fs(Kernel kernel, Vnode devvp, Superblock sb, Vnode covered, long fsid, int flags, java.util.Map<Long, byte[]> journaled) {
        super(sb);
        this.journaled = journaled;
        this.kernel = kernel;
        this.devvp = devvp;
        this.bufs = BufCache.of(kernel);
        this.mount = new Mount(this, "ext2fs", covered, fsid, flags & Mount.MNT_RDONLY);
        this.mount.setData(this);
        this.mount.setNameCache(true); // directory searches cost block reads
        this.vnodes = new VnodeCache(kernel, VnodeCache.defaultMaxFree(kernel));
        this.ops = new Ext2VnodeOps(this);
    }

    /** ext2fs_mountfs: reads and checks the superblock, refuses what cannot be mounted as asked. */
    static int mount(Kernel kernel, Vnode covered, int flags, Vnode devvp, String options, long fsid, Out<Mount> out) {
        if (options != null && !options.isBlank()) return Errno.EINVAL.number(); // no options yet
        boolean readOnly = (flags & Mount.MNT_RDONLY) != 0;
        try {
            byte[] raw = new byte[Superblock.SIZE];
            Buf io = new Buf(Superblock.OFFSET / BufCache.DEV_BSIZE, ByteBuffer.wrap(raw), true);
            int error = Vop.strategy(devvp, io);
            if (error == 0) error = io.error;
            if (error == 0 && io.resid != 0) error = Errno.EINVAL.number(); // smaller than a superblock
            if (error != 0) return error;
            Superblock sb = Superblock.parse(raw);
            int unknown = sb.incompat & ~Features.INCOMPAT_SUPPORTED;
            if (unknown != 0) {
                throw new Ext2Error(Errno.EOPNOTSUPP, "unsupported incompatible features " + Features.names(unknown, true));
            }
            if (!readOnly) {
                throw new Ext2Error(Errno.EROFS, "writing is not supported yet: mount read-only (MNT_RDONLY)");
            }
            Ext2fs fs = new Ext2fs(kernel, devvp, sb, covered, fsid, flags, java.util.Map.of());
            if (sb.hasIncompat(Features.INCOMPAT_RECOVER) && sb.hasCompat(Features.COMPAT_HAS_JOURNAL)) {
                // read-only: read through the journal, write nothing (what Linux's norecovery cannot do)
                java.util.Map<Long, byte[]> overlay = Journal.overlay(fs);
                Superblock current = sb;
                long sbBlock = Superblock.OFFSET / sb.blockSize;
                if (overlay.containsKey(sbBlock)) {
                    byte[] raw2 = java.util.Arrays.copyOfRange(overlay.get(sbBlock), Superblock.OFFSET % sb.blockSize,
                            Superblock.OFFSET % sb.blockSize + Superblock.SIZE);
                    current = Superblock.parse(raw2);
                    if (current.blockSize != sb.blockSize) throw Ext2Error.corrupt("the journaled superblock changes the block size");
                }
                kernel.hyp().consoleLine("ext2fs: journal needs recovery: reading " + overlay.size()
                        + " journaled blocks through it (read-only: nothing replayed to the device)");
                fs = new Ext2fs(kernel, devvp, current, covered, fsid, flags, overlay);
            }
            fs.readInode(ROOT_INO); // a file system whose root cannot be read is not mounted
            out.set(fs.mount);
            return 0;
        } catch (Ext2Error e) {
            kernel.hyp().consoleLine("ext2fs: mount refused: " + e.getMessage());
            return e.errno();
        }
    }

    // --- blocks ---------------------------------------------------------------------------------

    /** A copy of file system block {@code block} (metadata: small, and kept apart from the cache's copy). */
    @Override
    void warn(String message) {
        kernel.hyp().consoleLine("ext2fs: " + message);
    }

    @Override
    byte[] readMetadataBlock(long block, String what) throws Ext2Error {
        if (block < 0 || block >= sb.blocksCount) throw Ext2Error.corrupt(what + ": block " + block + " outside the file system");
        byte[] j = journaled.get(block);
        if (j != null) return j.clone();
        Out<CachedBlock> b = new Out<>();
        int error = bufs.bread(devvp, block * sb.sectorsPerBlock(), sb.blockSize, b);
        if (error != 0) throw new Ext2Error(error, what + ": reading block " + block);
        try {
            return b.get().bytes().clone();
        } finally {
            bufs.brelse(b.get());
        }
    }

    /** Copies {@code len} bytes at {@code from} within data block {@code block} into {@code dst}. */
    void readData(long block, int from, ByteBuffer dst, int len) throws Ext2Error {
        if (block <= 0 || block >= sb.blocksCount) throw Ext2Error.corrupt("data block " + block + " outside the file system");
        byte[] j = journaled.get(block);
        if (j != null) {
            dst.put(j, from, len);
            return;
        }
        Out<CachedBlock> b = new Out<>();
        int error = bufs.bread(devvp, block * sb.sectorsPerBlock(), sb.blockSize, b);
        if (error != 0) throw new Ext2Error(error, "reading block " + block);
        try {
            dst.put(b.get().bytes(), from, len);
        } finally {
            bufs.brelse(b.get());
        }
    }

    /** Whether none of {@code count} blocks from {@code first} has a journaled copy to read instead. */
    boolean noJournaledBlocksIn(long first, long count) {
        if (journaled.isEmpty()) return true;
        for (long b = first; b < first + count; b++) if (journaled.containsKey(b)) return false;
        return true;
    }

    /**
     * Reads {@code len} bytes (whole blocks) from block {@code first} on straight into {@code dst}: one
     * VOP_STRATEGY, no buffer cache. Only for data of a read-only mount: nothing in the cache is newer.
     */
    void readDirect(long first, ByteBuffer dst, int len) throws Ext2Error {
        long blocks = len / sb.blockSize;
        if (first <= 0 || first + blocks > sb.blocksCount) throw Ext2Error.corrupt("data blocks " + first + "+" + blocks + " outside the file system");
        ByteBuffer window = dst.slice(dst.position(), len);
        Buf io = new Buf(first * sb.sectorsPerBlock(), window, true);
        int error = Vop.strategy(devvp, io);
        if (error == 0) error = io.error;
        if (error == 0 && io.resid != 0) error = Errno.EIO.number();
        if (error != 0) throw new Ext2Error(error, "reading blocks " + first + "+" + blocks);
        dst.position(dst.position() + len);
    }

    // --- vnodes ---------------------------------------------------------------------------------

    /** The referenced vnode of inode {@code ino} (VFS_VGET). */
    int vget(long ino, Out<Vnode> vpp) {
        return vnodes.get(ino, this::load, vpp);
    }

    private int load(long ino, Out<Vnode> vpp) {
        try {
            Inode in = readInode(ino);
            if (in.linksCount == 0 && in.mode == 0) throw Ext2Error.corrupt("inode " + ino + " is not in use");
            VType type = switch (in.type()) {
                case Inode.S_IFREG -> VType.VREG;
                case Inode.S_IFDIR -> VType.VDIR;
                case Inode.S_IFLNK -> VType.VLNK;
                case Inode.S_IFCHR -> VType.VCHR;
                case Inode.S_IFBLK -> VType.VBLK;
                case Inode.S_IFIFO -> VType.VFIFO;
                case Inode.S_IFSOCK -> VType.VSOCK;
                default -> throw Ext2Error.corrupt("inode " + ino + ": file type " + Integer.toOctalString(in.type()));
            };
            vpp.set(new Vnode(kernel, mount, ops, type, new Ext2Node(in)));
            return 0;
        } catch (Ext2Error e) {
            kernel.hyp().consoleLine("ext2fs: " + e.getMessage());
            return e.errno();
        }
    }

    // --- VfsOps ---------------------------------------------------------------------------------

    @Override
    public int root(Mount mp, Out<Vnode> vpp) {
        return vget(ROOT_INO, vpp);
    }

    @Override
    public int statvfs(Mount mp, Out<Statvfs> out) {
        long bsize = sb.blockSize;
        long overhead = sb.firstDataBlock;
        out.set(new Statvfs(0, bsize, bsize, bsize, sb.blocksCount - overhead, sb.freeBlocks, sb.freeBlocks, 0,
                sb.inodesCount, sb.freeInodes, sb.freeInodes, 0, 0, Ext2Dir.NAME_MAX, 0, "", "", ""));
        return 0;
    }

    @Override
    public int update(Mount mp, int flags) {
        return (flags & Mount.MNT_RDONLY) == 0 ? Errno.EROFS.number() : 0;
    }

    @Override
    public int unmount(Mount mp, boolean force) {
        int error = vnodes.flush(force);
        if (error != 0) return error;
        bufs.invalidate(devvp, true); // read-only: nothing of ours is dirty
        return 0;
    }

    /** A fid: the inode number and its generation (a reused inode is another file: ESTALE). */
    @Override
    public int vptofh(Vnode vp, Out<byte[]> fid) {
        Inode in = ((Ext2Node) vp.data()).inode;
        fid.set(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(in.ino).putInt(in.generation).array());
        return 0;
    }

    @Override
    public int fhtovp(Mount mp, byte[] fid, Out<Vnode> vpp) {
        if (fid.length != 12) return Errno.EINVAL.number();
        ByteBuffer b = ByteBuffer.wrap(fid).order(ByteOrder.LITTLE_ENDIAN);
        long ino = b.getLong();
        int gen = b.getInt();
        if (ino < ROOT_INO || ino > sb.inodesCount) return Errno.ESTALE.number();
        int error = vget(ino, vpp);
        if (error != 0) return Errno.ESTALE.number();
        Inode in = ((Ext2Node) vpp.get().data()).inode;
        if (in.generation != gen || in.linksCount == 0) {
            vpp.get().vrele();
            return Errno.ESTALE.number();
        }
        return 0;
    }
}
