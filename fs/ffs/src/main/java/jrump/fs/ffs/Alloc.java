package jrump.fs.ffs;

import jrump.rumpkern.Errno;

/** Block and inode allocation: not yet (read-write mounts are refused). */
final class Alloc {
    private Alloc() {
    }

    static Alloc open(Ffs fs) throws FfsError {
        throw new FfsError(Errno.EROFS, "read-write mounts are not supported yet: mount with MNT_RDONLY");
    }

    void finish() throws FfsError {
    }

    void writeSummaries(boolean clean) throws FfsError {
    }
}
