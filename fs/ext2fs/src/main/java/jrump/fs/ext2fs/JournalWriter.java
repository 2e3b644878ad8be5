package jrump.fs.ext2fs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jrump.rumpkern.Errno;

/**
 * Writes transactions into the jbd2 journal in the format Linux and e2fsck replay
 * (Documentation/filesystems/ext4/journal.rst): descriptor blocks of tags, the blocks themselves (escaped
 * when they begin with the journal magic), a commit block, checksums as the journal's features ask. The
 * journal holds at most one transaction at a time: it is checkpointed (written to its home blocks) right
 * after its commit and the journal marked empty again, so no revoke records are ever needed.
 *
 * <p>Write order, which makes every cut of the write stream recoverable: the transaction's blocks, the
 * commit block, the journal superblock pointing at them (from here on a crash replays them), the home
 * blocks, the journal superblock marked empty.
 */
final class JournalWriter {
    private static final int HEADER = 12;
    private static final int UUID_BYTES = 16;
    private static final int OFF_SEQUENCE = 0x18;
    private static final int OFF_START = 0x1C;
    private static final int OFF_SB_CHECKSUM = 0xFC;
    private static final int OFF_COMMIT_CHECKSUM = 16;
    private static final int OFF_COMMIT_SEC = 0x30;
    private static final int OFF_COMMIT_NSEC = 0x38;

    private final Ext2fs fs;
    private final int bs;
    /** Physical block of each journal block. */
    private final long[] physical;
    private final long first;
    private final long maxlen;
    private final int incompat;
    private final byte[] uuid = new byte[UUID_BYTES];
    private final int csumSeed;
    private long sequence;

    private JournalWriter(Ext2fs fs, long[] physical, ByteBuffer jsb, Journal.Recovery recovered) throws Ext2Error {
        this.fs = fs;
        this.bs = fs.sb.blockSize;
        this.physical = physical;
        int blocktype = jsb.getInt(4);
        if (jsb.getInt(0) != Journal.MAGIC || (blocktype != Journal.SUPERBLOCK_V1 && blocktype != Journal.SUPERBLOCK_V2)) {
            throw Ext2Error.corrupt("journal superblock has no magic");
        }
        if (jsb.getInt(0xC) != bs) throw Ext2Error.corrupt("journal block size " + jsb.getInt(0xC));
        this.first = jsb.getInt(0x14) & 0xffffffffL;
        this.maxlen = Math.min(jsb.getInt(0x10) & 0xffffffffL, physical.length);
        if (first < 1 || first + 3 > maxlen) throw Ext2Error.corrupt("journal of " + maxlen + " blocks starting at " + first);
        this.incompat = blocktype == Journal.SUPERBLOCK_V2 ? jsb.getInt(0x28) : 0;
        if ((incompat & ~Journal.INCOMPAT_SUPPORTED) != 0) {
            throw new Ext2Error(Errno.EOPNOTSUPP, "journal features 0x" + Integer.toHexString(incompat) + " not supported for writing");
        }
        if (jsb.getInt(OFF_START) != 0 && recovered == null) throw new Ext2Error(Errno.EIO, "the journal is not empty: recover it first");
        jsb.get(0x30, uuid);
        this.csumSeed = Crc32c.update(~0, uuid, 0, UUID_BYTES);
        this.sequence = recovered != null ? recovered.nextSequence() : jsb.getInt(OFF_SEQUENCE) & 0xffffffffL;
        if (recovered != null) writeSuperblock(0, sequence); // the replayed blocks are home: the journal is empty
    }

    /**
     * The journal of a mounted file system, ready for transactions. It must be empty, or {@code recovered}
     * says what recovery found (its blocks already written home): then it is marked empty here.
     */
    static JournalWriter open(Ext2fs fs, Journal.Recovery recovered) throws Ext2Error {
        long inum = fs.sb.journalInum & 0xffffffffL;
        if (inum == 0) throw new Ext2Error(Errno.EOPNOTSUPP, "an external journal (journal_dev) is not supported");
        Inode ji = fs.readInode(inum);
        long blocks = ji.size / fs.sb.blockSize;
        if (blocks < 4 || blocks > 1L << 24) throw Ext2Error.corrupt("journal inode of " + ji.size + " bytes");
        long[] physical = new long[(int) blocks];
        for (long lblk = 0; lblk < blocks; ) {
            Extents.Run run = fs.map(ji, lblk);
            if (run.physical() == 0) throw Ext2Error.corrupt("journal block " + lblk + " is a hole");
            for (long i = 0; i < run.length() && lblk < blocks; i++, lblk++) physical[(int) lblk] = run.physical() + i;
        }
        return new JournalWriter(fs, physical, ByteBuffer.wrap(fs.readDevice(physical[0])), recovered);
    }

    private boolean checksums() {
        return (incompat & (Journal.INCOMPAT_CSUM_V2 | Journal.INCOMPAT_CSUM_V3)) != 0;
    }

    private boolean v3() {
        return (incompat & Journal.INCOMPAT_CSUM_V3) != 0;
    }

    private int tagBytes() {
        if (v3()) return 16;
        int size = 12 + ((incompat & Journal.INCOMPAT_CSUM_V2) != 0 ? 2 : 0);
        return (incompat & Journal.INCOMPAT_64BIT) != 0 ? size : size - 4;
    }

    /** Blocks one transaction may log: the journal minus its superblock, descriptors and commit block. */
    long capacity() {
        long room = maxlen - first - 1;
        int perDescriptor = (bs - HEADER - (checksums() ? 4 : 0) - UUID_BYTES) / tagBytes();
        return room * perDescriptor / (perDescriptor + 1) - 1;
    }

    /**
     * Logs {@code blocks} (file system block → content) as one transaction, then writes them home and
     * empties the journal. A set larger than the journal goes as several transactions, each atomic.
     */
    void commit(Map<Long, byte[]> blocks, long nowNanos) throws Ext2Error {
        List<Map.Entry<Long, byte[]>> all = new ArrayList<>(blocks.entrySet());
        long cap = capacity();
        for (int from = 0; from < all.size(); from += (int) cap) {
            List<Map.Entry<Long, byte[]>> part = all.subList(from, (int) Math.min(all.size(), from + cap));
            for (Map.Entry<Long, byte[]> e : part) {
                if (e.getKey() >= 1L << 32 && (incompat & Journal.INCOMPAT_64BIT) == 0) {
                    throw new Ext2Error(Errno.EFBIG, "block " + e.getKey() + " needs a 64bit journal");
                }
            }
            logOne(part, nowNanos);
        }
    }

    private void logOne(List<Map.Entry<Long, byte[]>> part, long nowNanos) throws Ext2Error {
        long tid = sequence;
        long pos = first;
        int tagSize = tagBytes();
        int end = bs - (checksums() ? 4 : 0);
        int i = 0;
        while (i < part.size()) {
            byte[] desc = new byte[bs];
            ByteBuffer d = ByteBuffer.wrap(desc);
            header(d, Journal.DESCRIPTOR_BLOCK, tid);
            long descPos = pos++;
            int p = HEADER;
            List<byte[]> logged = new ArrayList<>();
            boolean firstTag = true;
            while (i < part.size() && p + tagSize + (firstTag ? UUID_BYTES : 0) <= end) {
                long block = part.get(i).getKey();
                byte[] data = part.get(i).getValue().clone();
                int flags = firstTag ? 0 : Journal.FLAG_SAME_UUID;
                if (ByteBuffer.wrap(data).getInt(0) == Journal.MAGIC) {
                    flags |= Journal.FLAG_ESCAPE;
                    data[0] = data[1] = data[2] = data[3] = 0;
                }
                int nextTag = p + tagSize + (firstTag ? UUID_BYTES : 0);
                boolean last = i + 1 == part.size() || nextTag + tagSize > end;
                if (last) flags |= Journal.FLAG_LAST_TAG;
                int csum = Crc32c.update(Crc32c.update(csumSeed, ByteBuffer.allocate(4).putInt((int) tid).array(), 0, 4), data, 0, bs);
                if (v3()) {
                    d.putInt(p, (int) block);
                    d.putInt(p + 4, flags);
                    d.putInt(p + 8, (int) (block >>> 32));
                    d.putInt(p + 12, csum);
                } else {
                    d.putInt(p, (int) block);
                    d.putShort(p + 4, (short) (checksums() ? csum : 0));
                    d.putShort(p + 6, (short) flags);
                    if ((incompat & Journal.INCOMPAT_64BIT) != 0) d.putInt(p + 8, (int) (block >>> 32));
                }
                p += tagSize;
                if (firstTag) {
                    d.put(p, uuid);
                    p += UUID_BYTES;
                    firstTag = false;
                }
                logged.add(data);
                i++;
                if (last) break;
            }
            if (checksums()) d.putInt(bs - 4, Crc32c.update(csumSeed, desc, 0, bs));
            writeJournalBlock(descPos, desc);
            for (byte[] data : logged) writeJournalBlock(pos++, data);
        }
        byte[] commit = new byte[bs];
        ByteBuffer c = ByteBuffer.wrap(commit);
        header(c, Journal.COMMIT_BLOCK, tid);
        c.putLong(OFF_COMMIT_SEC, Math.floorDiv(nowNanos, 1_000_000_000L));
        c.putInt(OFF_COMMIT_NSEC, (int) Math.floorMod(nowNanos, 1_000_000_000L));
        if (checksums()) c.putInt(OFF_COMMIT_CHECKSUM, Crc32c.update(csumSeed, commit, 0, bs));
        writeJournalBlock(pos, commit);
        // from here on the transaction is replayed after a crash
        writeSuperblock(first, tid);
        for (Map.Entry<Long, byte[]> e : part) fs.writeHome(e.getKey(), e.getValue());
        sequence = tid + 1;
        writeSuperblock(0, sequence);
    }

    private static void header(ByteBuffer b, int type, long tid) {
        b.putInt(0, Journal.MAGIC);
        b.putInt(4, type);
        b.putInt(8, (int) tid);
    }

    private void writeSuperblock(long start, long seq) throws Ext2Error {
        byte[] jsb = fs.readDevice(physical[0]);
        ByteBuffer b = ByteBuffer.wrap(jsb);
        b.putInt(OFF_SEQUENCE, (int) seq);
        b.putInt(OFF_START, (int) start);
        if (checksums()) {
            b.putInt(OFF_SB_CHECKSUM, 0);
            b.putInt(OFF_SB_CHECKSUM, Crc32c.update(~0, jsb, 0, 1024));
        }
        fs.writeDevice(physical[0], jsb);
    }

    private void writeJournalBlock(long jblk, byte[] data) throws Ext2Error {
        if (jblk >= maxlen) throw new IllegalStateException("transaction overruns the journal");
        fs.writeDevice(physical[(int) jblk], data);
    }
}
