package jrump.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

import jrump.fs.msdosfs.Fsck;
import jrump.fs.msdosfs.Makefs;
import jrump.fs.msdosfs.Newfs;
import picocli.CommandLine.Option;

/**
 * newfs, makefs and fsck for {@code -t msdos} (FAT): its own options beside the ext2fs ones (the label
 * is -L of both), the image file written in place (the host tree read by {@link HostTree}; FAT refuses
 * symbolic links and special files in it).
 */
final class MsdosImage {
    static final String TYPE = "msdos";

    @Option(names = {"-F", "--fat-type"}, description = "msdos: 12, 16 or 32 (default: from the size, as mkfs.fat)", defaultValue = "0")
    int fatType;

    @Option(names = {"-c", "--cluster-size"}, description = "msdos: bytes per cluster, 512 to 65536 (default: as mkfs.fat)", defaultValue = "0")
    int clusterBytes;

    @Option(names = {"-S", "--sector-size"}, description = "msdos: 512, 1024, 2048 or 4096 (default: ${DEFAULT-VALUE})", defaultValue = "512")
    int sectorBytes;

    private Newfs.Options options(long sizeBytes, String label) {
        // the serial number from the clock, as mkfs.fat does
        long volumeId = (System.currentTimeMillis() / 1000) & 0xffffffffL;
        return new Newfs.Options(sizeBytes, fatType, sectorBytes, clusterBytes, label, volumeId);
    }

    int newfs(Path image, long sizeBytes, String label, CgdOptions cgd, PrintWriter out) throws IOException {
        Newfs.Result r;
        try (ImageOutput o = new ImageOutput(image, cgd)) {
            r = Newfs.format(options(sizeBytes, label), o::write);
            o.finish(sizeBytes);
        }
        out.printf("%s: FAT%d, %d clusters of %d bytes%n", image, r.fatType(), r.clusters(), r.clusterBytes());
        return 0;
    }

    int makefs(Path image, Path dir, long sizeBytes, String label, CgdOptions cgd, PrintWriter out) throws IOException {
        Makefs.Result r;
        try (ImageOutput o = new ImageOutput(image, cgd)) {
            r = Makefs.build(HostTree.of(dir), new Makefs.Options(options(sizeBytes, label), System.currentTimeMillis() * 1_000_000L), o::write);
            o.finish(r.sizeBytes());
        }
        out.printf("%s: FAT%d, %d clusters of %d bytes; %d free%n", image, r.fatType(), r.clusters(), r.clusterBytes(), r.freeClusters());
        return 0;
    }

    /** Whether {@code image} holds a FAT file system (fsck's type detection). */
    static boolean isFat(Path image) throws IOException {
        try (FileChannel ch = FileChannel.open(image)) {
            return Fsck.looksLikeFat((off, dst) -> ch.read(dst, off), ch.size());
        }
    }

    static int fsck(Path image, PrintWriter out) throws IOException {
        Fsck.Report r;
        try (FileChannel ch = FileChannel.open(image)) {
            r = Fsck.check((off, dst) -> ch.read(dst, off), ch.size());
        }
        r.output().forEach(out::println);
        return r.exitStatus();
    }
}
