/**
 * rumpkern: the kernel core of a rump kernel. Users boot a {@link jrump.rumpkern.RumpKernel} and call it
 * through {@link jrump.rumpkern.Syscalls} and {@link jrump.rumpkern.RumpkernPub}. The package
 * {@code jrump.rumpkern.kernel} is the interface between the kernel's factions (exported to them as they
 * arrive); {@code jrump.rumpkern.impl} is private to this module.
 */
module jrump.rumpkern {
    requires transitive jrump.rumpuser;

    exports jrump.rumpkern;
    exports jrump.rumpkern.kernel to jrump.rumpvfs, jrump.rumpdev, jrump.rumpnet, jrump.net.netinet, jrump.net.shmif, jrump.net.memif, jrump.net.sockin, jrump.net.virtif, jrump.fs.tmpfs,
            jrump.fs.ext2fs, jrump.fs.msdosfs, jrump.fs.cd9660, jrump.dev.cgd, jrump.fs.ffs;

    uses jrump.rumpkern.kernel.RumpComponent;
    provides jrump.rumpkern.kernel.RumpComponent with jrump.rumpkern.impl.KernSysComponent;
}
