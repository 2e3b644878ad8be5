package jrump.cli;

import static jrump.cli.HostTools.tool;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jrump info against what blkid, dumpe2fs and sfdisk say of the same images: labels, UUIDs, volume IDs,
 * block counts and features of ext4, FAT and ISO 9660, and the partitions of a GPT disk.
 */
class InfoCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Jrump.run(new ByteArrayOutputStream(), new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    /** blkid's low-level probe of an image (or a window of it) as KEY=value pairs. */
    private static Map<String, String> blkid(Path image, long offset) throws Exception {
        Map<String, String> m = new HashMap<>();
        String o = tool("blkid", "-p", "-o", "export", "-O", Long.toString(offset), image.toString());
        for (String line : o.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return m;
    }

    @Test
    void ext4_asBlkidAndDumpe2fsSeeIt() throws Exception {
        Path img = tmp.resolve("ext4.img");
        tool("mke2fs", "-q", "-F", "-t", "ext4", "-L", "rootfs", img.toString(), "24M");
        assertThat(run("info", img.toString())).as("%s", err).isZero();
        String o = out.toString();
        Map<String, String> b = blkid(img, 0);
        assertThat(o).contains("type:").contains("ext2fs (ext4").containsPattern("label: +rootfs\n").containsPattern("UUID: +" + b.get("UUID") + "\n");
        String d = tool("dumpe2fs", "-h", img.toString());
        String features = d.lines().filter(l -> l.startsWith("Filesystem features:")).findFirst().orElseThrow().substring(20).strip();
        assertThat(o).containsPattern("features: +" + features + "\n");
        String blocks = d.lines().filter(l -> l.startsWith("Block count:")).findFirst().orElseThrow().substring(12).strip();
        assertThat(o).containsPattern("blocks: +" + blocks + " \\(");
        assertThat(o).containsPattern("state: +clean\n");
    }

    @Test
    void fatAndIso_asBlkidSeesThem() throws Exception {
        Path fat = tmp.resolve("fat.img");
        tool("mkfs.fat", "-F", "32", "-n", "CAMERA", "-i", "1234abcd", "-C", fat.toString(), "40960");
        assertThat(run("info", fat.toString())).as("%s", err).isZero();
        Map<String, String> b = blkid(fat, 0);
        assertThat(out.toString()).contains("msdos (FAT32)").containsPattern("label: +" + b.get("LABEL") + "\n")
                .containsPattern("volume ID: +" + b.get("UUID") + "\n").contains("free clusters:");

        Path tree = Files.createDirectories(tmp.resolve("tree"));
        Files.writeString(tree.resolve("f"), "x");
        Path iso = tmp.resolve("disc.iso");
        tool("xorriso", "-as", "mkisofs", "-R", "-J", "-V", "MY_DISC", "-quiet", "-o", iso.toString(), tree.toString());
        assertThat(run("info", iso.toString())).as("%s", err).isZero();
        assertThat(out.toString()).contains("cd9660 (ISO 9660").containsPattern("label: +" + blkid(iso, 0).get("LABEL") + "\n")
                .contains("Rock Ridge").contains("Joliet level 3");
    }

    @Test
    void ffs_asSleuthkitsFsstatSeesIt() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        Files.writeString(tree.resolve("f"), "x");
        Path img = tmp.resolve("ufs1.img");
        tool("makefs", "-t", "ffs", "-s", "8m", "-o", "version=1", img.toString(), tree.toString());
        assertThat(run("info", img.toString())).as("%s", err).isZero();
        String o = out.toString();
        String fsstat = tool("fsstat", img.toString());
        assertThat(fsstat).contains("File System Type: UFS 1");
        assertThat(o).contains("ffs (UFS1, little-endian");
        long fragments = Long.parseLong(field(fsstat, "Fragment Range").replaceAll(".* - ", "")) + 1;
        long freeFrags = Long.parseLong(field(fsstat, "Num of Avail Full Blocks")) * (Long.parseLong(field(fsstat, "Block Size"))
                / Long.parseLong(field(fsstat, "Fragment Size"))) + Long.parseLong(field(fsstat, "Num of Avail Fragments"));
        assertThat(o).containsPattern("fragments: +" + fragments + " \\(" + freeFrags + " free\\)");
        assertThat(o).containsPattern("block size: +" + field(fsstat, "Block Size") + " \\(fragments of " + field(fsstat, "Fragment Size") + "\\)");
        assertThat(o).containsPattern("cylinder groups: +" + field(fsstat, "Number of Cylinder Groups") + " ");
        assertThat(o).containsPattern("\\(" + field(fsstat, "Num of Avail Inodes") + " free");
    }

    private static String field(String report, String name) {
        return report.lines().filter(l -> l.startsWith(name + ":")).findFirst().orElseThrow().substring(name.length() + 1).strip();
    }

    @Test
    void gptDisk_listsEachPartitionAndItsFileSystem() throws Exception {
        Path disk = tmp.resolve("disk.img");
        try (FileChannel c = FileChannel.open(disk, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.allocate(1), (40L << 20) - 1);
        }
        Process sf = new ProcessBuilder("sfdisk", "-q", disk.toString()).redirectErrorStream(true).start();
        sf.getOutputStream().write("label: gpt\nstart=2048, size=16M, type=uefi, name=esp\nstart=34816, size=16M, type=linux\n"
                .getBytes(StandardCharsets.US_ASCII));
        sf.getOutputStream().close();
        assertThat(sf.waitFor()).isZero();
        tool("mkfs.fat", "--offset", "2048", "-n", "ESP", disk.toString(), "16384");
        tool("mke2fs", "-q", "-F", "-t", "ext4", "-L", "data", "-E", "offset=" + 34816L * 512, disk.toString(), "16M");
        assertThat(run("info", disk.toString())).as("%s", err).isZero();
        String o = out.toString();
        assertThat(o).contains("partition table: GPT");
        assertThat(o).contains("partition 1: EFI system, name \"esp\" at 1048576, 16.0 MiB");
        assertThat(o).contains("partition 2: Linux filesystem at 17825792, 16.0 MiB");
        assertThat(o.substring(o.indexOf("partition 1"), o.indexOf("partition 2"))).contains("msdos (FAT16)").contains("ESP");
        assertThat(o.substring(o.indexOf("partition 2"))).contains("ext2fs (ext4").contains("data");
        // and the partition is mounted by its number
        assertThat(run("ls", "--partition", "2", disk + ":/")).as("%s", err).isZero();
        assertThat(out.toString()).contains("lost+found");
    }

    @Test
    void whatIsNotAnImage_saysSo() throws Exception {
        Path text = Files.writeString(tmp.resolve("notes.txt"), "just text\n".repeat(100));
        assertThat(run("info", text.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("no file system jrump knows");
        assertThat(run("info", tmp.resolve("absent.img").toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("jrump: " + tmp.resolve("absent.img") + ": No such file or directory\n");
    }
}
