package jrump.fs.ext2fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

import jrump.rumpvfs.tool.FsProbe;

/** `jrump info` for ext2/3/4: what dumpe2fs -h shows first, from the primary superblock. */
public final class Ext2Probe implements FsProbe {
    @Override
    public String type() {
        return "ext2fs";
    }

    @Override
    public SequencedMap<String, String> describe(long sizeBytes, ImageReader image) throws IOException {
        ByteBuffer raw = FsProbe.readFully(image, Superblock.OFFSET, Superblock.SIZE);
        if (raw == null || (raw.order(java.nio.ByteOrder.LITTLE_ENDIAN).getShort(0x38) & 0xffff) != Superblock.MAGIC) return null;
        SequencedMap<String, String> out = new LinkedHashMap<>();
        Superblock sb;
        try {
            sb = Superblock.parse(raw.array());
        } catch (Ext2Error e) {
            out.put("type", "ext2fs");
            out.put("damaged", e.getMessage());
            return out;
        }
        boolean journal = (sb.compat & Features.COMPAT_HAS_JOURNAL) != 0;
        boolean ext4 = (sb.incompat & (Features.INCOMPAT_EXTENTS | Features.INCOMPAT_64BIT | Features.INCOMPAT_FLEX_BG)) != 0;
        out.put("type", "ext2fs (" + (ext4 ? "ext4" : journal ? "ext3" : "ext2") + ", revision " + sb.revLevel + ")");
        out.put("label", sb.volumeName.isEmpty() ? "<none>" : sb.volumeName);
        out.put("UUID", uuid(sb.uuid));
        out.put("block size", Integer.toString(sb.blockSize));
        out.put("blocks", sb.blocksCount + " (" + sb.freeBlocks + " free, " + sb.reservedBlocks + " reserved)");
        out.put("inodes", sb.inodesCount + " (" + sb.freeInodes + " free, " + sb.inodeSize + " bytes each)");
        out.put("groups", sb.groupCount + " of " + sb.blocksPerGroup + " blocks");
        out.put("features", String.join(" ", Features.all(sb.compat, sb.incompat, sb.roCompat)));
        String state = (sb.state & Superblock.STATE_VALID) != 0 ? "clean" : "not clean";
        if ((sb.state & Superblock.STATE_ERROR) != 0) state += ", with errors";
        if ((sb.incompat & Features.INCOMPAT_RECOVER) != 0) state += ", journal needs recovery";
        out.put("state", state);
        if (sizeBytes < sb.blocksCount * sb.blockSize) out.put("warning", "the image is smaller than the file system (" + sizeBytes + " < " + sb.blocksCount * sb.blockSize + " bytes)");
        return out;
    }

    private static String uuid(byte[] u) {
        String h = HexFormat.of().formatHex(u);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-" + h.substring(20);
    }
}
