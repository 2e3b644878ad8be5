package jrump.p2k;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;

/**
 * The non-root way in: fusermount3 mounts and hands /dev/fuse's descriptor back over a socket (SCM_RIGHTS);
 * forced here as root, which takes the same path. The mount serves, shows up as fuse.jrump with its fsname,
 * and fusermount3 -u ends it.
 */
class P2kFusermountTest {
    @TempDir
    Path tmp;

    @Test
    void mountThroughFusermount3() throws Exception {
        assertThat(Fusermount.program()).as("fusermount3 (package fuse3) on PATH").isNotNull();
        try (RumpKernel k = RumpKernel.boot(RumpConfig.builder().build())) {
            k.syscalls().mkdir("/mnt", 0755);
            k.syscalls().mount("tmpfs", "/mnt", 0, "size=16m");
            Path mnt = Files.createDirectory(tmp.resolve("fm-" + ProcessHandle.current().pid()));
            P2k.Session s = FuseSession.start(k.syscalls(), "/mnt", mnt, P2k.Options.defaults().withFsName("via-fusermount"), true);
            try {
                Files.writeString(mnt.resolve("f"), "through fusermount3");
                assertThat(Files.readString(mnt.resolve("f"))).isEqualTo("through fusermount3");
                assertThat(Files.readAllLines(Path.of("/proc/self/mounts")))
                        .anyMatch(l -> l.startsWith("via-fusermount " + mnt + " fuse.jrump "));
            } finally {
                s.unmount();
            }
            assertThat(Files.readAllLines(Path.of("/proc/self/mounts"))).noneMatch(l -> l.contains(" " + mnt + " "));
            assertThat(k.syscalls().stat("/mnt/f").size()).isEqualTo("through fusermount3".length());
            assertThat(List.of(s.requests())).allMatch(n -> n > 3);
        }
    }
}
