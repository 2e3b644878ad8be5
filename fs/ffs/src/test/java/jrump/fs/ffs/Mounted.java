package jrump.fs.ffs;

import java.nio.file.Path;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;

/** A kernel with an image registered as the block device /dev/ffs and mounted at /mnt. */
final class Mounted {
    static final String MNT = "/mnt";
    static final String DEV = "/dev/ffs";

    private Mounted() {
    }

    static RumpKernel boot(Path image) {
        RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build());
        rk.pub().etfsRegister(DEV, image.toString(), Sys.RUMP_ETFS_BLK);
        rk.syscalls().mkdir(MNT, 0755);
        return rk;
    }

    /** Boots and mounts ({@code flags}: 0 or MNT_RDONLY); a refused mount closes the kernel and rethrows. */
    static RumpKernel mount(Path image, int flags) {
        RumpKernel rk = boot(image);
        try {
            rk.syscalls().mount("ffs", MNT, flags, DEV);
            return rk;
        } catch (RuntimeException e) {
            rk.close();
            throw e;
        }
    }

    static RumpKernel readOnly(Path image) {
        return mount(image, Sys.MNT_RDONLY);
    }
}
