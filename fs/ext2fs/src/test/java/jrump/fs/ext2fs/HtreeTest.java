package jrump.fs.ext2fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * htree directories kept by jrump: a directory grown from empty to thousands of names (so that it becomes
 * indexed, its leaves split, its root grows a level and interior nodes split), thinned and renamed across,
 * and a directory that e2fsck -D indexed before jrump changed it — under each hash (half-MD4, TEA, legacy).
 * e2fsck -fn checks every index block, hash order and checksum; the Linux kernel must find every name by
 * lookup through the index; debugfs must see the directory still indexed.
 */
class HtreeTest {
    private static final String[][] VARIANTS = {
            {"-t", "ext4", "-b", "1024"},
            {"-t", "ext4", "-b", "4096"},
            {"-t", "ext3", "-b", "1024"},
    };
    /** The default hash each variant's directories get (tune2fs -E hash_alg). */
    private static final String[] HASHES = {"half_md4", "tea", "legacy"};

    @TempDir
    Path tmp;

    private static void touch(Syscalls sys, String path) {
        sys.close(sys.open(path, Sys.O_WRONLY | Sys.O_CREAT, 0644));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void growingAndShrinkingIndexedDirectories_stayValid(int variant) throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree/pre"));
        for (int i = 0; i < 400; i++) Files.writeString(tree.resolve("preexisting-" + i), "p" + i);
        Path img = tmp.resolve("img");
        List<String> cmd = new ArrayList<>(List.of("mke2fs", "-q", "-F", "-d", tmp.resolve("tree").toString()));
        cmd.addAll(List.of(VARIANTS[variant]));
        cmd.addAll(List.of(img.toString(), "128M"));
        Tools.run(cmd.toArray(String[]::new));
        Tools.run("tune2fs", "-E", "hash_alg=" + HASHES[variant], img.toString());
        // index /pre the way e2fsck does (mke2fs -d writes linear directories)
        Process d = new ProcessBuilder("e2fsck", "-fyD", img.toString()).redirectErrorStream(true).start();
        d.getInputStream().readAllBytes();
        assertThat(d.waitFor()).isIn(0, 1);

        int n = variant == 1 ? 9000 : 6000;
        Set<String> big = new TreeSet<>();
        Set<String> pre = new TreeSet<>();
        for (int i = 0; i < 400; i++) pre.add("preexisting-" + i);
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build())) {
            Syscalls sys = rk.syscalls();
            rk.pub().etfsRegister("/dev/img", img.toString(), Sys.RUMP_ETFS_BLK);
            sys.mkdir("/mnt", 0755);
            sys.mount("ext2fs", "/mnt", 0, "/dev/img");
            sys.mkdir("/mnt/big", 0755);
            for (int i = 0; i < n; i++) {
                String name = "a-file-with-a-fairly-long-name-" + Integer.toString(i * 7919 % n, 36);
                touch(sys, "/mnt/big/" + name);
                big.add(name);
            }
            int k = 0;
            for (String name : new ArrayList<>(big)) {
                if (k++ % 3 == 0) {
                    sys.unlink("/mnt/big/" + name);
                    big.remove(name);
                }
            }
            k = 0;
            for (String name : new ArrayList<>(pre)) {
                if (k++ % 4 == 0) {
                    sys.rename("/mnt/pre/" + name, "/mnt/big/moved-" + name);
                    pre.remove(name);
                    big.add("moved-" + name);
                }
            }
            for (int i = 0; i < 300; i++) {
                touch(sys, "/mnt/pre/added-later-" + i);
                pre.add("added-later-" + i);
            }
            for (String name : big) assertThat(sys.lstat("/mnt/big/" + name).ino()).as(name).isPositive();
            sys.unmount("/mnt", 0);
        }
        Tools.run("e2fsck", "-fn", img.toString());
        for (String dir : new String[] {"/big", "/pre"}) {
            String dump = Tools.run("debugfs", "-R", "htree_dump " + dir, img.toString());
            assertThat(dump).as("%s is an htree", dir).contains("Root node dump:");
            // 1 KiB blocks: thousands of names need interior nodes (the root grew a level, nodes split)
            if (dir.equals("/big") && !VARIANTS[variant][3].equals("4096")) assertThat(dump).contains("Indirect levels: 1");
        }
        Path mnt = Files.createDirectory(tmp.resolve("linux"));
        Tools.run("mount", "-o", "ro,loop", img.toString(), mnt.toString());
        try {
            for (String name : big) assertThat(Files.exists(mnt.resolve("big").resolve(name))).as("Linux looks up big/%s", name).isTrue();
            for (String name : pre) assertThat(Files.exists(mnt.resolve("pre").resolve(name))).as("Linux looks up pre/%s", name).isTrue();
            try (var list = Files.list(mnt.resolve("big"))) {
                assertThat(list.count()).isEqualTo(big.size());
            }
        } finally {
            Tools.run("umount", mnt.toString());
        }
    }
}
