package jrump.fs.ext2fs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jrump.rumpkern.Errno;

/**
 * The jbd2 journal of ext3/ext4 (Documentation/filesystems/ext4/journal.rst), read for recovery: every
 * transaction from s_start that has its commit block, each block's newest journaled copy winning unless a
 * revoke record of the same or a later transaction cancels it. Big-endian throughout, unlike the rest of
 * ext4. The result is an overlay (file system block → content) that a read-only mount reads through,
 * leaving the image untouched.
 */
final class Journal {
    static final int MAGIC = 0xC03B3998;
    // h_blocktype
    static final int DESCRIPTOR_BLOCK = 1;
    static final int COMMIT_BLOCK = 2;
    static final int SUPERBLOCK_V1 = 3;
    static final int SUPERBLOCK_V2 = 4;
    static final int REVOKE_BLOCK = 5;
    // s_feature_incompat
    static final int INCOMPAT_REVOKE = 0x1;
    static final int INCOMPAT_64BIT = 0x2;
    static final int INCOMPAT_ASYNC_COMMIT = 0x4;
    static final int INCOMPAT_CSUM_V2 = 0x8;
    static final int INCOMPAT_CSUM_V3 = 0x10;
    static final int INCOMPAT_FAST_COMMIT = 0x20;
    static final int INCOMPAT_SUPPORTED = INCOMPAT_REVOKE | INCOMPAT_64BIT | INCOMPAT_ASYNC_COMMIT | INCOMPAT_CSUM_V2 | INCOMPAT_CSUM_V3;
    // tag flags
    static final int FLAG_ESCAPE = 1;
    static final int FLAG_SAME_UUID = 2;
    static final int FLAG_LAST_TAG = 8;
    private static final int HEADER = 12;
    private static final int SB_SIZE = 1024;
    private static final int OFF_SB_CHECKSUM = 0xFC;
    private static final int OFF_COMMIT_CHECKSUM = 16;
    private static final int REVOKE_HEADER = 16;

    private final Volume fs;
    private final Inode journal;
    private final int bs;
    private final long first;
    private final long maxlen;
    private final int incompat;
    private final int csumSeed;

    /** One transaction's blocks (journal block → file system block, escaped or not) and revokes. */
    private record Tag(long fsBlock, long journalBlock, boolean escaped, int checksum) {
    }

    private static final class Transaction {
        final long sequence;
        final List<Tag> tags = new ArrayList<>();
        final List<Long> revoked = new ArrayList<>();

        Transaction(long sequence) {
            this.sequence = sequence;
        }
    }

    private Journal(Volume fs, Inode journal, ByteBuffer jsb) throws Ext2Error {
        this.fs = fs;
        this.journal = journal;
        this.bs = fs.sb.blockSize;
        int blocktype = jsb.getInt(4);
        if (jsb.getInt(0) != MAGIC || (blocktype != SUPERBLOCK_V1 && blocktype != SUPERBLOCK_V2)) {
            throw Ext2Error.corrupt("journal superblock has no magic");
        }
        if (jsb.getInt(0xC) != bs) throw Ext2Error.corrupt("journal block size " + jsb.getInt(0xC) + " is not the file system's " + bs);
        long blocksInInode = journal.size / bs;
        maxlen = Math.min(jsb.getInt(0x10) & 0xffffffffL, blocksInInode);
        first = jsb.getInt(0x14) & 0xffffffffL;
        incompat = blocktype == SUPERBLOCK_V2 ? jsb.getInt(0x28) : 0;
        if ((incompat & ~INCOMPAT_SUPPORTED) != 0) {
            throw new Ext2Error(Errno.EOPNOTSUPP, "journal features 0x" + Integer.toHexString(incompat & ~INCOMPAT_SUPPORTED)
                    + ((incompat & INCOMPAT_FAST_COMMIT) != 0 ? " (fast_commit)" : "") + " not supported");
        }
        if (first < 1 || first >= maxlen) throw Ext2Error.corrupt("journal first block " + first + " of " + maxlen);
        byte[] uuid = new byte[16];
        jsb.get(0x30, uuid);
        csumSeed = Crc32c.update(~0, uuid, 0, 16);
        if (checksums()) {
            byte[] copy = new byte[SB_SIZE];
            jsb.get(0, copy);
            for (int i = 0; i < 4; i++) copy[OFF_SB_CHECKSUM + i] = 0;
            if (Crc32c.update(~0, copy, 0, SB_SIZE) != jsb.getInt(OFF_SB_CHECKSUM)) throw Ext2Error.corrupt("journal superblock checksum mismatch");
        }
    }

    private boolean checksums() {
        return (incompat & (INCOMPAT_CSUM_V2 | INCOMPAT_CSUM_V3)) != 0;
    }

    /** What recovery finds: the blocks to write, and the sequence number the journal continues with. */
    record Recovery(Map<Long, byte[]> blocks, long nextSequence) {
    }

    /** The blocks recovery would write, without writing them; empty when the journal is clean. */
    static Map<Long, byte[]> overlay(Volume fs) throws Ext2Error {
        return recover(fs).blocks();
    }

    static Recovery recover(Volume fs) throws Ext2Error {
        long inum = fs.sb.journalInum & 0xffffffffL;
        if (inum == 0) throw Ext2Error.corrupt("needs_recovery without a journal inode");
        Inode ji = fs.readInode(inum);
        if (ji.size < 2L * fs.sb.blockSize) throw Ext2Error.corrupt("journal inode " + inum + " of " + ji.size + " bytes");
        ByteBuffer jsb = ByteBuffer.wrap(readBlockOf(fs, ji, 0));
        Journal j = new Journal(fs, ji, jsb);
        long start = jsb.getInt(0x1C) & 0xffffffffL;
        long sequence = jsb.getInt(0x18) & 0xffffffffL;
        if (start == 0) return new Recovery(Map.of(), sequence);
        if (start < j.first || start >= j.maxlen) throw Ext2Error.corrupt("journal start " + start);
        List<Transaction> committed = j.scan(start, sequence);
        long next = committed.isEmpty() ? sequence : committed.get(committed.size() - 1).sequence + 1;
        return new Recovery(j.replay(committed), next);
    }

    private static byte[] readBlockOf(Volume fs, Inode ji, long lblk) throws Ext2Error {
        Extents.Run run = fs.map(ji, lblk);
        if (run.physical() == 0) throw Ext2Error.corrupt("journal block " + lblk + " is a hole");
        return fs.readMetadataBlock(run.physical(), "journal block " + lblk);
    }

    private byte[] block(long jblk) throws Ext2Error {
        return readBlockOf(fs, journal, jblk);
    }

    private long next(long jblk) {
        return jblk + 1 >= maxlen ? first : jblk + 1;
    }

    /** Walks from {@code start}: the committed transactions, in order. */
    private List<Transaction> scan(long start, long sequence) throws Ext2Error {
        List<Transaction> committed = new ArrayList<>();
        Transaction tx = new Transaction(sequence);
        long pos = start;
        // every journal block is visited at most once per pass: a hostile journal cannot loop forever
        for (long visited = 0; visited < maxlen; visited++) {
            byte[] raw = block(pos);
            ByteBuffer b = ByteBuffer.wrap(raw);
            if (b.getInt(0) != MAGIC || (b.getInt(8) & 0xffffffffL) != tx.sequence) break;
            int type = b.getInt(4);
            if (type == DESCRIPTOR_BLOCK) {
                if (checksums() && !tailMatches(raw)) break;
                List<Tag> tags = tags(raw);
                for (int i = 0; i < tags.size(); i++) {
                    pos = next(pos);
                    visited++;
                    Tag t = tags.get(i);
                    tx.tags.add(new Tag(t.fsBlock(), pos, t.escaped(), t.checksum()));
                }
                pos = next(pos);
            } else if (type == REVOKE_BLOCK) {
                if (checksums() && !tailMatches(raw)) break;
                revokes(b, tx.revoked);
                pos = next(pos);
            } else if (type == COMMIT_BLOCK) {
                if (checksums() && !commitMatches(raw)) break;
                committed.add(tx);
                tx = new Transaction(tx.sequence + 1);
                pos = next(pos);
            } else {
                break;
            }
        }
        return committed;
    }

    private Map<Long, byte[]> replay(List<Transaction> committed) throws Ext2Error {
        // the last transaction to revoke each block
        Map<Long, Long> revokedAt = new HashMap<>();
        for (Transaction t : committed) for (long b : t.revoked) revokedAt.merge(b, t.sequence, Math::max);
        Map<Long, byte[]> out = new LinkedHashMap<>();
        for (Transaction t : committed) {
            for (Tag tag : t.tags) {
                Long revoke = revokedAt.get(tag.fsBlock());
                if (revoke != null && revoke >= t.sequence) continue;
                if (tag.fsBlock() >= fs.sb.blocksCount) throw Ext2Error.corrupt("journal tag for block " + tag.fsBlock() + " outside the file system");
                byte[] data = block(tag.journalBlock());
                if (checksums() && !dataMatches(t.sequence, tag, data)) {
                    fs.warn("journal: block " + tag.fsBlock() + " of transaction " + t.sequence + " fails its checksum; not replayed");
                    continue;
                }
                if (tag.escaped()) ByteBuffer.wrap(data).putInt(0, MAGIC);
                out.put(tag.fsBlock(), data);
            }
        }
        return out;
    }

    /** journal_tag_bytes(): csum_v3 tags are 16 bytes; others 8 (+4 with 64bit, +2 with csum_v2). */
    private int tagBytes() {
        if ((incompat & INCOMPAT_CSUM_V3) != 0) return 16;
        int size = 12 + ((incompat & INCOMPAT_CSUM_V2) != 0 ? 2 : 0);
        return (incompat & INCOMPAT_64BIT) != 0 ? size : size - 4;
    }

    private List<Tag> tags(byte[] raw) throws Ext2Error {
        ByteBuffer b = ByteBuffer.wrap(raw);
        boolean v3 = (incompat & INCOMPAT_CSUM_V3) != 0;
        boolean wide = (incompat & INCOMPAT_64BIT) != 0;
        int end = raw.length - (checksums() ? 4 : 0);
        int size = tagBytes();
        List<Tag> out = new ArrayList<>();
        int p = HEADER;
        while (p + size <= end) {
            long blk = b.getInt(p) & 0xffffffffL;
            int flags;
            long hi;
            int csum;
            if (v3) {
                flags = b.getInt(p + 4);
                hi = wide ? b.getInt(p + 8) & 0xffffffffL : 0;
                csum = b.getInt(p + 12);
            } else {
                csum = b.getShort(p + 4) & 0xffff;
                flags = b.getShort(p + 6) & 0xffff;
                hi = wide ? b.getInt(p + 8) & 0xffffffffL : 0;
            }
            out.add(new Tag(blk | hi << 32, -1, (flags & FLAG_ESCAPE) != 0, csum));
            p += size;
            if ((flags & FLAG_SAME_UUID) == 0) p += 16;
            if ((flags & FLAG_LAST_TAG) != 0) return out;
        }
        throw Ext2Error.corrupt("journal descriptor block without a last tag");
    }

    private void revokes(ByteBuffer b, List<Long> into) throws Ext2Error {
        int count = b.getInt(HEADER);
        int record = (incompat & INCOMPAT_64BIT) != 0 ? 8 : 4;
        int end = b.capacity() - (checksums() ? 4 : 0);
        if (count < REVOKE_HEADER || count > end) throw Ext2Error.corrupt("journal revoke block of " + count + " bytes");
        for (int p = REVOKE_HEADER; p + record <= count; p += record) {
            into.add(record == 8 ? b.getLong(p) : b.getInt(p) & 0xffffffffL);
        }
    }

    /** Descriptor and revoke blocks end in a checksum of the whole block (jbd2_journal_block_tail). */
    private boolean tailMatches(byte[] raw) {
        int stored = ByteBuffer.wrap(raw).getInt(raw.length - 4);
        byte[] copy = raw.clone();
        for (int i = 1; i <= 4; i++) copy[copy.length - i] = 0;
        return Crc32c.update(csumSeed, copy, 0, copy.length) == stored;
    }

    private boolean commitMatches(byte[] raw) {
        int stored = ByteBuffer.wrap(raw).getInt(OFF_COMMIT_CHECKSUM);
        byte[] copy = raw.clone();
        for (int i = 0; i < 4; i++) copy[OFF_COMMIT_CHECKSUM + i] = 0;
        return Crc32c.update(csumSeed, copy, 0, copy.length) == stored;
    }

    /** A data block's tag checksum: seeded with the transaction's sequence (big-endian), over the data as journaled. */
    private boolean dataMatches(long sequence, Tag tag, byte[] data) {
        byte[] seq = ByteBuffer.allocate(4).putInt((int) sequence).array();
        int crc = Crc32c.update(Crc32c.update(csumSeed, seq, 0, 4), data, 0, data.length);
        return (incompat & INCOMPAT_CSUM_V3) != 0 ? crc == tag.checksum() : (crc & 0xffff) == tag.checksum();
    }
}
