package jrump.tests.ext2fs;

import java.nio.file.Path;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;

/**
 * The contract the ext2fs tests hold the file system to, through the kernel's public interfaces only: the
 * image is a block device registered with etfs, and mount(2) of type "ext2fs" takes the device's path as its
 * options string. Until fs/ext2fs is on the test classpath the mount answers ENODEV.
 */
final class Ext2Mount {
    static final String DEV = "/dev/img";
    static final String MNT = "/mnt";
    static final String TYPE = "ext2fs";

    private Ext2Mount() {
    }

    /** A kernel with {@code image} registered as the block device {@link #DEV} and an empty {@link #MNT}. */
    static RumpKernel boot(Path image) {
        RumpKernel rk = bootEmpty();
        try {
            register(rk, image);
            return rk;
        } catch (RuntimeException | Error e) {
            rk.halt();
            throw e;
        }
    }

    static RumpKernel bootEmpty() {
        return RumpKernel.boot(RumpConfig.builder().diagnostic(true).build());
    }

    /** Registers {@code image} as the block device {@link #DEV} and makes {@link #MNT}. */
    static void register(RumpKernel rk, Path image) {
        rk.pub().etfsRegister(DEV, image.toString(), Sys.RUMP_ETFS_BLK);
        rk.syscalls().mkdir(MNT, 0755);
    }

    /** Mounts the registered image read-only on {@link #MNT}. */
    static void mountReadWrite(RumpKernel rk) {
        rk.syscalls().mount(TYPE, MNT, 0, DEV);
    }

    static void mountReadOnly(RumpKernel rk) {
        rk.syscalls().mount(TYPE, MNT, Sys.MNT_RDONLY, DEV);
    }

    /** A kernel with {@code image} mounted read-only on {@link #MNT}; no kernel is left running if it fails. */
    static RumpKernel mountedReadOnly(Path image) {
        RumpKernel rk = boot(image);
        try {
            mountReadOnly(rk);
            return rk;
        } catch (RuntimeException | Error e) {
            rk.halt();
            throw e;
        }
    }
}
