package jrump.fs.ext2fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpuser.sim.SimHypercalls;

/**
 * Power cuts: a seeded sequence of operations on a journaled ext4 image runs on the deterministic
 * hypervisor with the image's write stream cut after N writes (everything later silently lost), for
 * cut points spread over the whole run; files unlinked while open are on the orphan list at many of them.
 * After each cut the image must recover — by jrump's own read-write mount, and separately by e2fsck's
 * preen (journal replay, orphan release) — to a file system e2fsck -fn finds consistent, holding every
 * file whose fsync returned before the cut, intact.
 */
class CrashTest {
    private static final long SEED = 20261124L;
    private static final int CUTS = 16;

    @TempDir
    Path tmp;

    /** One run of the workload; returns the files fsync'd before any write was lost, with their content. */
    private Map<String, byte[]> workload(Path img, long cutAfter, long[] writesSeen) {
        SimHypercalls sim = new SimHypercalls(SEED);
        Map<String, byte[]> durable = new LinkedHashMap<>();
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().hypervisor(RumpConfig.Hypervisor.of(sim)).build())) {
            Syscalls sys = rk.syscalls();
            rk.pub().etfsRegister("/dev/img", img.toString(), Sys.RUMP_ETFS_BLK);
            sys.mkdir("/mnt", 0755);
            sys.mount("ext2fs", "/mnt", 0, "/dev/img");
            if (cutAfter >= 0) sim.faults().cutWritesAfter(cutAfter);
            SplittableRandom rnd = new SplittableRandom(SEED);
            List<String> scratch = new ArrayList<>();
            List<Integer> held = new ArrayList<>();
            sys.mkdir("/mnt/keep", 0755);
            for (int step = 0; step < 80; step++) {
                switch (rnd.nextInt(7)) {
                    case 5 -> {
                        // a file unlinked while still open: an orphan on the disk until it is closed
                        int fd = sys.open("/mnt/open" + step, Sys.O_RDWR | Sys.O_CREAT, 0644);
                        sys.write(fd, ByteBuffer.allocate(1 + rnd.nextInt(50_000)));
                        sys.unlink("/mnt/open" + step);
                        sys.fsync(fd);
                        held.add(fd);
                    }
                    case 6 -> {
                        if (!held.isEmpty()) sys.close(held.remove(rnd.nextInt(held.size())));
                    }
                    case 0, 1 -> {
                        String name = "/mnt/keep/f" + step;
                        byte[] data = new byte[rnd.nextInt(40_000)];
                        rnd.nextBytes(data);
                        int fd = sys.open(name, Sys.O_WRONLY | Sys.O_CREAT, 0644);
                        sys.write(fd, ByteBuffer.wrap(data));
                        sys.fsync(fd);
                        sys.close(fd);
                        if (sim.faults().lostWrites() == 0) durable.put(name, data);
                    }
                    case 2 -> {
                        String name = "/mnt/s" + step;
                        int fd = sys.open(name, Sys.O_WRONLY | Sys.O_CREAT, 0644);
                        sys.write(fd, ByteBuffer.allocate(rnd.nextInt(30_000)));
                        sys.close(fd);
                        scratch.add(name);
                    }
                    case 3 -> {
                        if (scratch.isEmpty()) break;
                        String victim = scratch.remove(rnd.nextInt(scratch.size()));
                        if (rnd.nextBoolean()) {
                            sys.unlink(victim);
                        } else {
                            String to = "/mnt/keep/moved" + step;
                            sys.rename(victim, to);
                        }
                    }
                    default -> {
                        sys.mkdir("/mnt/d" + step, 0755);
                        if (rnd.nextBoolean()) sys.rmdir("/mnt/d" + step);
                    }
                }
            }
            writesSeen[0] = sim.faults().writes() + sim.faults().lostWrites();
        }
        return durable;
    }

    private void verify(Path img, Map<String, byte[]> durable, String how) throws Exception {
        Tools.run("e2fsck", "-fn", img.toString());
        try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build())) {
            Syscalls sys = rk.syscalls();
            rk.pub().etfsRegister("/dev/img", img.toString(), Sys.RUMP_ETFS_BLK);
            sys.mkdir("/mnt", 0755);
            sys.mount("ext2fs", "/mnt", Sys.MNT_RDONLY, "/dev/img");
            for (Map.Entry<String, byte[]> e : durable.entrySet()) {
                int fd = sys.open(e.getKey(), Sys.O_RDONLY, 0);
                ByteBuffer b = ByteBuffer.allocate(e.getValue().length + 1);
                while (sys.read(fd, b) > 0) {
                    // to the end
                }
                sys.close(fd);
                assertThat(java.util.Arrays.mismatch(java.util.Arrays.copyOf(b.array(), b.position()), e.getValue()))
                        .as("%s: fsync'd %s intact", how, e.getKey()).isEqualTo(-1);
            }
            sys.unmount("/mnt", 0);
        }
    }

    @Test
    void cutsAnywhere_recoverToAConsistentImage_keepingFsyncedFiles() throws Exception {
        Path pristine = tmp.resolve("pristine");
        Tools.run("mke2fs", "-q", "-F", "-t", "ext4", "-J", "size=4", pristine.toString(), "32M");
        Path full = tmp.resolve("full");
        Files.copy(pristine, full);
        long[] total = new long[1];
        Map<String, byte[]> all = workload(full, -1, total);
        verify(full, all, "no cut");
        assertThat(total[0]).as("device writes in the whole run").isGreaterThan(50);

        SplittableRandom cuts = new SplittableRandom(SEED);
        int orphanRecoveries = 0;
        for (int i = 0; i < CUTS; i++) {
            long cut = 1 + cuts.nextLong(total[0] - 1);
            Path img = tmp.resolve("cut" + i);
            Files.copy(pristine, img, StandardCopyOption.REPLACE_EXISTING);
            long[] seen = new long[1];
            Map<String, byte[]> durable = workload(img, cut, seen);
            String how = "seed " + SEED + ", cut after write " + cut + " of " + seen[0];

            Path byE2fsck = tmp.resolve("cut" + i + "-e2fsck");
            Files.copy(img, byE2fsck);
            // preen: replays the journal and releases orphans, and stops (exit 4) at anything worse
            Process replay = new ProcessBuilder("e2fsck", "-p", byE2fsck.toString()).redirectErrorStream(true).start();
            String out = new String(replay.getInputStream().readAllBytes());
            assertThat(replay.waitFor()).as("%s: e2fsck -p\n%s", how, out).isIn(0, 1);
            verify(byE2fsck, durable, how + " (replayed by e2fsck)");

            java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
            try (RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true)
                    .hypervisor(RumpConfig.Hypervisor.host(new java.io.PrintStream(console, true))).build())) {
                Syscalls sys = rk.syscalls();
                rk.pub().etfsRegister("/dev/img", img.toString(), Sys.RUMP_ETFS_BLK);
                sys.mkdir("/mnt", 0755);
                sys.mount("ext2fs", "/mnt", 0, "/dev/img"); // replays, releases orphans
                sys.unmount("/mnt", 0);
            }
            verify(img, durable, how + " (replayed by jrump)");
            if (console.toString().contains("orphaned inodes")) {
                orphanRecoveries++;
                assertThat(out).as("%s: e2fsck found the same orphans", how).contains("orphan");
            }
        }
        assertThat(orphanRecoveries).as("cuts that left files unlinked while open on the orphan list").isPositive();
    }
}
