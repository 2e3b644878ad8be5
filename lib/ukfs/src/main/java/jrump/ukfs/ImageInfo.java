package jrump.ukfs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SequencedMap;
import java.util.ServiceLoader;

import jrump.rumpdev.DiskException;
import jrump.rumpdev.GptPartition;
import jrump.rumpdev.MbrPartition;
import jrump.rumpdev.Partition;
import jrump.rumpdev.PartitionTable;
import jrump.rumpvfs.tool.FsProbe;

/**
 * What an image holds, read without mounting anything: its partition table and, for the whole image or
 * each partition, the file system's own description (each file system module's {@link FsProbe}).
 */
public record ImageInfo(long sizeBytes, String table, List<Slice> slices) {
    /** A partition (number 0: the whole image) and the file system found in it (null: none known). */
    public record Slice(int number, long offset, long size, String kind, SequencedMap<String, String> fileSystem) {
    }

    public static ImageInfo of(Path image) throws IOException {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            long size = ch.size();
            List<Partition> parts;
            try {
                parts = PartitionTable.read(size, image.toString(), (off, dst) -> ch.read(dst, off));
            } catch (DiskException e) {
                throw new IOException(e.getMessage(), e);
            }
            List<Slice> slices = new ArrayList<>();
            if (parts.isEmpty()) {
                slices.add(new Slice(0, 0, size, "whole image", describe(ch, 0, size)));
                return new ImageInfo(size, "none", slices);
            }
            for (Partition p : parts) {
                boolean container = p instanceof MbrPartition m && m.kind() == MbrPartition.Kind.EXTENDED;
                long len = Math.min(p.size(), Math.max(0, size - p.offset()));
                slices.add(new Slice(p.number(), p.offset(), p.size(), kind(p), container ? null : describe(ch, p.offset(), len)));
            }
            return new ImageInfo(size, parts.getFirst() instanceof GptPartition ? "GPT" : "MBR", slices);
        }
    }

    private static SequencedMap<String, String> describe(FileChannel ch, long offset, long size) throws IOException {
        for (FsProbe probe : ServiceLoader.load(FsProbe.class, ImageInfo.class.getClassLoader())) {
            SequencedMap<String, String> d = probe.describe(size, (off, dst) -> {
                if (off >= size) return -1;
                if (dst.remaining() > size - off) dst.limit(dst.position() + (int) (size - off));
                return ch.read(dst, offset + off);
            });
            if (d != null) return d;
        }
        return null;
    }

    private static String kind(Partition p) {
        return switch (p) {
            case MbrPartition m -> String.format("%s 0x%02x%s%s", m.kind().name().toLowerCase(java.util.Locale.ROOT), m.type(),
                    mbrTypeName(m.type()), m.bootable() ? ", bootable" : "");
            case GptPartition g -> gptTypeName(g.type().toString()) + (g.name().isEmpty() ? "" : ", name \"" + g.name() + "\"");
        };
    }

    private static String mbrTypeName(int type) {
        return switch (type) {
            case 0x01, 0x04, 0x06, 0x0e -> " (FAT)";
            case 0x0b, 0x0c -> " (FAT32)";
            case 0x05, 0x0f, 0x85 -> " (extended)";
            case 0x07 -> " (NTFS/exFAT)";
            case 0x82 -> " (Linux swap)";
            case 0x83 -> " (Linux)";
            case 0xa9 -> " (NetBSD)";
            case 0xee -> " (GPT protective)";
            case 0xef -> " (EFI system)";
            default -> "";
        };
    }

    /** The GPT type GUIDs users meet most (UEFI spec table 5-7 and the freedesktop Discoverable Partitions list). */
    private static String gptTypeName(String guid) {
        return switch (guid.toLowerCase(java.util.Locale.ROOT)) {
            case "c12a7328-f81f-11d2-ba4b-00a0c93ec93b" -> "EFI system";
            case "0fc63daf-8483-4772-8e79-3d69d8477de4" -> "Linux filesystem";
            case "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f" -> "Linux swap";
            case "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7" -> "Microsoft basic data";
            case "21686148-6449-6e6f-744e-656564454649" -> "BIOS boot";
            case "49f48d5a-b10e-11dc-b99b-0019d1879648" -> "NetBSD FFSv1/FFSv2";
            case "516e7cb6-6ecf-11d6-8ff8-00022d09712b" -> "FreeBSD UFS";
            default -> "type " + guid;
        };
    }
}
