package jrump.fs.ffs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

import jrump.rumpvfs.tool.FsProbe;

/** `jrump info` for FFS: the superblock where NetBSD finds it (what dumpfs shows first). */
public final class FfsProbe implements FsProbe {
    /** fs.h MAXVOLLEN: fs_volname's length. */
    private static final int MAXVOLLEN = 32;

    @Override
    public String type() {
        return "ffs";
    }

    @Override
    public SequencedMap<String, String> describe(long sizeBytes, ImageReader image) throws IOException {
        for (long at : Superblock.SEARCH) {
            ByteBuffer raw = FsProbe.readFully(image, at, Superblock.SBLOCKSIZE);
            if (raw == null) continue;
            Superblock sb;
            SequencedMap<String, String> out = new LinkedHashMap<>();
            try {
                sb = Superblock.parse(raw.array(), at);
                if (sb == null) continue;
            } catch (FfsError e) {
                out.put("type", "ffs");
                out.put("damaged", "superblock at " + at + ": " + e.getMessage());
                return out;
            }
            ByteBuffer b = sb.buf();
            boolean big = sb.order == ByteOrder.BIG_ENDIAN;
            out.put("type", "ffs (" + (sb.ufs2 ? "UFS2" : "UFS1") + ", " + (big ? "big" : "little") + "-endian, superblock at " + at + ")");
            if (sb.ufs2) {
                String vol = new String(sb.raw, Superblock.O_VOLNAME, MAXVOLLEN, StandardCharsets.UTF_8);
                int nul = vol.indexOf('\0');
                vol = nul >= 0 ? vol.substring(0, nul) : vol;
                out.put("label", vol.isEmpty() ? "<none>" : vol);
            }
            out.put("id", String.format("%08x:%08x", b.getInt(Superblock.O_ID), b.getInt(Superblock.O_ID + 4)));
            out.put("block size", sb.bsize + " (fragments of " + sb.fsize + ")");
            out.put("fragments", sb.size + " (" + (sb.nbfree * sb.frag + sb.nffree) + " free)");
            out.put("inodes", (long) sb.ncg * sb.ipg + " (" + sb.nifree + " free, " + sb.inodeSize + " bytes each)");
            out.put("cylinder groups", sb.ncg + " of " + sb.fpg + " fragments");
            String state = (sb.clean & Superblock.FS_ISCLEAN) != 0 ? "clean" : "not clean";
            if ((sb.flags & Superblock.FS_DOWAPBL) != 0) state += ", WAPBL log";
            out.put("state", state);
            long fsBytes = sb.size * sb.fsize;
            if (sizeBytes < fsBytes) out.put("warning", "the image is smaller than the file system (" + sizeBytes + " < " + fsBytes + " bytes)");
            return out;
        }
        return null;
    }
}
