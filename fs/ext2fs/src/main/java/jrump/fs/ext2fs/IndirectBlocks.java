package jrump.fs.ext2fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The classic block map (ext2/ext3): twelve direct block numbers in i_block, then a single, a double and a
 * triple indirect block of 32-bit numbers.
 */
final class IndirectBlocks {
    static final int DIRECT = 12;

    private IndirectBlocks() {
    }

    static Extents.Run map(Volume fs, Inode in, long lblk) throws Ext2Error {
        ByteBuffer ib = ByteBuffer.wrap(in.iBlock()).order(ByteOrder.LITTLE_ENDIAN);
        long per = fs.sb.blockSize / 4;
        if (lblk < DIRECT) return run(fs, in, ib.getInt((int) lblk * 4) & 0xffffffffL);
        long rest = lblk - DIRECT;
        int level;
        long span = per;
        int slot;
        if (rest < per) {
            level = 1;
            slot = DIRECT;
        } else if ((rest -= per) < per * per) {
            level = 2;
            slot = DIRECT + 1;
            span = per * per;
        } else if ((rest -= per * per) < per * per * per) {
            level = 3;
            slot = DIRECT + 2;
            span = per * per * per;
        } else {
            return new Extents.Run(0, 1);
        }
        long block = ib.getInt(slot * 4) & 0xffffffffL;
        for (int l = level; l > 0; l--) {
            if (block == 0) return new Extents.Run(0, 1);
            check(fs, in, block);
            span /= per;
            byte[] data = fs.readMetadataBlock(block, "indirect block of inode " + in.ino);
            int index = (int) (rest / span);
            rest %= span;
            block = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getInt(index * 4) & 0xffffffffL;
        }
        return run(fs, in, block);
    }

    private static Extents.Run run(Volume fs, Inode in, long block) throws Ext2Error {
        if (block != 0) check(fs, in, block);
        return new Extents.Run(block, 1);
    }

    private static void check(Volume fs, Inode in, long block) throws Ext2Error {
        if (block < fs.sb.firstDataBlock || block >= fs.sb.blocksCount) {
            throw Ext2Error.corrupt("inode " + in.ino + ": block " + block + " outside the file system");
        }
    }
}
