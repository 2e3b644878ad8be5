package jrump.fs.msdosfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;

/**
 * Images made by mkfs.fat (FAT12, FAT16, FAT32; 512 and 4096-byte sectors; small and 64 KiB clusters)
 * filled by {@code mcopy -s}, mounted read-only and read back identical; a read-only mount never writes.
 */
class MsdosReadTest {
    @TempDir
    Path tmp;

    static String sha(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    @ParameterizedTest
    @CsvSource({
            "fat12, 4, -F 12",
            "fat16, 32, -F 16",
            "fat32, 40, -F 32 -s 1",
            "fat16-4k-sectors, 64, -F 16 -S 4096 -s 1",
            "fat16-64k-clusters, 300, -F 16 -s 128",
    })
    void mcopyTree_readsBackIdentical(String name, int mib, String args) throws Exception {
        Path tree = HostTrees.make(tmp.resolve("tree"), 42, name.equals("fat12") ? 40 : 300);
        Path img = Tools.mkfs(tmp.resolve(name + ".img"), mib, args.split(" "));
        try (var s = Files.list(tree)) {
            java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("mcopy", "-s", "-i", img.toString()));
            s.forEach(p -> cmd.add(p.toString()));
            cmd.add("::/");
            Tools.ok(cmd.toArray(String[]::new));
        }
        Tools.fsckClean(img);
        String before = sha(img);
        try (Mounted m = new Mounted(img, Sys.MNT_RDONLY, null)) {
            m.assertSameTree("/mnt", tree);
            // case-insensitive lookup, and the alias mtools gave a long name
            assertThat(m.read("/mnt/HELLO.TXT")).isEqualTo(Files.readAllBytes(tree.resolve("hello.txt")));
            assertThat(m.read("/mnt/mixedcase.txt")).isEqualTo(Files.readAllBytes(tree.resolve("MixedCase.Txt")));
            assertThat(m.read("/mnt/ALONGN~1.TEX")).isEqualTo(Files.readAllBytes(tree.resolve("a long name with spaces.text")));
            assertThat(m.sys.stat("/mnt/big.bin").size()).isEqualTo(Files.size(tree.resolve("big.bin")));
            assertThat(errnoOf(() -> m.sys.stat("/mnt/nothing"))).isEqualTo(Errno.ENOENT);
            assertThat(errnoOf(() -> m.sys.open("/mnt/new", Sys.O_CREAT | Sys.O_WRONLY, 0644))).isEqualTo(Errno.EROFS);
            assertThat(errnoOf(() -> m.sys.unlink("/mnt/hello.txt"))).isEqualTo(Errno.EROFS);
            assertThat(m.sys.statvfs1("/mnt", 0).fstypename()).isEqualTo("msdos");
        }
        assertThat(sha(img)).as("a read-only mount never writes").isEqualTo(before);
    }
}
