package jrump.fs.ext2fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Statvfs;
import jrump.rumpkern.kernel.Callout;
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
    /** How long changed metadata may wait in memory before it is committed (jbd2's default commit interval). */
    static final long COMMIT_INTERVAL_NANOS = 5_000_000_000L;
    /** Without a journal, a commit comes at least every this many changed blocks (bounds the memory they take). */
    private static final int MAX_UNJOURNALED_BLOCKS = 8192;

    /** Incompatible features a read-write mount refuses (it could not keep them right). */
    private static final int INCOMPAT_NOT_WRITABLE = Features.INCOMPAT_META_BG | Features.INCOMPAT_MMP;
    /** Read-only-compatible features a read-write mount refuses: quota usage and the orphan file it would not keep. */
    private static final int RO_COMPAT_NOT_WRITABLE = Features.RO_COMPAT_QUOTA | Features.RO_COMPAT_PROJECT
            | Features.RO_COMPAT_ORPHAN_PRESENT;

    final Kernel kernel;
    /**
     * The file system's lock over metadata and the transaction (what a Java monitor would do, but a kernel
     * lock: waiting for it gives the virtual CPU up, see Krecmutex).
     */
    final jrump.rumpkern.kernel.Krecmutex fsLock;
    final Vnode devvp;
    final BufCache bufs;
    final Mount mount;
    final VnodeCache vnodes;
    /** Whether the mount is read-only now (MNT_UPDATE changes it). */
    volatile boolean readOnly;
    /** Metadata changed since the last commit (read-write mounts). Guarded by fsLock. */
    final Transaction tx = new Transaction();
    Allocator alloc;
    final DirWriter dirs;
    /**
     * The orphan list's inodes this mount put there (unlinked, not yet released), by number: the on-disk
     * list runs from s_last_orphan through each inode's i_dtime. Guarded by fsLock.
     */
    private final java.util.Map<Long, Inode> orphans = new java.util.LinkedHashMap<>();
    /** Inodes changed in memory since the last commit; guarded by fsLock. */
    private final java.util.Set<Inode> dirtyInodes = new java.util.LinkedHashSet<>();
    private JournalWriter journal;
    private Callout committer;
    /** Between the start of writing (mount, MNT_UPDATE to read-write) and its end (unmount, halt, read-only). */
    private boolean writing;
    private boolean haltHooked;
    /** Blocks as the journal's committed transactions left them (read-only recovery), else empty. */
    private final java.util.Map<Long, byte[]> journaled;
    private final Ext2VnodeOps ops;

    private Ext2fs(Kernel kernel, Vnode devvp, Superblock sb, Vnode covered, long fsid, int flags, java.util.Map<Long, byte[]> journaled) {
        super(sb);
        this.journaled = journaled;
        this.kernel = kernel;
        this.fsLock = kernel.recursiveMutex();
        this.devvp = devvp;
        this.bufs = BufCache.of(kernel);
        this.readOnly = (flags & Mount.MNT_RDONLY) != 0;
        this.mount = new Mount(this, "ext2fs", covered, fsid, flags & Mount.MNT_RDONLY);
        this.mount.setData(this);
        this.mount.setNameCache(true); // directory searches cost block reads
        this.vnodes = new VnodeCache(kernel, VnodeCache.defaultMaxFree(kernel));
        this.alloc = readOnly ? null : new Allocator(this);
        this.dirs = new DirWriter(this);
        this.ops = new Ext2VnodeOps(this);
    }

    private static Superblock readSuperblock(Vnode devvp) throws Ext2Error {
        byte[] raw = new byte[Superblock.SIZE];
        Buf io = new Buf(Superblock.OFFSET / BufCache.DEV_BSIZE, ByteBuffer.wrap(raw), true);
        int error = Vop.strategy(devvp, io);
        if (error == 0) error = io.error;
        if (error == 0 && io.resid != 0) error = Errno.EINVAL.number(); // smaller than a superblock
        if (error != 0) throw new Ext2Error(error, "reading the superblock");
        return Superblock.parse(raw);
    }

    /** ext2fs_mountfs: reads and checks the superblock, refuses what cannot be mounted as asked. */
    static int mount(Kernel kernel, Vnode covered, int flags, Vnode devvp, String options, long fsid, Out<Mount> out) {
        if (options != null && !options.isBlank()) return Errno.EINVAL.number(); // no options yet
        boolean readOnly = (flags & Mount.MNT_RDONLY) != 0;
        try {
            Superblock sb = readSuperblock(devvp);
            int unknown = sb.incompat & ~Features.INCOMPAT_SUPPORTED;
            if (unknown != 0) {
                throw new Ext2Error(Errno.EOPNOTSUPP, "unsupported incompatible features " + Features.names(unknown, true));
            }
            if (!readOnly) refuseUnwritable(sb);
            boolean recover = sb.hasIncompat(Features.INCOMPAT_RECOVER) && sb.hasCompat(Features.COMPAT_HAS_JOURNAL);
            if (readOnly) {
                Ext2fs fs = new Ext2fs(kernel, devvp, sb, covered, fsid, flags, java.util.Map.of());
                if (recover) fs = fs.readThroughJournal(covered, fsid, flags);
                fs.readInode(ROOT_INO); // a file system whose root cannot be read is not mounted
                out.set(fs.mount);
                return 0;
            }
            Journal.Recovery recovered = null;
            if (recover) {
                Ext2fs replaying = new Ext2fs(kernel, devvp, sb, covered, fsid, flags | Mount.MNT_RDONLY, java.util.Map.of());
                recovered = Journal.recover(replaying);
                for (java.util.Map.Entry<Long, byte[]> e : recovered.blocks().entrySet()) replaying.writeDevice(e.getKey(), e.getValue());
                replaying.bufs.invalidate(devvp, true);
                kernel.hyp().consoleLine("ext2fs: journal recovered: " + recovered.blocks().size() + " blocks replayed");
                sb = readSuperblock(devvp);
                refuseUnwritable(sb);
            }
            Ext2fs fs = new Ext2fs(kernel, devvp, sb, covered, fsid, flags, java.util.Map.of());
            fs.readInode(ROOT_INO);
            fs.startWriting(recovered);
            out.set(fs.mount);
            return 0;
        } catch (Ext2Error e) {
            kernel.hyp().consoleLine("ext2fs: mount refused: " + e.getMessage());
            return e.errno();
        }
    }

    private static void refuseUnwritable(Superblock sb) throws Ext2Error {
        int roUnknown = sb.roCompat & ~Features.RO_COMPAT_SUPPORTED;
        if (roUnknown != 0) {
            throw new Ext2Error(Errno.EROFS, "read-only-compatible features " + Features.names(roUnknown, false) + " allow only a read-only mount");
        }
        if ((sb.incompat & INCOMPAT_NOT_WRITABLE) != 0 || (sb.roCompat & RO_COMPAT_NOT_WRITABLE) != 0) {
            java.util.List<String> names = new java.util.ArrayList<>(Features.names(sb.incompat & INCOMPAT_NOT_WRITABLE, true));
            names.addAll(Features.names(sb.roCompat & RO_COMPAT_NOT_WRITABLE, false));
            throw new Ext2Error(Errno.EROFS, "writing file systems with " + names + " is not supported: mount read-only");
        }
        if (sb.hasIncompat(Features.INCOMPAT_RECOVER) && !sb.hasCompat(Features.COMPAT_HAS_JOURNAL)) {
            throw Ext2Error.corrupt("needs_recovery without a journal");
        }
    }

    /** Read-only: read through the journal, write nothing (what Linux's norecovery cannot do). */
    private Ext2fs readThroughJournal(Vnode covered, long fsid, int flags) throws Ext2Error {
        java.util.Map<Long, byte[]> overlay = Journal.overlay(this);
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
        return new Ext2fs(kernel, devvp, current, covered, fsid, flags, overlay);
    }

    /**
     * A read-write mount begins: the journal opened (and emptied after a recovery), the superblock marked
     * in use (needs_recovery with a journal, not cleanly unmounted without) and written at once, the
     * periodic commit armed.
     */
    private void startWriting(Journal.Recovery recovered) throws Ext2Error {
        if (sb.hasCompat(Features.COMPAT_HAS_JOURNAL)) journal = JournalWriter.open(this, recovered);
        if ((sb.state & Superblock.STATE_ERROR) != 0) warn("the file system has errors: run fsck");
        sb.mountCount++;
        sb.mountTime = kernel.wallNanos() / 1_000_000_000L;
        if (journal != null) sb.incompat |= Features.INCOMPAT_RECOVER;
        else sb.state &= ~Superblock.STATE_VALID;
        writeSuperblockNow();
        if (committer == null) committer = kernel.callouts().create("ext2fs-commit", this::periodicCommit);
        if (!haltHooked) kernel.addHaltHook(this::haltCommit);
        haltHooked = true;
        writing = true;
        if (sb.lastOrphan != 0) {
            fsLock.enter();
            try {
                releaseOrphans();
            } finally {
                fsLock.exit();
            }
        }
    }

    private void writeSuperblockNow() throws Ext2Error {
        byte[] raw = sb.encode().clone();
        Buf io = new Buf(Superblock.OFFSET / BufCache.DEV_BSIZE, ByteBuffer.wrap(raw), false);
        strategy(io, "writing the superblock");
        bufs.discard(devvp, Superblock.OFFSET / sb.blockSize * sb.sectorsPerBlock());
    }

    private void strategy(Buf io, String what) throws Ext2Error {
        int error = Vop.strategy(devvp, io);
        if (error == 0) error = io.error;
        if (error == 0 && io.resid != 0) error = Errno.EIO.number();
        if (error != 0) throw new Ext2Error(error, what);
    }

    /** Block {@code block} as on the device now (past the cache: what the journal writer builds on). */
    byte[] readDevice(long block) throws Ext2Error {
        byte[] b = new byte[sb.blockSize];
        strategy(new Buf(block * sb.sectorsPerBlock(), ByteBuffer.wrap(b), true), "reading block " + block);
        return b;
    }

    /** Writes block {@code block} to the device now, past the cache (journal blocks). */
    void writeDevice(long block, byte[] content) throws Ext2Error {
        strategy(new Buf(block * sb.sectorsPerBlock(), ByteBuffer.wrap(content), false), "writing block " + block);
        bufs.discard(devvp, block * sb.sectorsPerBlock());
    }

    /** Writes a committed block to its home, through the cache (which keeps the new content). */
    void writeHome(long block, byte[] content) throws Ext2Error {
        Out<CachedBlock> b = new Out<>();
        int error = bufs.getblk(devvp, block * sb.sectorsPerBlock(), sb.blockSize, b);
        if (error != 0) throw new Ext2Error(error, "writing block " + block);
        System.arraycopy(content, 0, b.get().bytes(), 0, sb.blockSize);
        error = bufs.bwrite(b.get());
        if (error != 0) throw new Ext2Error(error, "writing block " + block);
    }

    // --- changing metadata (the caller holds fsLock) --------------------------------

    /** Block {@code block} as this transaction has it, to change in place. */
    byte[] modifyBlock(long block, String what) throws Ext2Error {
        byte[] b = tx.get(block);
        if (b != null) return b;
        b = readMetadataBlock(block, what);
        tx.put(block, b);
        changed();
        return b;
    }

    /** A new metadata block's content, all zeros, to fill in. */
    byte[] freshBlock(long block) {
        byte[] b = new byte[sb.blockSize];
        tx.put(block, b);
        changed();
        return b;
    }

    void markDirty(Inode in) {
        dirtyInodes.add(in);
        changed();
    }

    private void changed() {
        if (committer != null && !committer.pending()) committer.scheduleNanos(COMMIT_INTERVAL_NANOS);
    }

    /** The block map of {@code in}, loaded for changing. */
    FileMap fileMap(Inode in) throws Ext2Error {
        if (in.fileMap == null) in.fileMap = FileMap.load(this, in);
        return in.fileMap;
    }

    /**
     * Up to {@code max} blocks for logical block {@code lblk} of {@code in} on, contiguous with the file's
     * blocks before it where possible, mapped into the file: {first, count}. A file system full only of
     * blocks freed since the last commit commits and tries again.
     */
    long[] allocData(Inode in, long lblk, long max) throws Ext2Error {
        FileMap m = fileMap(in);
        long goal = m.goalFor(lblk);
        if (goal == 0) goal = alloc.groupStart((in.ino - 1) / sb.inodesPerGroup);
        long[] run;
        try {
            run = alloc.allocBlocks(goal, max);
        } catch (Ext2Error e) {
            if (e.errno() != Errno.ENOSPC.number() || tx.pendingFrees() == 0) throw e;
            commit();
            run = alloc.allocBlocks(goal, max);
        }
        m.map(lblk, run[0], run[1], false);
        markDirty(in);
        return run;
    }

    /** The inode's bytes into its inode table block. */
    void writeInode(Inode in) throws Ext2Error {
        long group = (in.ino - 1) / sb.inodesPerGroup;
        long index = (in.ino - 1) % sb.inodesPerGroup;
        long byteOff = index * sb.inodeSize;
        byte[] blk = modifyBlock(group(group).inodeTable() + byteOff / sb.blockSize, "inode table of group " + group);
        System.arraycopy(in.encode(sb), 0, blk, (int) (byteOff % sb.blockSize), sb.inodeSize);
    }

    /** A changed inode into the transaction: its block map first (which sets i_blocks), then the inode. */
    void flushInode(Inode in) throws Ext2Error {
        if (in.fileMap != null && in.fileMap.dirty) MapWriter.write(this, in, in.fileMap);
        writeInode(in);
        dirtyInodes.remove(in);
    }

    /**
     * An inode whose last name went goes on the orphan list (ext4_orphan_add): should the system stop
     * before the last user lets go, the next mount (or e2fsck) finds it there and frees it.
     */
    void addOrphan(Inode in) {
        if (orphans.containsKey(in.ino)) return;
        in.dtime = sb.lastOrphan;
        sb.lastOrphan = in.ino;
        orphans.put(in.ino, in);
        markDirty(in);
    }

    boolean isOrphan(Inode in) {
        return orphans.containsKey(in.ino);
    }

    /** Off the orphan list (its inode is being freed): whoever pointed at it points past it. */
    void removeOrphan(Inode in) {
        if (orphans.remove(in.ino) == null) return;
        long next = in.dtime;
        if (sb.lastOrphan == in.ino) {
            sb.lastOrphan = next;
        } else {
            for (Inode p : orphans.values()) {
                if (p.dtime == in.ino) {
                    p.dtime = next;
                    markDirty(p);
                    break;
                }
            }
        }
        in.dtime = 0;
        changed();
    }

    /**
     * A read-write mount after a crash finds inodes on the orphan list: unlinked ones are freed, others
     * (truncations Linux had in progress) just leave the list. The walk is bounded by the inode count.
     */
    private void releaseOrphans() throws Ext2Error {
        long ino = sb.lastOrphan;
        int freed = 0;
        for (long steps = 0; ino != 0 && steps < sb.inodesCount; steps++) {
            if (ino < sb.firstIno || ino > sb.inodesCount) {
                warn("orphan list names inode " + ino + ": list dropped there");
                break;
            }
            Inode in = readInode(ino);
            long next = in.dtime;
            in.dtime = 0;
            if (in.linksCount == 0) {
                ops.writes().release(in);
                freed++;
            } else {
                writeInode(in);
            }
            ino = next;
        }
        sb.lastOrphan = 0;
        if (freed > 0) warn("freed " + freed + " orphaned inodes");
        commit();
    }

    void forgetDirty(Inode in) {
        dirtyInodes.remove(in);
    }

    void flushIfDirty(Inode in) throws Ext2Error {
        if (dirtyInodes.contains(in) || (in.fileMap != null && in.fileMap.dirty)) flushInode(in);
    }

    /** Every changed inode into the transaction (before walking inodes as the transaction has them). */
    void flushDirtyInodes() throws Ext2Error {
        for (Inode in : new java.util.ArrayList<>(dirtyInodes)) flushInode(in);
    }

    /** A generation number for a new inode: random, so that a reused inode number makes stale file handles. */
    int newGeneration() {
        byte[] r = new byte[4];
        kernel.hyp().getRandom(r);
        return ByteBuffer.wrap(r).getInt();
    }

    /**
     * Copies {@code n} bytes from {@code src} into data block {@code pblk} at {@code within}, through the
     * buffer cache as a delayed write. A {@code fresh} block (just allocated, or unwritten until now) is
     * not read first: what the copy does not cover becomes zeros.
     */
    void writeData(long pblk, int within, ByteBuffer src, int n, boolean fresh) throws Ext2Error {
        if (pblk <= sb.firstDataBlock || pblk >= sb.blocksCount) throw Ext2Error.corrupt("data block " + pblk + " outside the file system");
        Out<CachedBlock> b = new Out<>();
        boolean whole = within == 0 && n == sb.blockSize;
        int error = fresh || whole
                ? bufs.getblk(devvp, pblk * sb.sectorsPerBlock(), sb.blockSize, b)
                : bufs.bread(devvp, pblk * sb.sectorsPerBlock(), sb.blockSize, b);
        if (error != 0) throw new Ext2Error(error, "block " + pblk);
        byte[] data = b.get().bytes();
        if (fresh && !whole) java.util.Arrays.fill(data, (byte) 0);
        src.get(data, within, n);
        bufs.bdwrite(b.get());
    }

    /**
     * Writes {@code len} bytes (whole blocks) from {@code src} to blocks {@code first} on: one VOP_STRATEGY,
     * past the buffer cache, whose copies of those blocks are dropped (they are older now). File data only:
     * it may reach the device before the metadata that points at it, never after (ordered mode).
     */
    void writeDirect(long first, ByteBuffer src, int len) throws Ext2Error {
        long blocks = len / sb.blockSize;
        if (first <= sb.firstDataBlock || first + blocks > sb.blocksCount) throw Ext2Error.corrupt("data blocks " + first + "+" + blocks + " outside the file system");
        for (long b = first; b < first + blocks; b++) bufs.discard(devvp, b * sb.sectorsPerBlock());
        ByteBuffer window = src.slice(src.position(), len);
        strategy(new Buf(first * sb.sectorsPerBlock(), window, false), "writing blocks " + first + "+" + blocks);
        src.position(src.position() + len);
    }

    /** The vnode of an inode just made (it is not on the disk yet: the cache takes this inode as it is). */
    int vgetNew(Inode in, Out<Vnode> vpp) {
        return vnodes.get(in.ino, (ino, out) -> {
            out.set(new Vnode(kernel, mount, ops, vtypeOf(in), new Ext2Node(in)));
            return 0;
        }, vpp);
    }

    static VType vtypeOf(Inode in) {
        return switch (in.type()) {
            case Inode.S_IFREG -> VType.VREG;
            case Inode.S_IFDIR -> VType.VDIR;
            case Inode.S_IFLNK -> VType.VLNK;
            case Inode.S_IFCHR -> VType.VCHR;
            case Inode.S_IFBLK -> VType.VBLK;
            case Inode.S_IFIFO -> VType.VFIFO;
            case Inode.S_IFSOCK -> VType.VSOCK;
            default -> VType.VNON;
        };
    }

    /** Whether the transaction has grown to where it should be committed now. */
    boolean txFull() {
        long limit = journal != null ? journal.capacity() / 2 : MAX_UNJOURNALED_BLOCKS;
        return tx.size() >= limit;
    }

    /**
     * Makes everything changed so far durable: changed inodes into the transaction, freed blocks freed,
     * the superblock's counts, file data to the device (data before the metadata that points at it), then
     * the transaction through the journal, or in place without one.
     */
    void commit() throws Ext2Error {
        fsLock.enter();
        try {
            if (readOnly || !writing) return;
            for (Inode in : new java.util.ArrayList<>(dirtyInodes)) flushInode(in);
            for (long[] run : tx.takeFrees()) {
                alloc.freeBlocksNow(run[0], run[1]);
                for (long b = run[0]; b < run[0] + run[1]; b++) bufs.discard(devvp, b * sb.sectorsPerBlock());
            }
            alloc.sealBitmaps();
            int error = bufs.flush(devvp);
            if (error != 0) throw new Ext2Error(error, "writing file data");
            if (tx.isEmpty()) return;
            sb.writeTime = kernel.wallNanos() / 1_000_000_000L;
            long sbBlock = Superblock.OFFSET / sb.blockSize;
            byte[] sbb = modifyBlock(sbBlock, "superblock");
            System.arraycopy(sb.encode(), 0, sbb, Superblock.OFFSET % sb.blockSize, Superblock.SIZE);
            java.util.Map<Long, byte[]> blocks = new java.util.TreeMap<>(tx.blocks());
            if (journal != null) {
                journal.commit(blocks, kernel.wallNanos());
            } else {
                for (java.util.Map.Entry<Long, byte[]> e : blocks.entrySet()) writeHome(e.getKey(), e.getValue());
            }
            // only now: readers that do not take fsLock (lookup, readdir, read) find the blocks in the
            // transaction until their new content is home (and in the cache); cleared earlier, a lookup during
            // the commit read the old content from the cache and the name cache kept the stale answer
            tx.clear();
        } finally {
            fsLock.exit();
        }
    }

    private void periodicCommit() {
        try {
            commit();
        } catch (Ext2Error e) {
            warn("commit failed: " + e.getMessage());
        }
    }

    /**
     * The kernel halts with the file system still mounted: files unlinked but still open are released (no
     * one can open them again), then everything is committed and the superblock marked clean, as an
     * unmount would.
     */
    private void haltCommit() {
        fsLock.enter();
        try {
            if (!writing) return;
            try {
                for (Inode in : new java.util.ArrayList<>(orphans.values())) ops.writes().release(in);
                finish();
            } catch (Ext2Error e) {
                warn("commit at halt failed: " + e.getMessage());
            }
        } finally {
            fsLock.exit();
        }
    }

    /** The last commit, then the superblock marked clean (no recovery needed, cleanly unmounted). */
    private void finish() throws Ext2Error {
        commit();
        if (committer != null) committer.stop();
        if (journal != null) sb.incompat &= ~Features.INCOMPAT_RECOVER;
        else sb.state |= Superblock.STATE_VALID;
        writeSuperblockNow();
        writing = false;
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
        if (!readOnly) {
            fsLock.enter();
            try {
                byte[] t = tx.get(block);
                if (t != null) return t.clone();
            } finally {
                fsLock.exit();
            }
        }
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

    @Override
    byte[] readMetadata(long block, int off, int len, String what) throws Ext2Error {
        byte[] out = new byte[len];
        readData(block, off, ByteBuffer.wrap(out), len); // the transaction, the journal, then the cache
        return out;
    }

    /** Copies {@code len} bytes at {@code from} within data block {@code block} into {@code dst}. */
    void readData(long block, int from, ByteBuffer dst, int len) throws Ext2Error {
        readData(block, from, dst, len, false);
    }

    /**
     * As {@link #readData(long, int, ByteBuffer, int)}; {@code lastUse} says this read takes all the block
     * holds for the file (from its start to its end or the file's), so no later read will want it again.
     */
    void readData(long block, int from, ByteBuffer dst, int len, boolean lastUse) throws Ext2Error {
        if (block <= 0 || block >= sb.blocksCount) throw Ext2Error.corrupt("data block " + block + " outside the file system");
        if (!readOnly) {
            fsLock.enter();
            try {
                byte[] t = tx.get(block); // a symbolic link's or directory's block changed since the commit
                if (t != null) {
                    dst.put(t, from, len);
                    return;
                }
            } finally {
                fsLock.exit();
            }
        }
        byte[] j = journaled.isEmpty() ? null : journaled.get(block);
        if (j != null) {
            dst.put(j, from, len);
            return;
        }
        if (readOnly && lastUse) {
            readUncached(block, from, dst, len);
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

    /** Block buffers {@link #readUncached} lands blocks in, reused (a few: one per reader at once). */
    private final java.util.concurrent.ConcurrentLinkedQueue<ByteBuffer> uncached = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private static final int UNCACHED_KEPT = 4;

    /**
     * A file's data block of a read-only mount that one read takes whole, read through a reused buffer
     * instead of the buffer cache: nothing there can be newer, and caching every data block of a tree being
     * copied out (20,000 small files: 80 MB of blocks read once) only made the garbage collector copy them
     * (docs/ext2fs.md). Reads of parts of a block still go through the cache, which serves the next part.
     */
    private void readUncached(long block, int from, ByteBuffer dst, int len) throws Ext2Error {
        ByteBuffer scratch = uncached.poll();
        if (scratch == null) scratch = ByteBuffer.allocateDirect(sb.blockSize);
        try {
            // whole sectors up to the last byte wanted: a small file's tail needs one, not the whole block
            int span = (from + len + BufCache.DEV_BSIZE - 1) / BufCache.DEV_BSIZE * BufCache.DEV_BSIZE;
            strategy(new Buf(block * sb.sectorsPerBlock(), scratch.clear().limit(span), true), "reading block " + block);
            dst.put(dst.position(), scratch, from, len);
            dst.position(dst.position() + len);
        } finally {
            if (uncached.size() < UNCACHED_KEPT) uncached.offer(scratch);
        }
    }

    /** Whether a direct read of {@code count} blocks from {@code first} would see their latest content. */
    boolean noJournaledBlocksIn(long first, long count) {
        if (!readOnly) return false; // the cache may hold newer data
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
        strategy(new Buf(first * sb.sectorsPerBlock(), dst.slice(dst.position(), len), true), "reading blocks " + first + "+" + blocks);
        dst.position(dst.position() + len);
    }

    /** A descriptor the transaction changed is parsed where it is, without copying its block. */
    @Override
    GroupDesc group(long g) throws Ext2Error {
        if (!readOnly && g >= 0 && g < sb.groupCount) {
            fsLock.enter();
            try {
                byte[] t = tx.get(descriptorBlockOf(g / (sb.blockSize / sb.descSize)));
                if (t != null) return parseGroup(g, t);
            } finally {
                fsLock.exit();
            }
        }
        return super.group(g);
    }

    // --- vnodes ---------------------------------------------------------------------------------

    /** The referenced vnode of inode {@code ino} (VFS_VGET). */
    int vget(long ino, Out<Vnode> vpp) {
        return vnodes.get(ino, this::load, vpp);
    }

    private int load(long ino, Out<Vnode> vpp) {
        try {
            Inode in = readInode(ino);
            if (in.linksCount == 0 && (in.mode == 0 || in.dtime != 0)) throw Ext2Error.corrupt("inode " + ino + " is not in use");
            VType type = vtypeOf(in);
            if (type == VType.VNON) throw Ext2Error.corrupt("inode " + ino + ": file type " + Integer.toOctalString(in.type()));
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
        long free;
        fsLock.enter();
        try {
            free = sb.freeBlocks + tx.pendingFrees(); // freed since the last commit: free for df, as on Linux
        } finally {
            fsLock.exit();
        }
        long avail = Math.max(0, free - sb.reservedBlocks);
        out.set(new Statvfs(0, bsize, bsize, bsize, sb.blocksCount - overhead, free, avail, sb.reservedBlocks,
                sb.inodesCount, sb.freeInodes, sb.freeInodes, 0, 0, Ext2Dir.NAME_MAX, 0, "", "", ""));
        return 0;
    }

    @Override
    public int update(Mount mp, int flags) {
        boolean wantRo = (flags & Mount.MNT_RDONLY) != 0;
        if (wantRo == readOnly) return 0;
        fsLock.enter();
        try {
            try {
                if (wantRo) {
                    // everything out and the superblock marked clean, as at unmount; the vnodes stay
                    finish();
                    readOnly = true;
                    return 0;
                }
                if (!journaled.isEmpty()) {
                    throw new Ext2Error(Errno.EROFS, "the journal needs recovery: unmount, then mount read-write to replay it");
                }
                refuseUnwritable(sb);
                if (alloc == null) alloc = new Allocator(this);
                readOnly = false;
                startWriting(null);
                return 0;
            } catch (Ext2Error e) {
                if (!wantRo) readOnly = true;
                warn("remount: " + e.getMessage());
                return e.errno();
            }
        } finally {
            fsLock.exit();
        }
    }

    @Override
    public int sync(Mount mp) {
        try {
            commit();
            return 0;
        } catch (Ext2Error e) {
            warn("sync: " + e.getMessage());
            return e.errno();
        }
    }

    @Override
    public int unmount(Mount mp, boolean force) {
        int error = vnodes.flush(force); // reclaims: unlinked files are freed, changed inodes go into the transaction
        if (error != 0) return error;
        if (!readOnly) {
            fsLock.enter();
            try {
                try {
                    finish();
                } catch (Ext2Error e) {
                    warn("unmount: " + e.getMessage());
                    if (!force) return e.errno();
                }
            } finally {
                fsLock.exit();
            }
        }
        bufs.invalidate(devvp, readOnly);
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
