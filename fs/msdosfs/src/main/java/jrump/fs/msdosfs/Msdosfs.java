package jrump.fs.msdosfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

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
 * One mounted FAT volume (NetBSD's msdosfs_vfsops.c): the device, the boot sector, the FAT in memory,
 * blocks through the kernel's buffer cache and a vnode per file through a vnode cache.
 *
 * <p>Blocks: every block of the data area is a whole cluster at a cluster boundary (file data and
 * directories alike), every block before it (boot sector, FSInfo, FATs, the FAT12/16 root directory) one
 * sector, so no two cached blocks overlap.
 *
 * <p>Vnode keys: FAT has no inode numbers. A file is known by the position of its directory entry on the
 * device and a directory by the position of its first cluster (its "." entry), as NetBSD's msdosfs does;
 * the root by {@link #ROOT_KEY}. A loaded file keeps the key it was loaded with when a rename moves its
 * entry; {@link #posToKey} then sends lookups of the new position to it, and a new file that takes a
 * position whose key is still in use gets a fresh key, so two files never share a vnode.
 *
 * <p>Locking: one lock per mount (fsLock, a kernel lock) around every change and every read of the
 * FAT, directories and nodes: short sections without waits on vnodes. Never held while waiting on the
 * vnode cache ({@link #vget}) or a vnode lock, which the cache's reclaim path takes first.
 */
final class Msdosfs implements VfsOps {
    /** The root has no directory entry; positions are multiples of 32, so 1 is no position. */
    static final long ROOT_KEY = 1;
    /** fatgen103 "FSInfo Sector Structure". */
    static final int FSI_LEAD_SIG = 0x41615252;
    static final int FSI_STRUC_SIG = 0x61417272;
    static final int FSI_TRAIL_SIG = 0xAA550000;
    static final int FSI_LEAD_SIG_OFFSET = 0;
    static final int FSI_STRUC_SIG_OFFSET = 484;
    static final int FSI_FREE_COUNT_OFFSET = 488;
    static final int FSI_NXT_FREE_OFFSET = 492;
    static final int FSI_TRAIL_SIG_OFFSET = 508;
    /** Reads of at least this many bytes of whole contiguous clusters go to the device directly. */
    static final int DIRECT_READ = 64 << 10;

    final Kernel kernel;
    /** The file system's lock (a kernel lock: waiting for it gives the virtual CPU up, see Krecmutex). */
    final jrump.rumpkern.kernel.Krecmutex fsLock;
    final Vnode devvp;
    final BufCache bufs;
    final Bpb bpb;
    final Fat fat;
    final Mount mount;
    final MountOptions options;
    final VnodeCache vnodes;
    final MsdosVnodeOps ops;
    private final Map<Long, Long> posToKey = new HashMap<>();
    private final Map<Long, MsdosNode> live = new HashMap<>();
    private long nextFreshKey = 1L << 62;
    /** File data written through the cache since the last flush: direct reads must flush first. */
    private boolean dataDirty;
    /** The free count FSInfo was last given (-1: not yet this mount), so an unchanged one is not rewritten. */
    private long fsInfoWritten = -1;

    private Msdosfs(Kernel kernel, Vnode devvp, Bpb bpb, Fat fat, Vnode covered, long fsid, int flags, MountOptions options) {
        this.kernel = kernel;
        this.fsLock = kernel.recursiveMutex();
        this.devvp = devvp;
        this.bufs = BufCache.of(kernel);
        this.bpb = bpb;
        this.fat = fat;
        this.options = options;
        this.mount = new Mount(this, MsdosfsComponent.TYPE, covered, fsid, flags & Mount.MNT_RDONLY);
        this.mount.setData(this);
        this.mount.setNameCache(true);
        this.vnodes = new VnodeCache(kernel, VnodeCache.defaultMaxFree(kernel));
        this.ops = new MsdosVnodeOps(this);
    }

    /** msdosfs_mountfs: reads and checks the boot sector, reads the FAT, refuses what cannot be mounted. */
    static int mount(Kernel kernel, Vnode covered, int flags, Vnode devvp, String options, long fsid, Out<Mount> out) {
        try {
            MountOptions mo = MountOptions.parse(options);
            byte[] first = new byte[4096];
            int error = strategy(devvp, 0, ByteBuffer.wrap(first, 0, 512), true);
            if (error != 0) throw new FatError(errnoOf(error), "reading the boot sector");
            Bpb bpb = Bpb.parse(first);
            // the volume's last sector must be on the device before anything is sized from the boot sector
            int sectorUnits = bpb.bytesPerSector / BufCache.DEV_BSIZE;
            error = strategy(devvp, (bpb.totalSectors - 1) * sectorUnits, ByteBuffer.allocate(bpb.bytesPerSector), true);
            if (error != 0) throw FatError.corrupt("the boot sector says " + bpb.totalSectors + " sectors: the device is smaller");
            byte[] raw = new byte[Math.toIntExact(bpb.fatSectors * bpb.bytesPerSector)];
            int fatCopy = Math.max(0, bpb.activeFat);
            long fatStart = (bpb.reservedSectors + (long) fatCopy * bpb.fatSectors) * bpb.bytesPerSector;
            error = strategy(devvp, fatStart / BufCache.DEV_BSIZE, ByteBuffer.wrap(raw), true);
            if (error != 0) throw new FatError(errnoOf(error), "reading the FAT (" + raw.length + " bytes at " + fatStart + ")");
            Fat fat = new Fat(bpb.type, raw, bpb.bytesPerSector, bpb.maxCluster());
            Msdosfs fs = new Msdosfs(kernel, devvp, bpb, fat, covered, fsid, flags, mo);
            fs.fsLock.enter();
            try {
                fs.chain(fs.newRoot()); // a volume whose root cannot be walked is not mounted
            } finally {
                fs.fsLock.exit();
            }
            out.set(fs.mount);
            return 0;
        } catch (FatError e) {
            kernel.hyp().consoleLine("msdosfs: mount refused: " + e.getMessage());
            return e.errno();
        } catch (ArithmeticException e) {
            kernel.hyp().consoleLine("msdosfs: mount refused: a FAT too large to hold in memory");
            return Errno.EFBIG.number();
        }
    }

    private static Errno errnoOf(int n) {
        for (Errno e : Errno.values()) if (e.number() == n) return e;
        return Errno.EIO;
    }

    /** One synchronous transfer of {@code buf}'s remaining bytes at {@code blkno} (DEV_BSIZE units). */
    private static int strategy(Vnode devvp, long blkno, ByteBuffer buf, boolean read) {
        Buf io = new Buf(blkno, buf, read);
        int error = Vop.strategy(devvp, io);
        if (error == 0) error = io.error;
        if (error == 0 && io.resid != 0) error = Errno.EIO.number(); // past the device's end
        return error;
    }

    void warn(String message) {
        kernel.hyp().consoleLine("msdosfs: " + message);
    }

    boolean readOnly() {
        return mount.readOnly();
    }

    int gmtoff() {
        return options.gmtoff();
    }

    long now() {
        return kernel.wallNanos();
    }

    // --- blocks ---------------------------------------------------------------------------------

    /** Where the block holding byte {@code pos} starts: its cluster in the data area, else its sector. */
    long blockStart(long pos) {
        long dataStart = bpb.firstDataSector * bpb.bytesPerSector;
        if (pos < dataStart) return pos - pos % bpb.bytesPerSector;
        return dataStart + (pos - dataStart) / bpb.clusterBytes * bpb.clusterBytes;
    }

    int blockSize(long pos) {
        return pos < bpb.firstDataSector * bpb.bytesPerSector ? bpb.bytesPerSector : bpb.clusterBytes;
    }

    /** The cached block starting at {@code start} (a value of {@link #blockStart}), read unless {@code overwrite}. */
    CachedBlock block(long start, boolean overwrite) throws FatError {
        if (start < 0 || start + blockSize(start) > bpb.totalSectors * bpb.bytesPerSector) {
            throw FatError.corrupt("block at byte " + start + " is outside the volume");
        }
        Out<CachedBlock> b = new Out<>();
        int error = overwrite ? bufs.getblk(devvp, start / BufCache.DEV_BSIZE, blockSize(start), b)
                : bufs.bread(devvp, start / BufCache.DEV_BSIZE, blockSize(start), b);
        if (error != 0) throw new FatError(errnoOf(error), "reading the block at byte " + start);
        return b.get();
    }

    /** Copies {@code len} bytes at {@code pos} (within one block) into {@code dst[off..]}. */
    void read(long pos, byte[] dst, int off, int len) throws FatError {
        long start = blockStart(pos);
        CachedBlock b = block(start, false);
        try {
            System.arraycopy(b.bytes(), (int) (pos - start), dst, off, len);
        } finally {
            bufs.brelse(b);
        }
    }

    /** Moves {@code len} bytes at {@code pos} (within one block) into {@code dst}. */
    void read(long pos, ByteBuffer dst, int len) throws FatError {
        long start = blockStart(pos);
        CachedBlock b = block(start, false);
        try {
            dst.put(b.bytes(), (int) (pos - start), len);
        } finally {
            bufs.brelse(b);
        }
    }

    /** Moves {@code len} bytes of {@code src} to {@code pos} (within one block), delayed. */
    void write(long pos, ByteBuffer src, int len) throws FatError {
        long start = blockStart(pos);
        boolean whole = pos == start && len == blockSize(start);
        CachedBlock b = block(start, whole);
        src.get(b.bytes(), (int) (pos - start), len);
        bufs.bdwrite(b);
        dataDirty = true;
    }

    /** Writes {@code len} bytes of {@code src[off..]} at {@code pos} (within one block), delayed. */
    void write(long pos, byte[] src, int off, int len) throws FatError {
        assert !readOnly();
        long start = blockStart(pos);
        boolean whole = pos == start && len == blockSize(start);
        CachedBlock b = block(start, whole);
        System.arraycopy(src, off, b.bytes(), (int) (pos - start), len);
        bufs.bdwrite(b);
        if (start >= bpb.firstDataSector * bpb.bytesPerSector) dataDirty = true;
    }

    /** A data cluster filled with zeros (a new directory cluster; the gap of a file that grows). */
    void zeroCluster(long c) throws FatError {
        CachedBlock b = block(bpb.clusterOffset(c), true);
        java.util.Arrays.fill(b.bytes(), (byte) 0);
        bufs.bdwrite(b);
        dataDirty = true;
    }

    /** Reads {@code len} bytes of whole clusters from cluster {@code c} on into {@code dst}: one transfer. */
    void readDirect(long c, ByteBuffer dst, int len) throws FatError {
        if (dataDirty) {
            int error = bufs.flush(devvp);
            if (error != 0) throw new FatError(errnoOf(error), "writing cached data before a direct read");
            dataDirty = false;
        }
        ByteBuffer window = dst.slice(dst.position(), len);
        int error = strategy(devvp, bpb.clusterOffset(c) / BufCache.DEV_BSIZE, window, true);
        if (error != 0) throw new FatError(errnoOf(error), "reading clusters " + c + "+" + len / bpb.clusterBytes);
        dst.position(dst.position() + len);
    }

    // --- chains ---------------------------------------------------------------------------------

    /** The node's clusters, walked on first use. */
    FatChain chain(MsdosNode n) throws FatError {
        if (n.chain == null) {
            long first = n.isRoot && !bpb.isFat32() ? 0 : n.isRoot ? bpb.rootCluster : n.entry.firstCluster;
            n.chain = FatChain.walk(fat, first, n.isRoot ? "the root directory" : "'" + n.entry.displayName() + "'");
        }
        return n.chain;
    }

    // --- nodes and vnodes -------------------------------------------------------------------------

    MsdosNode newRoot() {
        DirEntry e = new DirEntry();
        e.attr = DirEntry.ATTR_DIRECTORY;
        e.firstCluster = bpb.isFat32() ? bpb.rootCluster : 0;
        e.wrtDate = e.crtDate = e.accDate = (1 << 5) | 1;
        return new MsdosNode(ROOT_KEY, true, true, e, MsdosNode.NO_ENTRY, 0);
    }

    /** The position a file's or directory's identity is taken from (see the class comment). */
    long idPos(boolean isDir, long firstCluster, long entryPos) {
        return isDir ? bpb.clusterOffset(firstCluster) : entryPos;
    }

    /** The vnode cache key of whatever is at {@code pos}. Locking: the mount's lock. */
    long keyOf(long pos) {
        Long k = posToKey.get(pos);
        if (k != null) return k;
        if (!live.containsKey(pos)) return pos;
        long fresh = nextFreshKey++;
        posToKey.put(pos, fresh);
        return fresh;
    }

    /** The entry at {@code pos} is gone or moved away: its key no longer follows the position. Locking: held. */
    void forgetPos(long pos) {
        posToKey.remove(pos);
    }

    /** A loaded node's identity moved to {@code pos} (a renamed file). Locking: held. */
    void movePos(MsdosNode n, long pos) {
        Long k = posToKey.get(n.idPos);
        if (k != null && k == n.key) posToKey.remove(n.idPos);
        n.idPos = pos;
        posToKey.put(pos, n.key);
    }

    /** The referenced vnode of the root (VFS_ROOT). */
    int vgetRoot(Out<Vnode> vpp) {
        return vnodes.get(ROOT_KEY, (k, out) -> {
            fsLock.enter();
            try {
                return register(newRoot(), ROOT_KEY, out);
            } finally {
                fsLock.exit();
            }
        }, vpp);
    }

    /**
     * The referenced vnode of the file whose short entry is at {@code entryPos} in the directory starting
     * at {@code parentCluster}. Locking: the mount's lock not held (the cache may wait for a reclaim).
     */
    int vget(long key, long entryPos, long parentCluster, Out<Vnode> vpp) {
        return vnodes.get(key, (k, out) -> load(k, entryPos, parentCluster, out), vpp);
    }

    /**
     * The referenced vnode of the directory starting at {@code dirCluster}, reached through "..": its
     * entry is found in the parent its own ".." names. Locking: the mount's lock not held.
     */
    int vgetDir(long key, long dirCluster, Out<Vnode> vpp) {
        return vnodes.get(key, (k, out) -> {
            long parent;
            long pos;
            fsLock.enter();
            try {
                try {
                    parent = Directory.dotDotCluster(this, dirCluster);
                    pos = Directory.findEntryOf(this, dirCluster, parent);
                } catch (FatError e) {
                    warn(e.getMessage());
                    return e.errno();
                }
            } finally {
                fsLock.exit();
            }
            return load(k, pos, parent, out);
        }, vpp);
    }

    private int load(long key, long entryPos, long parentCluster, Out<Vnode> out) {
        fsLock.enter();
        try {
            try {
                byte[] raw = new byte[DirEntry.SIZE];
                read(entryPos, raw, 0, raw.length);
                int first = raw[0] & 0xff;
                if (first == DirEntry.END_OF_DIRECTORY || first == DirEntry.FREE_SLOT) return Errno.ENOENT.number();
                DirEntry e = DirEntry.parse(raw, 0);
                if ((e.attr & DirEntry.ATTR_VOLUME_ID) != 0) return Errno.ENOENT.number();
                if (e.isDir() && !fat.valid(e.firstCluster)) {
                    throw FatError.corrupt("directory '" + e.displayName() + "' starts at cluster " + e.firstCluster);
                }
                return register(new MsdosNode(key, e.isDir(), false, e, entryPos, parentCluster), key, out);
            } catch (FatError err) {
                warn(err.getMessage());
                return err.errno();
            }
        } finally {
            fsLock.exit();
        }
    }

    /** Locking: held. */
    private int register(MsdosNode n, long key, Out<Vnode> out) {
        n.vnode = new Vnode(kernel, mount, ops, n.isDir ? VType.VDIR : VType.VREG, n);
        live.put(key, n);
        if (!n.isRoot) {
            n.idPos = idPos(n.isDir, n.entry.firstCluster, n.entryPos);
            posToKey.put(n.idPos, key);
        }
        out.set(n.vnode);
        return 0;
    }

    /** VOP_RECLAIM: the node leaves memory. Locking: held. */
    void forget(MsdosNode n) {
        live.remove(n.key);
        Long k = posToKey.get(n.idPos);
        if (k != null && k == n.key) posToKey.remove(n.idPos);
    }

    /** Gives every cluster of the node back. Locking: held. */
    void freeClusters(MsdosNode n) throws FatError {
        FatChain ch = chain(n);
        fat.free(ch.array(), 0, ch.length());
        ch.truncate(0);
    }

    /**
     * The entry {@code it} of {@code n} leaves {@code dir}: a directory's clusters go at once (it is empty),
     * a file's when its last reference does (VOP_INACTIVE), since an open file still reads them.
     * Locking: held.
     */
    void unlink(MsdosNode dir, DirIndex.Item it, MsdosNode n) throws FatError {
        Directory.remove(this, dir, it);
        forgetPos(n.idPos);
        n.entryPos = MsdosNode.NO_ENTRY;
        n.removed = true;
        if (n.isDir) {
            freeClusters(n);
            n.index = new DirIndex(0);
        }
    }

    // --- writing back ---------------------------------------------------------------------------

    /** Writes a node's entry to its slot (delayed). Locking: held. */
    void writeEntry(MsdosNode n) throws FatError {
        if (n.isRoot || n.entryPos < 0 || readOnly()) return;
        byte[] raw = new byte[DirEntry.SIZE];
        read(n.entryPos, raw, 0, raw.length);
        DirEntry cur = DirEntry.parse(raw, 0);
        n.entry.write(raw, 0);
        System.arraycopy(cur.name, 0, raw, 0, 11); // the name belongs to the directory, not the node
        write(n.entryPos, raw, 0, raw.length);
    }

    /** The FAT's changed sectors to every copy (or the active one), and FSInfo. Locking: held. */
    int writeFat() {
        if (readOnly()) return 0;
        try {
            BitSet dirty = fat.takeDirty();
            byte[] raw = fat.raw();
            int bps = bpb.bytesPerSector;
            for (int s = dirty.nextSetBit(0); s >= 0; s = dirty.nextSetBit(s + 1)) {
                for (int copy = 0; copy < bpb.numFats; copy++) {
                    if (bpb.activeFat >= 0 && copy != bpb.activeFat) continue;
                    long pos = (bpb.reservedSectors + copy * bpb.fatSectors + s) * bps;
                    write(pos, raw, s * bps, bps);
                }
            }
            if (bpb.isFat32() && bpb.fsInfoSector != 0) writeFsInfo();
            return 0;
        } catch (FatError e) {
            warn(e.getMessage());
            return e.errno();
        }
    }

    /** FSI_Free_Count and FSI_Nxt_Free kept right (NetBSD leaves them stale; fsck.fat notices). */
    private void writeFsInfo() throws FatError {
        if (fsInfoWritten == fat.freeCount()) return;
        long pos = (long) bpb.fsInfoSector * bpb.bytesPerSector;
        byte[] s = new byte[bpb.bytesPerSector];
        read(pos, s, 0, s.length);
        ByteBuffer b = ByteBuffer.wrap(s).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(FSI_LEAD_SIG_OFFSET) != FSI_LEAD_SIG || b.getInt(FSI_STRUC_SIG_OFFSET) != FSI_STRUC_SIG) {
            return; // no valid FSInfo: leave the sector alone (fatgen103: the counts are then unknown)
        }
        b.putInt(FSI_FREE_COUNT_OFFSET, (int) fat.freeCount());
        b.putInt(FSI_NXT_FREE_OFFSET, (int) fat.nextFree());
        write(pos, s, 0, s.length);
        fsInfoWritten = fat.freeCount();
    }

    // --- VfsOps ---------------------------------------------------------------------------------

    @Override
    public int root(Mount mp, Out<Vnode> vpp) {
        return vgetRoot(vpp);
    }

    @Override
    public int statvfs(Mount mp, Out<Statvfs> out) {
        long free;
        fsLock.enter();
        try {
            free = fat.freeCount();
        } finally {
            fsLock.exit();
        }
        long cs = bpb.clusterBytes;
        out.set(new Statvfs(0, cs, cs, cs, bpb.clusterCount, free, free, 0, 0, 0, 0, 0, 0, LongName.MAX_LENGTH, 0, "", "", ""));
        return 0;
    }

    @Override
    public int sync(Mount mp) {
        fsLock.enter();
        try {
            int error = writeFat();
            int flushed = bufs.flush(devvp);
            dataDirty = false;
            return error != 0 ? error : flushed;
        } finally {
            fsLock.exit();
        }
    }

    @Override
    public int update(Mount mp, int flags) {
        if ((flags & Mount.MNT_RDONLY) != 0 && !readOnly()) return sync(mp); // everything out before the flag
        return 0;
    }

    @Override
    public int unmount(Mount mp, boolean force) {
        int error = vnodes.flush(force);
        if (error != 0) return error;
        if (!readOnly()) {
            error = sync(mp);
            if (error != 0 && !force) return error;
        }
        bufs.invalidate(devvp, readOnly());
        return 0;
    }

    /** A fid: the vnode key (8 bytes). */
    @Override
    public int vptofh(Vnode vp, Out<byte[]> fid) {
        MsdosNode n = (MsdosNode) vp.data();
        fid.set(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(n.key).array());
        return 0;
    }
}
