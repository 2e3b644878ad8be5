package jrump.fs.msdosfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

import jrump.rumpvfs.tool.FsProbe;

/** `jrump info` for FAT: the boot sector's figures and, on FAT32, FSInfo's free count (as fsck.fat -v shows them). */
public final class MsdosProbe implements FsProbe {
    @Override
    public String type() {
        return "msdos";
    }

    @Override
    public SequencedMap<String, String> describe(long sizeBytes, ImageReader image) throws IOException {
        ByteBuffer sector0 = FsProbe.readFully(image, 0, 512);
        if (sector0 == null) return null;
        Bpb bpb;
        try {
            bpb = Bpb.parse(sector0.array());
        } catch (FatError e) {
            return null;
        }
        SequencedMap<String, String> out = new LinkedHashMap<>();
        out.put("type", "msdos (" + bpb.type + ")");
        out.put("label", bpb.label == null || bpb.label.isBlank() ? "<none>" : bpb.label.strip());
        out.put("volume ID", String.format("%04X-%04X", (bpb.volumeId >>> 16) & 0xffff, bpb.volumeId & 0xffff));
        out.put("sector size", Integer.toString(bpb.bytesPerSector));
        out.put("cluster size", Integer.toString(bpb.clusterBytes));
        out.put("clusters", Long.toString(bpb.clusterCount));
        out.put("FATs", bpb.numFats + " of " + bpb.fatSectors + " sectors" + (bpb.activeFat >= 0 ? ", mirroring off (FAT " + bpb.activeFat + " active)" : ""));
        if (bpb.isFat32() && bpb.fsInfoSector > 0) {
            ByteBuffer fsi = FsProbe.readFully(image, (long) bpb.fsInfoSector * bpb.bytesPerSector, 512);
            if (fsi != null) {
                fsi.order(ByteOrder.LITTLE_ENDIAN);
                boolean valid = fsi.getInt(Msdosfs.FSI_LEAD_SIG_OFFSET) == Msdosfs.FSI_LEAD_SIG && fsi.getInt(Msdosfs.FSI_STRUC_SIG_OFFSET) == Msdosfs.FSI_STRUC_SIG;
                long free = fsi.getInt(Msdosfs.FSI_FREE_COUNT_OFFSET) & 0xffffffffL;
                out.put("free clusters", !valid ? "unknown (no valid FSInfo sector)" : free == 0xffffffffL ? "unknown (FSInfo not set)" : free + " (FSInfo)");
            }
        }
        long fsBytes = bpb.totalSectors * bpb.bytesPerSector;
        out.put("size", fsBytes + " bytes");
        if (sizeBytes < fsBytes) out.put("warning", "the image is smaller than the file system (" + sizeBytes + " < " + fsBytes + " bytes)");
        return out;
    }
}
