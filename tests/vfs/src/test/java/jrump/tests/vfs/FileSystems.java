package jrump.tests.vfs;

import java.util.List;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;

/**
 * The file systems the suite runs on (NetBSD's ATF_TC_FSAPPLY list) and what each can do, so that a case
 * that needs symlinks on a file system without them checks the errno instead (FSTYPE_X predicates).
 */
final class FileSystems {
    private FileSystems() {
    }

    /** What a file system supports. */
    record Capabilities(boolean symlinks, boolean hardLinks, boolean fifos, boolean ownership) {
        static final Capabilities FULL = new Capabilities(true, true, true, true);
    }

    /** One file system under test: how to make a kernel with it mounted at {@link #MNT}. */
    record Fs(String name, Capabilities caps, String type) {
        @Override
        public String toString() {
            return name;
        }

        /** Boots a kernel and mounts a fresh file system of this type at /mnt (or uses the root's). */
        RumpKernel boot() {
            RumpKernel rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).build());
            rk.syscalls().mkdir(MNT, 0755);
            if (type != null) rk.syscalls().mount(type, MNT, 0, null);
            return rk;
        }

        /** After the content is made read-write: remount read-only (FSAPPLY_RO); false if it cannot be. */
        boolean remountReadOnly(RumpKernel rk) {
            if (type == null) return false;
            rk.syscalls().mount(type, MNT, Sys.MNT_UPDATE | Sys.MNT_RDONLY, null);
            return true;
        }
    }

    static final String MNT = "/mnt";

    /** rumpfs as the root file system (a directory of it) and rumpfs mounted; file systems join as they land. */
    static List<Fs> all() {
        return List.of(
                new Fs("rumpfs-root", Capabilities.FULL, null),
                new Fs("rumpfs", Capabilities.FULL, "rumpfs"),
                new Fs("tmpfs", Capabilities.FULL, "tmpfs"));
    }

    /** The ones that can be remounted read-only (ATF_TC_FSAPPLY_RO). */
    static List<Fs> remountable() {
        return all().stream().filter(f -> f.type() != null).toList();
    }
}
