package jrump.fs.cd9660;

import java.nio.file.Path;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;

/** A kernel with an image registered as the block device /dev/cd and mounted read-only at /mnt. */
final class IsoMount {
    static final String MNT = "/mnt";

    private IsoMount() {
    }

    static RumpKernel boot(Path image) {
        RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build());
        rk.pub().etfsRegister("/dev/cd", image.toString(), Sys.RUMP_ETFS_BLK);
        rk.syscalls().mkdir(MNT, 0755);
        return rk;
    }

    /** Boots and mounts with {@code options} (null for none); a refused mount closes the kernel. */
    static RumpKernel mount(Path image, String options) {
        RumpKernel rk = boot(image);
        try {
            rk.syscalls().mount("cd9660", MNT, Sys.MNT_RDONLY, options == null ? "/dev/cd" : "/dev/cd," + options);
            return rk;
        } catch (RuntimeException e) {
            rk.close();
            throw e;
        }
    }
}
