package jrump.fs.cd9660;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

import jrump.rumpvfs.tool.FsProbe;

/** `jrump info` for ISO 9660: the volume descriptor set (what isoinfo -d shows) and whether Rock Ridge is there. */
public final class Cd9660Probe implements FsProbe {
    /** ECMA-119 §8.4: the primary descriptor's application identifier and creation date. */
    private static final int APPLICATION_ID = 574;
    private static final int CREATION_DATE = 813;
    /** SUSP (IEEE P1281) §5.3: the SP entry opening the root's "." record, with its check bytes. */
    private static final byte SP_CHECK_1 = (byte) 0xBE;
    private static final byte SP_CHECK_2 = (byte) 0xEF;

    @Override
    public String type() {
        return "cd9660";
    }

    @Override
    public SequencedMap<String, String> describe(long sizeBytes, ImageReader image) throws IOException {
        List<VolumeDescriptor> set = new ArrayList<>();
        String damage = null;
        boolean boot = false;
        for (int i = 0; i < VolumeDescriptor.MAX_DESCRIPTORS; i++) {
            long sector = VolumeDescriptor.FIRST_SECTOR + i;
            ByteBuffer raw = FsProbe.readFully(image, sector * VolumeDescriptor.SECTOR, VolumeDescriptor.SECTOR);
            if (raw == null) {
                if (i == 0) return null;
                break;
            }
            VolumeDescriptor vd;
            try {
                vd = VolumeDescriptor.parse(raw.array(), (int) sector);
            } catch (Cd9660Error e) {
                damage = e.getMessage();
                break;
            }
            if (vd == null) {
                if (i == 0) return null;
                break;
            }
            if (vd.type() == VolumeDescriptor.TERMINATOR) break;
            if (vd.type() == VolumeDescriptor.BOOT_RECORD) boot = true;
            set.add(vd);
        }
        VolumeDescriptor primary = set.stream().filter(v -> v.type() == VolumeDescriptor.PRIMARY).findFirst().orElse(null);
        SequencedMap<String, String> out = new LinkedHashMap<>();
        boolean enhanced = set.stream().anyMatch(VolumeDescriptor::isEnhanced);
        out.put("type", "cd9660 (ISO 9660" + (enhanced ? ", ISO 9660:1999" : "") + ")");
        if (primary == null) {
            out.put("damaged", damage != null ? damage : "no primary volume descriptor");
            return out;
        }
        out.put("label", primary.volumeId().isEmpty() ? "<none>" : primary.volumeId());
        out.put("block size", Integer.toString(primary.logicalBlockSize()));
        out.put("blocks", Long.toString(primary.volumeSpaceSize()));
        String app = new String(primary.raw(), APPLICATION_ID, 128, StandardCharsets.ISO_8859_1).strip();
        if (!app.isEmpty()) out.put("application", app);
        String made = new String(primary.raw(), CREATION_DATE, 14, StandardCharsets.ISO_8859_1);
        if (made.chars().allMatch(Character::isDigit) && !made.startsWith("0000")) {
            out.put("created", made.substring(0, 4) + "-" + made.substring(4, 6) + "-" + made.substring(6, 8) + " "
                    + made.substring(8, 10) + ":" + made.substring(10, 12) + ":" + made.substring(12, 14));
        }
        List<String> ext = new ArrayList<>();
        if (rockRidge(primary, image)) ext.add("Rock Ridge");
        set.stream().filter(VolumeDescriptor::isJoliet).findFirst().ifPresent(j -> ext.add("Joliet level " + j.jolietLevel()));
        if (boot) ext.add("El Torito boot record");
        out.put("extensions", ext.isEmpty() ? "none" : String.join(", ", ext));
        if (damage != null) out.put("damaged", damage);
        return out;
    }

    /** Whether the root directory's "." record carries SUSP's SP entry (and so Rock Ridge). */
    private static boolean rockRidge(VolumeDescriptor pvd, ImageReader image) throws IOException {
        byte[] root = pvd.rootRecord();
        long extent = IsoNumbers.n731(root, 2);
        ByteBuffer dot = FsProbe.readFully(image, extent * pvd.logicalBlockSize(), 256);
        if (dot == null) return false;
        int len = dot.get(0) & 0xff;
        int nameLen = dot.get(32) & 0xff;
        int su = 33 + nameLen + ((nameLen & 1) == 0 ? 1 : 0);
        return len >= su + 7 && dot.get(su) == 'S' && dot.get(su + 1) == 'P' && dot.get(su + 4) == SP_CHECK_1 && dot.get(su + 5) == SP_CHECK_2;
    }
}
