package jrump.p2k;

import static jrump.p2k.Mounted.run;
import static jrump.p2k.Mounted.sh;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.ukfs.Ukfs;

/**
 * Ordinary programs on images mounted through p2k: cp -a in and out, tar, find, diff -r, rsync -a and gcc
 * building and running a program inside the mount, on an ext2 image mke2fs made (read-write; e2fsck -fn
 * clean after the unmount) and a FAT image mkfs.fat made (fsck.fat -n clean). The tools are required: a
 * missing one fails the test (scripts/apt-packages.txt lists them).
 */
class P2kToolsTest {
    @TempDir
    static Path tmp;
    static Path src;

    @BeforeAll
    static void tree() throws Exception {
        src = Trees.make(tmp.resolve("src"), 300, true, 0x5eed);
    }

    private static final String HELLO_C = """
            #include <stdio.h>
            #include "msg.h"
            int main(void) { printf("%s %d\\n", MSG, 6 * 7); return 0; }
            """;

    @Test
    void ext2ReadWriteWithOrdinaryPrograms() throws Exception {
        Path img = tmp.resolve("ext2.img");
        run(tmp, List.of("mke2fs", "-q", "-F", "-t", "ext2", "-b", "4096", "-d", src.toString(), img.toString(), "64M"));
        Path out = tmp.resolve("ext2-out");
        try (Mounted m = Mounted.image(tmp, img, Ukfs.Options.writing(), P2k.Options.defaults())) {
            String mnt = m.mnt.toString();
            // what mke2fs put there reads back the same, through diff, find and cp -a out
            sh(tmp, "diff -r " + src + " " + mnt + " -x lost+found");
            assertThat(sh(tmp, "cd " + mnt + " && find . -path ./lost+found -prune -o -print | sort"))
                    .isEqualTo(sh(tmp, "cd " + src + " && find . -print | sort"));
            sh(tmp, "cp -a " + mnt + " " + out + " && rm -rf " + out + "/lost+found && diff -r " + src + " " + out);
            assertThat(sh(tmp, "stat -c '%h %i' " + mnt + "/README " + mnt + "/hardlink").lines().distinct().count()).isEqualTo(1);
            // writing: cp -a in, tar in and out, rsync -a in
            sh(tmp, "cp -a " + src + " " + mnt + "/copied && diff -r " + src + " " + mnt + "/copied");
            sh(tmp, "tar -C " + src + " -cf - . | tar -C " + mnt + " --one-top-level=untarred -xf - && diff -r " + src + " " + mnt + "/untarred");
            sh(tmp, "mkdir " + tmp + "/tar-out && tar -C " + mnt + " -cf - copied | tar -C " + tmp + "/tar-out -xf - && diff -r " + src + " " + tmp + "/tar-out/copied");
            sh(tmp, "rsync -a " + src + "/ " + mnt + "/rsynced/ && diff -r " + src + " " + mnt + "/rsynced");
            assertThat(sh(tmp, "rsync -ain " + src + "/ " + mnt + "/rsynced/")).isEmpty(); // nothing left to do: times and modes kept
            // gcc builds a program inside the mount and it runs from there
            Files.writeString(m.mnt.resolve("hello.c"), HELLO_C);
            Files.writeString(m.mnt.resolve("msg.h"), "#define MSG \"hello from p2k\"\n");
            sh(m.mnt, "gcc -O1 -o hello hello.c");
            assertThat(run(m.mnt, List.of(m.mnt.resolve("hello").toString()))).isEqualTo("hello from p2k 42\n");
            sh(m.mnt, "rm -r untarred && mv copied moved && ln -s moved/README rl && cat rl > /dev/null");
        }
        // the image after the host's unmount: clean, with what was written
        run(tmp, List.of("e2fsck", "-fn", img.toString()));
        assertThat(run(tmp, List.of("debugfs", "-R", "cat /hello.c", img.toString()))).contains(HELLO_C.strip());
        assertThat(run(tmp, List.of("debugfs", "-R", "cat /msg.h", img.toString()))).contains("hello from p2k");
        assertThat(run(tmp, List.of("debugfs", "-R", "ls -l /moved/d0", img.toString()))).contains("e0");
    }

    @Test
    void fatReadWriteWithOrdinaryPrograms() throws Exception {
        Path fatSrc = Trees.make(tmp.resolve("fat-src"), 120, false, 0xfa7);
        Path img = tmp.resolve("fat.img");
        run(tmp, List.of("mkfs.fat", "-C", "-F", "32", img.toString(), String.valueOf(96 * 1024)));
        try (Mounted m = Mounted.image(tmp, img, Ukfs.Options.writing(), P2k.Options.defaults())) {
            String mnt = m.mnt.toString();
            // FAT keeps no owners, modes or symlinks: cp -r and rsync -rt, not -a
            sh(tmp, "cp -r " + fatSrc + " " + mnt + "/in && diff -r " + fatSrc + " " + mnt + "/in");
            sh(tmp, "rsync -rt " + fatSrc + "/ " + mnt + "/rs/ && diff -r " + fatSrc + " " + mnt + "/rs");
            sh(tmp, "tar -C " + mnt + " -cf " + tmp + "/fat.tar in && mkdir " + tmp + "/fat-tar && tar -C " + tmp + "/fat-tar -xf " + tmp + "/fat.tar && diff -r " + fatSrc + " " + tmp + "/fat-tar/in");
            assertThat(sh(tmp, "find " + mnt + "/in -type f | wc -l").strip()).isEqualTo(sh(tmp, "find " + fatSrc + " -type f | wc -l").strip());
            Files.writeString(m.mnt.resolve("hello.c"), HELLO_C);
            Files.writeString(m.mnt.resolve("msg.h"), "#define MSG \"hello from p2k\"\n");
            sh(m.mnt, "gcc -o hello.out hello.c");
            assertThat(run(m.mnt, List.of("./hello.out"))).isEqualTo("hello from p2k 42\n");
            sh(m.mnt, "rm -r rs && mv in moved");
        }
        run(tmp, List.of("fsck.fat", "-n", img.toString()));
        assertThat(run(tmp, List.of("mdir", "-i", img.toString(), "-b", "::/moved"))).contains("big.bin");
    }
}
