package jrump.rumpvfs.vfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Out;
import jrump.rumpvfs.rumpfs.Rumpfs;
import jrump.rumpvfs.vnode.BufCache;
import jrump.rumpvfs.vnode.CachedBlock;
import jrump.rumpvfs.vnode.Mount;
import jrump.rumpvfs.vnode.TestComponents;
import jrump.rumpvfs.vnode.VfsType;
import jrump.rumpvfs.vnode.VfsTypes;
import jrump.rumpvfs.vnode.Vnode;

/**
 * Mounting from a block device: the fspec before the first comma is looked up (ENOTBLK, EBUSY for a
 * device in use), the file system gets its vnode, and an etfs BLK key is a device whose VOP_STRATEGY reads
 * and writes the host file's window through the buffer cache.
 */
class DeviceMountTest {
    @TempDir
    Path tmp;
    private RumpKernel rk;
    private Syscalls sys;
    private Kernel kernel;
    private final Vnode[] device = new Vnode[1];
    private final String[] options = new String[1];

    @BeforeEach
    void boot() {
        Kernel[] captured = new Kernel[1];
        rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).addComponent(TestComponents.vfs("devfs_test", k -> {
            captured[0] = k;
            VfsTypes.register(k, new VfsType() {
                @Override
                public String name() {
                    return "devtest";
                }

                @Override
                public int mount(Kernel kernel, Vnode covered, int flags, String opts, long fsid, Out<Mount> out) {
                    throw new AssertionError("a device type is mounted through mountFrom");
                }

                @Override
                public boolean usesDevice() {
                    return true;
                }

                @Override
                public int mountFrom(Kernel kernel, Vnode covered, int flags, Vnode devvp, String opts, long fsid, Out<Mount> out) {
                    device[0] = devvp;
                    options[0] = opts;
                    out.set(Rumpfs.create(kernel, covered, fsid, "devtest", Rumpfs.Limits.NONE));
                    return 0;
                }
            });
        })).build());
        kernel = captured[0];
        sys = rk.syscalls();
        sys.mkdir("/mnt", 0755);
        sys.mkdir("/mnt2", 0755);
    }

    @AfterEach
    void halt() {
        rk.halt();
    }

    @Test
    void mountFromAnEtfsBlockDevice_readsAndWritesThroughTheBufferCache() throws Exception {
        Path img = tmp.resolve("disk.img");
        byte[] content = new byte[8192];
        for (int i = 0; i < content.length; i++) content[i] = (byte) (i / 512);
        Files.write(img, content);
        rk.pub().etfsRegister("/dev/img", img.toString(), Sys.RUMP_ETFS_BLK);
        sys.mount("devtest", "/mnt", 0, "/dev/img,foo=1,bar");
        assertThat(options[0]).isEqualTo("foo=1,bar");
        assertThat(sys.statvfs1("/mnt", 0).mntfromname()).isEqualTo("/dev/img");
        BufCache bc = BufCache.withLimit(kernel, 1 << 20);
        Out<CachedBlock> b = new Out<>();
        assertThat(bc.bread(device[0], 4, 1024, b)).isZero();
        assertThat(b.get().bytes()[0]).isEqualTo((byte) 4);
        assertThat(b.get().bytes()[1023]).isEqualTo((byte) 5);
        b.get().bytes()[0] = 99;
        assertThat(bc.bwrite(b.get())).isZero();
        assertThat(Files.readAllBytes(img)[2048]).isEqualTo((byte) 99);
        // past the device's end: an error, not zeros
        assertThat(bc.bread(device[0], 16, 1024, b)).isEqualTo(Errno.EIO.number());
        // one mount per device
        assertThat(errnoOf(() -> sys.mount("devtest", "/mnt2", 0, "/dev/img"))).isEqualTo(Errno.EBUSY);
        sys.unmount("/mnt", 0);
        sys.mount("devtest", "/mnt2", 0, "/dev/img");
    }

    @Test
    void theFspecMustBeABlockDevice() throws Exception {
        Path f = tmp.resolve("f");
        Files.write(f, new byte[512]);
        rk.pub().etfsRegister("/dev/reg", f.toString(), Sys.RUMP_ETFS_REG);
        assertThat(errnoOf(() -> sys.mount("devtest", "/mnt", 0, "/dev/reg"))).isEqualTo(Errno.ENOTBLK);
        assertThat(errnoOf(() -> sys.mount("devtest", "/mnt", 0, "/dev/none"))).isEqualTo(Errno.ENOENT);
        assertThat(errnoOf(() -> sys.mount("devtest", "/mnt", 0, null))).isEqualTo(Errno.EINVAL);
        assertThat(errnoOf(() -> sys.mount("devtest", "/mnt", 0, "/mnt2"))).isEqualTo(Errno.ENOTBLK);
    }

    /** A kernel-made block device named with DeviceNodes: mount(2) finds it; the name is its owner's to remove. */
    @Test
    void deviceNodes_nameAKernelMadeDevice() {
        Vnode dev = new Vnode(kernel, new jrump.rumpvfs.vnode.VnodeOps() {
        }, jrump.rumpvfs.vnode.VType.VBLK, null);
        assertThat(jrump.rumpvfs.vnode.DeviceNodes.register(kernel, "/dev/cgd9", dev)).isZero();
        assertThat(jrump.rumpvfs.vnode.DeviceNodes.register(kernel, "/dev/cgd9", dev)).isEqualTo(Errno.EEXIST.number());
        assertThat(jrump.rumpvfs.vnode.DeviceNodes.lookup(kernel, "//dev/cgd9")).isSameAs(dev);
        Vnode dir = new Vnode(kernel, new jrump.rumpvfs.vnode.VnodeOps() {
        }, jrump.rumpvfs.vnode.VType.VDIR, null);
        assertThat(jrump.rumpvfs.vnode.DeviceNodes.register(kernel, "/dev/notblk", dir)).isEqualTo(Errno.ENOTBLK.number());
        sys.mount("devtest", "/mnt", 0, "/dev/cgd9,opt");
        assertThat(device[0]).isSameAs(dev);
        assertThat(options[0]).isEqualTo("opt");
        sys.unmount("/mnt", 0);
        assertThat(errnoOf(() -> rk.pub().etfsRemove("/dev/cgd9"))).as("etfs keys and devices are apart").isEqualTo(Errno.ENOENT);
        assertThat(jrump.rumpvfs.vnode.DeviceNodes.remove(kernel, "/dev/cgd9")).isZero();
        assertThat(jrump.rumpvfs.vnode.DeviceNodes.lookup(kernel, "/dev/cgd9")).isNull();
        assertThat(errnoOf(() -> sys.mount("devtest", "/mnt", 0, "/dev/cgd9"))).isEqualTo(Errno.ENOENT);
    }
}
