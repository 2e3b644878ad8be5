package jrump.fs.msdosfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Fsck} against fsck.fat -n: clean images are clean for both, and each kind of damage poked into
 * an image is found by both (exit 4 here, non-zero there), with a message naming it.
 */
class MsdosFsckTest {
    @TempDir
    Path tmp;

    static Fsck.Report fsck(Path img) throws Exception {
        try (FileChannel ch = FileChannel.open(img)) {
            return Fsck.check((off, dst) -> ch.read(dst, off), ch.size());
        }
    }

    /** A small image: files A.TXT (3 clusters), B.TXT (1), directory SUB with C.TXT, and a long name. */
    private Path image(int type) throws Exception {
        Path host = tmp.resolve("t" + type);
        Files.createDirectories(host.resolve("SUB"));
        Files.write(host.resolve("A.TXT"), new byte[5000]);
        Files.write(host.resolve("B.TXT"), new byte[10]);
        Files.write(host.resolve("SUB/C.TXT"), "c".getBytes());
        Files.writeString(host.resolve("a long name.txt"), "long");
        Path img = tmp.resolve("i" + type + ".img");
        long size = type == 32 ? 40L << 20 : type == 16 ? 20L << 20 : 2L << 20;
        MsdosMakefsTest.build(img, MsdosMakefsTest.tree(host), new Newfs.Options(size, type, 512, type == 32 ? 512 : 2048, null, 7));
        return img;
    }

    @ParameterizedTest
    @ValueSource(ints = {12, 16, 32})
    void cleanImages_cleanForBoth(int type) throws Exception {
        Path img = image(type);
        Fsck.Report r = fsck(img);
        assertThat(r.exitStatus()).as("%s", r.output()).isEqualTo(Fsck.EXIT_CLEAN);
        // A.TXT 5000 bytes, B.TXT, SUB, SUB/C.TXT and the long name; FAT32 adds its root cluster
        int clusters = type == 32 ? 10 + 1 + 1 + 1 + 1 + 1 : 3 + 1 + 1 + 1 + 1;
        try (Damage d = new Damage(img)) {
            assertThat(r.output().getLast()).isEqualTo("5 files, " + clusters + "/" + d.bpb.clusterCount + " clusters");
        }
        Tools.fsckClean(img);
    }

    private void damaged(int type, String expected, Damage.Poke poke) throws Exception {
        Path img = image(type);
        try (Damage d = new Damage(img)) {
            poke.apply(d);
        }
        Fsck.Report r = fsck(img);
        assertThat(r.exitStatus()).as("%s", r.output()).isEqualTo(Fsck.EXIT_UNCORRECTED);
        assertThat(String.join("\n", r.problems())).contains(expected);
        Tools.Result theirs = Tools.run(null, List.of("fsck.fat", "-n", img.toString()));
        assertThat(theirs.exit()).as("fsck.fat finds it too:\n%s", theirs.output()).isNotZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {12, 16, 32})
    void damage_foundByBoth(int type) throws Exception {
        damaged(type, "FAT copy 2 differs", d -> d.setFat(1, d.bpb.maxCluster() - 1, d.bpb.type.eoc));
        damaged(type, "lost clusters", d -> d.setFat(-1, d.bpb.maxCluster() - 1, d.bpb.type.eoc));
        damaged(type, "cross-linked", d -> {
            DirEntry a = d.entry(d.rootEntry("A       TXT"));
            long pos = d.rootEntry("B       TXT");
            DirEntry b = d.entry(pos);
            long old = b.firstCluster;
            b.firstCluster = a.firstCluster + 2; // A's last cluster
            d.putEntry(pos, b);
            d.setFat(-1, old, Fat.FREE);
        });
        damaged(type, "needs", d -> {
            long pos = d.rootEntry("A       TXT");
            DirEntry a = d.entry(pos);
            a.size = 100_000;
            d.putEntry(pos, a);
        });
        damaged(type, "forbidden character", d -> {
            long pos = d.rootEntry("B       TXT");
            DirEntry b = d.entry(pos);
            b.name[1] = '*';
            d.putEntry(pos, b);
        });
        damaged(type, "loops", d -> {
            DirEntry a = d.entry(d.rootEntry("A       TXT"));
            d.setFat(-1, a.firstCluster + 2, a.firstCluster);
        });
        damaged(type, "names cluster", d -> {
            long sub = d.entry(d.rootEntry("SUB        ")).firstCluster;
            long pos = d.entryIn(sub, "..         ");
            DirEntry dd = d.entry(pos);
            dd.firstCluster = sub;
            d.putEntry(pos, dd);
        });
    }

    @Test
    void staleFsInfo_found() throws Exception {
        Path img = image(32);
        try (Damage d = new Damage(img)) {
            d.putU32((long) d.bpb.fsInfoSector * d.bpb.bytesPerSector + Msdosfs.FSI_FREE_COUNT_OFFSET, 5);
        }
        Fsck.Report r = fsck(img);
        assertThat(r.exitStatus()).isEqualTo(Fsck.EXIT_UNCORRECTED);
        assertThat(r.problems()).anyMatch(p -> p.startsWith("FSInfo says 5 free clusters"));
    }

    @Test
    void notFat_cannotBeChecked() throws Exception {
        Path img = Files.write(tmp.resolve("zero.img"), new byte[1 << 20]);
        Fsck.Report r = fsck(img);
        assertThat(r.exitStatus()).isEqualTo(Fsck.EXIT_OPERATIONAL);
        assertThat(r.output().getFirst()).startsWith("cannot check");
    }
}
