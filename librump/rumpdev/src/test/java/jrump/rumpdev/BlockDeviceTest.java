package jrump.rumpdev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpdev.blk.DiskRegistry;
import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.kernel.KCred;
import jrump.rumpkern.kernel.KFile;
import jrump.rumpkern.kernel.Out;
import jrump.rumpuser.sim.SimHypercalls;
import jrump.rumpvfs.vnode.Buf;
import jrump.rumpvfs.vnode.BufCache;
import jrump.rumpvfs.vnode.CachedBlock;
import jrump.rumpvfs.vnode.FsyncFlag;
import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.Vaccess;
import jrump.rumpvfs.vnode.Vattr;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.Vop;

/** Devices over host files: VOP_STRATEGY with real content, NetBSD's bounds, read-only, the buffer cache. */
class BlockDeviceTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;
    private TestKernel tk;

    @AfterEach
    void halt() {
        if (tk != null) tk.close();
    }

    /** An image whose every 512-byte sector starts with its number and is filled with a byte of it. */
    private Path image(String name, long bytes) throws IOException {
        byte[] content = new byte[(int) bytes];
        for (int i = 0; i < content.length; i++) content[i] = (byte) (i / 512 * 7 + 1);
        for (int s = 0; s + 8 <= content.length; s += 512) ByteBuffer.wrap(content, s, 8).putLong(s / 512);
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static byte[] hostBytes(Path p, long offset, int length) throws IOException {
        return Arrays.copyOfRange(Files.readAllBytes(p), (int) offset, (int) offset + length);
    }

    private static Buf strategy(BlockDevice dev, long blkno, ByteBuffer data, boolean read) {
        Buf bp = new Buf(blkno, data, read);
        assertThat(Vop.strategy(dev.vnode(), bp)).isZero();
        return bp;
    }

    private BlockDevice open(Path image, boolean readOnly) throws DiskException {
        if (tk == null) tk = TestKernel.boot();
        return BlockDevices.open(tk.kernel(), image.toString(), readOnly);
    }

    @Test
    void strategyReadsTheHostFile_inOneLargeTransfer() throws Exception {
        Path img = image("disk.img", 4 * MIB);
        try (BlockDevice dev = open(img, false)) {
            assertThat(dev.size()).isEqualTo(4 * MIB);
            assertThat(dev.sectorSize()).isEqualTo(512);
            assertThat(dev.vnode().type()).isEqualTo(VType.VBLK);
            for (ByteBuffer buf : new ByteBuffer[] {ByteBuffer.allocateDirect(3 * MIB), ByteBuffer.allocate(3 * MIB)}) {
                Buf bp = strategy(dev, 100, buf, true);
                assertThat(bp.error).isZero();
                assertThat(bp.resid).isZero();
                assertThat(buf.position()).isEqualTo(3 * MIB);
                byte[] got = new byte[3 * MIB];
                buf.flip().get(got);
                assertThat(got).isEqualTo(hostBytes(img, 100 * 512, 3 * MIB));
                assertThat(ByteBuffer.wrap(got).getLong(0)).isEqualTo(100);
            }
        }
    }

    @Test
    void strategyWritesLandAtTheBlockOffset_andFsyncSucceeds() throws Exception {
        Path img = image("disk.img", MIB);
        byte[] before = Files.readAllBytes(img);
        try (BlockDevice dev = open(img, false)) {
            byte[] data = new byte[8 * 512];
            Arrays.fill(data, (byte) 0x5a);
            Buf bp = strategy(dev, 33, ByteBuffer.wrap(data), false);
            assertThat(bp.error).isZero();
            assertThat(bp.resid).isZero();
            dev.vnode().lock(true);
            try {
                assertThat(Vop.fsync(dev.vnode(), KCred.ROOT, FsyncFlag.FSYNC_WAIT, 0, 0)).isZero();
            } finally {
                dev.vnode().unlock();
            }
        }
        byte[] after = Files.readAllBytes(img);
        assertThat(Arrays.copyOfRange(after, 33 * 512, 41 * 512)).containsOnly(0x5a);
        // nothing else moved
        System.arraycopy(before, 33 * 512, after, 33 * 512, 8 * 512);
        assertThat(after).isEqualTo(before);
    }

    @Test
    void boundsAreNetBSDs() throws Exception {
        // 10 whole sectors and 100 bytes of an eleventh
        Path img = image("odd.img", 10 * 512 + 100);
        try (BlockDevice dev = open(img, false)) {
            // running over the end: cut short there, resid says how much was not moved
            Buf partial = strategy(dev, 8, ByteBuffer.allocate(4 * 512), true);
            assertThat(partial.error).isZero();
            assertThat(partial.resid).isEqualTo(4 * 512 - (2 * 512 + 100));
            assertThat(partial.data.position()).isEqualTo(2 * 512 + 100);
            // the partial last sector is the end: starting at it reads its 100 bytes
            Buf last = strategy(dev, 10, ByteBuffer.allocate(512), true);
            assertThat(last.error).isZero();
            assertThat(last.resid).isEqualTo(412);
            // past it: EINVAL, nothing moved
            Buf past = strategy(dev, 11, ByteBuffer.allocate(512), true);
            assertThat(past.error).isEqualTo(Errno.EINVAL.number());
            assertThat(past.resid).isEqualTo(512);
            Buf huge = strategy(dev, Long.MAX_VALUE / 256, ByteBuffer.allocate(512), false);
            assertThat(huge.error).isEqualTo(Errno.EINVAL.number());
            assertThat(strategy(dev, -1, ByteBuffer.allocate(512), true).error).isEqualTo(Errno.EINVAL.number());
            assertThat(strategy(dev, 0, ByteBuffer.allocate(100), true).error).isEqualTo(Errno.EINVAL.number());
        }
        Path aligned = image("aligned.img", 16 * 512);
        try (BlockDevice dev = open(aligned, false)) {
            // exactly at the end: end of media, no error, nothing moved, for reads and writes alike
            for (boolean read : new boolean[] {true, false}) {
                Buf atEnd = strategy(dev, 16, ByteBuffer.allocate(1024), read);
                assertThat(atEnd.error).isZero();
                assertThat(atEnd.resid).isEqualTo(1024);
                assertThat(strategy(dev, 17, ByteBuffer.allocate(512), read).error).isEqualTo(Errno.EINVAL.number());
            }
            // a write over the end is cut short too: the host file does not grow
            Buf over = strategy(dev, 15, ByteBuffer.allocate(1024), false);
            assertThat(over.resid).isEqualTo(512);
        }
        assertThat(Files.size(aligned)).isEqualTo(16 * 512);
    }

    @Test
    void getattrOpenAndAccessDescribeTheDevice() throws Exception {
        Path img = image("disk.img", 64 * 512);
        try (BlockDevice rw = open(img, false); BlockDevice ro = open(img, true)) {
            Vnode vp = rw.vnode();
            vp.lock(true);
            try {
                Vattr va = new Vattr();
                assertThat(Vop.getattr(vp, va, KCred.ROOT)).isZero();
                assertThat(va.type).isEqualTo(VType.VBLK);
                assertThat(va.size).isEqualTo(64 * 512);
                assertThat(va.blocksize).isEqualTo(512);
                assertThat(Vop.open(vp, KFile.FREAD | KFile.FWRITE, KCred.ROOT)).isZero();
                assertThat(Vop.close(vp, KFile.FREAD | KFile.FWRITE, KCred.ROOT)).isZero();
            } finally {
                vp.unlock();
            }
            Vnode rvp = ro.vnode();
            rvp.lock(true);
            try {
                assertThat(Vop.open(rvp, KFile.FREAD, KCred.ROOT)).isZero();
                assertThat(Vop.open(rvp, KFile.FREAD | KFile.FWRITE, KCred.ROOT)).isEqualTo(Errno.EROFS.number());
                assertThat(Vop.access(rvp, Vaccess.VWRITE, KCred.ROOT)).isEqualTo(Errno.EROFS.number());
                assertThat(Vop.access(rvp, Vaccess.VREAD, KCred.ROOT)).isZero();
            } finally {
                rvp.unlock();
            }
            assertThat(ro.readOnly()).isTrue();
            assertThat(rw.readOnly()).isFalse();
        }
    }

    @Test
    void aReadOnlyDeviceNeverChangesItsHostFile() throws Exception {
        Path img = image("ro.img", 256 * 512);
        Files.setLastModifiedTime(img, FileTime.fromMillis(1_000_000_000_000L));
        byte[] before = Files.readAllBytes(img);
        try (BlockDevice dev = open(img, true)) {
            byte[] junk = new byte[4096];
            Arrays.fill(junk, (byte) 0xee);
            Buf bp = strategy(dev, 0, ByteBuffer.wrap(junk), false);
            assertThat(bp.error).isEqualTo(Errno.EROFS.number());
            assertThat(bp.resid).isEqualTo(4096);
            // through the buffer cache: the delayed write fails at the flush, the file stays as it was
            BufCache bc = BufCache.withLimit(tk.kernel(), 64 * 1024);
            Out<CachedBlock> out = new Out<>();
            assertThat(bc.bread(dev.vnode(), 8, 2048, out)).isZero();
            Arrays.fill(out.get().bytes(), (byte) 0xee);
            bc.bdwrite(out.get());
            assertThat(bc.flush(dev.vnode())).isEqualTo(Errno.EROFS.number());
            assertThat(bc.invalidate(dev.vnode(), true)).isZero();
            try (BlockDevice part = dev.window(4096, 8192)) {
                assertThat(part.readOnly()).isTrue();
                assertThat(strategy(part, 0, ByteBuffer.wrap(junk), false).error).isEqualTo(Errno.EROFS.number());
            }
            dev.vnode().lock(true);
            try {
                assertThat(Vop.fsync(dev.vnode(), KCred.ROOT, FsyncFlag.FSYNC_WAIT, 0, 0)).isZero();
            } finally {
                dev.vnode().unlock();
            }
        }
        assertThat(Files.readAllBytes(img)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(img).toMillis()).isEqualTo(1_000_000_000_000L);
    }

    @Test
    void theBufferCacheReadsAndWritesThroughTheDevice() throws Exception {
        Path img = image("cache.img", 256 * 1024);
        byte[] before = Files.readAllBytes(img);
        try (BlockDevice dev = open(img, false)) {
            // room for 8 blocks of 4 KiB: the 64 blocks below evict, and evicted dirty blocks are written
            BufCache bc = BufCache.withLimit(tk.kernel(), 8 * 4096);
            Out<CachedBlock> out = new Out<>();
            for (int blk = 0; blk < 64; blk++) {
                assertThat(bc.bread(dev.vnode(), blk * 8L, 4096, out)).isZero();
                CachedBlock b = out.get();
                assertThat(ByteBuffer.wrap(b.bytes()).getLong(0)).as("block %d", blk).isEqualTo(blk * 8L);
                if (blk % 3 == 0) {
                    Arrays.fill(b.bytes(), 100, 200, (byte) blk);
                    bc.bdwrite(b);
                } else {
                    bc.brelse(b);
                }
            }
            assertThat(bc.flush(dev.vnode())).isZero();
            assertThat(bc.misses()).isEqualTo(64);
        }
        byte[] after = Files.readAllBytes(img);
        for (int blk = 0; blk < 64; blk++) {
            byte[] mid = Arrays.copyOfRange(after, blk * 4096 + 100, blk * 4096 + 200);
            if (blk % 3 == 0) assertThat(mid).as("block %d", blk).containsOnly((byte) blk);
            else assertThat(mid).as("block %d", blk).isEqualTo(Arrays.copyOfRange(before, blk * 4096 + 100, blk * 4096 + 200));
            assertThat(ByteBuffer.wrap(after, blk * 4096, 8).getLong()).isEqualTo(blk * 8L);
        }
    }

    @Test
    void aWindowIsADeviceOfItsOwn_atItsHostOffset() throws Exception {
        Path img = image("win.img", 64 * 1024);
        try (BlockDevice dev = open(img, false)) {
            assertThatThrownBy(() -> dev.window(60 * 1024, 8 * 1024)).isInstanceOfSatisfying(DiskException.class,
                    e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL.number()));
            assertThatThrownBy(() -> dev.window(-1, 10)).isInstanceOf(DiskException.class);
            assertThatThrownBy(() -> dev.window(10, Long.MAX_VALUE)).isInstanceOf(DiskException.class);
            // an unaligned start, as ukfs's %OFFSET% allows
            try (BlockDevice win = dev.window(1000, 4 * 512)) {
                assertThat(win.size()).isEqualTo(2048);
                assertThat(win.hostOffset()).isEqualTo(1000);
                assertThat(win.vnode()).isNotSameAs(dev.vnode());
                ByteBuffer got = ByteBuffer.allocate(1024);
                assertThat(strategy(win, 1, got, true).resid).isZero();
                assertThat(got.array()).isEqualTo(hostBytes(img, 1000 + 512, 1024));
                byte[] mark = new byte[512];
                Arrays.fill(mark, (byte) 0x77);
                assertThat(strategy(win, 3, ByteBuffer.wrap(mark), false).error).isZero();
                // the window ends where it says
                Buf beyond = strategy(win, 4, ByteBuffer.allocate(512), true);
                assertThat(beyond.error).isZero();
                assertThat(beyond.resid).isEqualTo(512);
                try (BlockDevice inner = win.window(512, 1024)) {
                    assertThat(inner.hostOffset()).isEqualTo(1512);
                }
            }
        }
        assertThat(hostBytes(img, 1000 + 3 * 512, 512)).containsOnly(0x77);
        assertThat(hostBytes(img, 1000 + 4 * 512, 1)[0]).isNotEqualTo((byte) 0x77);
    }

    @Test
    void closingReleasesTheHostFileWithTheLastDevice() throws Exception {
        Path img = image("close.img", 64 * 512);
        BlockDevice dev = open(img, false);
        DiskRegistry registry = DiskRegistry.of(tk.kernel());
        assertThat(registry.openDisks()).isEqualTo(1);
        BlockDevice win = dev.window(512, 4096);
        dev.close();
        dev.close(); // twice: nothing more happens
        assertThat(registry.openDisks()).isEqualTo(1);
        assertThat(strategy(dev, 0, ByteBuffer.allocate(512), true).error).isEqualTo(Errno.ENXIO.number());
        assertThatThrownBy(dev::partitions).isInstanceOfSatisfying(DiskException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.ENXIO.number()));
        assertThat(strategy(win, 0, ByteBuffer.allocate(512), true).error).isZero();
        win.close();
        assertThat(registry.openDisks()).isZero();
    }

    @Test
    void openFailuresAreDiskExceptionsWithTheHostsErrno() throws Exception {
        tk = TestKernel.boot();
        assertThatThrownBy(() -> BlockDevices.open(tk.kernel(), dir.resolve("missing.img").toString(), true))
                .isInstanceOfSatisfying(DiskException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT.number());
                    assertThat(e.getMessage()).contains("missing.img");
                });
        assertThatThrownBy(() -> BlockDevices.open(tk.kernel(), dir.toString(), true))
                .isInstanceOfSatisfying(DiskException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EISDIR.number()));
        Path img = image("x.img", 512);
        try (TestKernel bare = TestKernel.boot(RumpConfig.builder().components())) {
            assertThatThrownBy(() -> BlockDevices.open(bare.kernel(), img.toString(), true))
                    .isInstanceOfSatisfying(DiskException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENODEV.number()));
        }
        assertThat(tk.rk().components()).contains("rumpdev");
    }

    @Test
    void hostIoErrorsReachTheBuf() throws Exception {
        Path img = image("faulty.img", 64 * 512);
        SimHypercalls sim = new SimHypercalls(42);
        tk = TestKernel.boot(RumpConfig.builder().hypervisor(RumpConfig.Hypervisor.of(sim)));
        try (BlockDevice dev = BlockDevices.open(tk.kernel(), img.toString(), false)) {
            sim.faults().failReadsAt(10 * 512, 11 * 512, Errno.EIO.number());
            assertThat(strategy(dev, 8, ByteBuffer.allocate(4 * 512), true).error).isEqualTo(Errno.EIO.number());
            assertThat(strategy(dev, 12, ByteBuffer.allocate(512), true).error).isZero();
            sim.faults().failWritesAt(0, 512, Errno.EIO.number());
            assertThat(strategy(dev, 0, ByteBuffer.allocate(512), false).error).isEqualTo(Errno.EIO.number());
        }
    }
}
