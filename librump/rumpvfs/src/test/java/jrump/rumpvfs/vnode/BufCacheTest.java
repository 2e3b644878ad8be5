package jrump.rumpvfs.vnode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Out;
import jrump.rumpuser.sim.SimHypercalls;

/** The buffer cache over a memory "disk" that counts its transfers and can be made to fail. */
class BufCacheTest {
    private static final int BLOCK = 1024;
    private static final int BLOCKS = 64;
    private static final int SECTORS = BLOCK / BufCache.DEV_BSIZE;

    /** A device: VOP_STRATEGY copies between the request and an array. */
    private static final class MemDisk implements VnodeOps {
        final byte[] disk = new byte[BLOCK * BLOCKS];
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger writes = new AtomicInteger();
        volatile boolean failReads;
        volatile boolean failWrites;

        @Override
        public int strategy(VopArgs.Strategy a) {
            Buf bp = a.bp();
            long off = bp.blkno * BufCache.DEV_BSIZE;
            int len = bp.data.remaining();
            if (bp.read ? failReads : failWrites) {
                bp.error = Errno.EIO.number();
                return 0;
            }
            int n = (int) Math.max(0, Math.min(len, disk.length - off));
            if (bp.read) {
                reads.incrementAndGet();
                bp.data.put(disk, (int) off, n);
            } else {
                writes.incrementAndGet();
                bp.data.get(disk, (int) off, n);
            }
            bp.resid = len - n;
            return 0;
        }
    }

    private RumpKernel rk;
    private Kernel kernel;
    private final MemDisk dev = new MemDisk();
    private Vnode devvp;

    private void boot(RumpConfig.Builder b) {
        Kernel[] captured = new Kernel[1];
        rk = RumpKernel.boot(b.diagnostic(true).addComponent(TestComponents.vfs("bufcache_test", k -> captured[0] = k)).build());
        kernel = captured[0];
        devvp = new Vnode(kernel, dev, VType.VBLK, "memdisk");
        for (int i = 0; i < dev.disk.length; i++) dev.disk[i] = (byte) (i / BLOCK);
    }

    @AfterEach
    void halt() {
        if (rk != null) rk.halt();
    }

    private CachedBlock bread(BufCache bc, long block) {
        Out<CachedBlock> out = new Out<>();
        assertThat(bc.bread(devvp, block * SECTORS, BLOCK, out)).isZero();
        return out.get();
    }

    @Test
    void readsComeFromMemoryTheSecondTime() {
        boot(RumpConfig.builder());
        BufCache bc = BufCache.withLimit(kernel, 16 * BLOCK);
        CachedBlock b = bread(bc, 5);
        assertThat(b.bytes()).containsOnly(5);
        bc.brelse(b);
        bc.brelse(bread(bc, 5));
        assertThat(dev.reads.get()).isEqualTo(1);
        assertThat(bc.hits()).isEqualTo(1);
        assertThat(bc.misses()).isEqualTo(1);
    }

    @Test
    void delayedWrites_reachTheDeviceOnFlush() {
        boot(RumpConfig.builder());
        BufCache bc = BufCache.withLimit(kernel, 16 * BLOCK);
        for (int blk : new int[] {9, 3, 7}) {
            CachedBlock b = bread(bc, blk);
            Arrays.fill(b.bytes(), (byte) (100 + blk));
            bc.bdwrite(b);
        }
        assertThat(dev.writes.get()).isZero();
        assertThat(dev.disk[3 * BLOCK]).isEqualTo((byte) 3);
        assertThat(bc.dirtyBlocks()).isEqualTo(3);
        // a rewrite of a dirty block is still one write
        CachedBlock again = bread(bc, 3);
        again.bytes()[0] = 42;
        bc.bdwrite(again);
        assertThat(bc.flush(devvp)).isZero();
        assertThat(dev.writes.get()).isEqualTo(3);
        assertThat(dev.disk[3 * BLOCK]).isEqualTo((byte) 42);
        assertThat(dev.disk[3 * BLOCK + 1]).isEqualTo((byte) 103);
        assertThat(dev.disk[9 * BLOCK]).isEqualTo((byte) 109);
        assertThat(bc.dirtyBlocks()).isZero();
        assertThat(bc.flush(devvp)).isZero();
        assertThat(dev.writes.get()).isEqualTo(3);
    }

    @Test
    void theBoundHolds_andEvictedDirtyBlocksAreWrittenFirst() {
        boot(RumpConfig.builder());
        BufCache bc = BufCache.withLimit(kernel, 8 * BLOCK);
        for (int blk = 0; blk < BLOCKS; blk++) {
            CachedBlock b = bread(bc, blk);
            b.bytes()[1] = (byte) (blk + 1);
            bc.bdwrite(b);
            assertThat(bc.bytes()).isLessThanOrEqualTo(8 * BLOCK);
        }
        assertThat(dev.writes.get()).isGreaterThanOrEqualTo(BLOCKS - 8);
        bc.flush(null);
        for (int blk = 0; blk < BLOCKS; blk++) {
            assertThat(dev.disk[blk * BLOCK + 1]).as("block %d", blk).isEqualTo((byte) (blk + 1));
            assertThat(dev.disk[blk * BLOCK]).isEqualTo((byte) blk);
        }
    }

    @Test
    void aBusyBlock_makesOthersWait() throws Exception {
        boot(RumpConfig.builder());
        BufCache bc = BufCache.withLimit(kernel, 16 * BLOCK);
        CachedBlock mine = bread(bc, 1);
        CompletableFuture<Byte> other = CompletableFuture.supplyAsync(() -> {
            CachedBlock b = bread(bc, 1);
            byte first = b.bytes()[0];
            bc.brelse(b);
            return first;
        });
        Thread.sleep(50);
        assertThat(other).isNotDone();
        mine.bytes()[0] = 77;
        bc.bdwrite(mine);
        assertThat(other.get(5, TimeUnit.SECONDS)).isEqualTo((byte) 77);
    }

    @Test
    void deviceErrors_areReported_andLoseNothing() {
        boot(RumpConfig.builder());
        BufCache bc = BufCache.withLimit(kernel, 2 * BLOCK);
        dev.failReads = true;
        Out<CachedBlock> out = new Out<>();
        assertThat(bc.bread(devvp, 0, BLOCK, out)).isEqualTo(Errno.EIO.number());
        assertThat(bc.bytes()).isZero(); // a failed read caches nothing
        dev.failReads = false;
        CachedBlock b = bread(bc, 0);
        b.bytes()[5] = 55;
        bc.bdwrite(b);
        CachedBlock c = bread(bc, 1);
        bc.bdwrite(c);
        dev.failWrites = true;
        // room for block 2 needs a write-back that fails: the read fails, the dirty data stays
        assertThat(bc.bread(devvp, 2L * SECTORS, BLOCK, out)).isEqualTo(Errno.EIO.number());
        assertThat(bc.flush(devvp)).isEqualTo(Errno.EIO.number());
        assertThat(bc.dirtyBlocks()).isEqualTo(2);
        dev.failWrites = false;
        assertThat(bc.flush(devvp)).isZero();
        assertThat(dev.disk[5]).isEqualTo((byte) 55);
        // reading past the device's end is an error, not zeros
        assertThat(bc.bread(devvp, (long) BLOCKS * SECTORS, BLOCK, out)).isEqualTo(Errno.EIO.number());
        assertThat(bc.bread(devvp, 0, 100, out)).isEqualTo(Errno.EINVAL.number());
        assertThat(bc.bread(devvp, -2, BLOCK, out)).isEqualTo(Errno.EINVAL.number());
    }

    @Test
    void getblk_skipsTheRead_andInvalidateForgets() {
        boot(RumpConfig.builder());
        BufCache bc = BufCache.withLimit(kernel, 16 * BLOCK);
        Out<CachedBlock> out = new Out<>();
        assertThat(bc.getblk(devvp, 4L * SECTORS, BLOCK, out)).isZero();
        assertThat(out.get().bytes()).containsOnly(0);
        Arrays.fill(out.get().bytes(), (byte) 9);
        bc.bdwrite(out.get());
        assertThat(dev.reads.get()).isZero();
        assertThat(bc.invalidate(devvp, false)).isZero();
        assertThat(bc.bytes()).isZero();
        assertThat(dev.disk[4 * BLOCK + 100]).isEqualTo((byte) 9);
        CachedBlock b = bread(bc, 4);
        b.bytes()[0] = 1;
        bc.bdwrite(b);
        bc.invalidate(devvp, true); // discarded: the device keeps its own
        assertThat(dev.disk[4 * BLOCK]).isEqualTo((byte) 9);
        // the same block at another size: the old copy goes first
        CachedBlock small = bread(bc, 4);
        small.bytes()[0] = 3;
        bc.bdwrite(small);
        Out<CachedBlock> half = new Out<>();
        assertThat(bc.bread(devvp, 4L * SECTORS, BufCache.DEV_BSIZE, half)).isZero();
        assertThat(half.get().bytes()[0]).isEqualTo((byte) 3);
        bc.brelse(half.get());
    }

    @Test
    void theSyncerWritesDelayedBlocks_afterTheSyncDelay() throws Exception {
        SimHypercalls sim = new SimHypercalls(1);
        boot(RumpConfig.builder().hypervisor(RumpConfig.Hypervisor.of(sim)));
        BufCache bc = BufCache.of(kernel);
        CachedBlock b = bread(bc, 2);
        b.bytes()[0] = 123;
        bc.bdwrite(b);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (dev.disk[2 * BLOCK] != 123) {
            assertThat(System.nanoTime()).as("the syncer never ran").isLessThan(until);
            Thread.sleep(5);
        }
        assertThat(kernel.uptimeNanos()).isGreaterThanOrEqualTo(BufCache.SYNC_DELAY_SECONDS * 1_000_000_000L);
        assertThat(bc.dirtyBlocks()).isZero();
    }

    @Test
    void halt_writesWhatIsDirty() {
        boot(RumpConfig.builder());
        BufCache bc = BufCache.of(kernel);
        CachedBlock b = bread(bc, 6);
        b.bytes()[0] = 66;
        bc.bdwrite(b);
        rk.halt();
        rk = null;
        assertThat(dev.disk[6 * BLOCK]).isEqualTo((byte) 66);
    }
}
