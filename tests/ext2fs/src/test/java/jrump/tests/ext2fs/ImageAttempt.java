package jrump.tests.ext2fs;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;

/**
 * Mounts an image that may be corrupt read-only and walks all of it, on a thread of its own under the
 * per-image time limit: boot, register, mount (which may be refused with any errno), {@link RobustWalk},
 * unmount, halt. What it may not do is throw anything but RumpException out of a system call, hang, leave
 * the kernel panicked or fail to halt: each of those fails the caller, naming the image.
 */
final class ImageAttempt {
    /** How it went: {@code refused} is the mount's errno (null when it mounted). */
    record Outcome(Errno refused, RobustWalk.Result walk, Errno unmountError, boolean halted, String state) {
        /** The one-line summary the corpus tests print. */
        String summary() {
            if (refused != null) return "refused (" + refused + ")";
            return "mounted, walked " + walk + (unmountError != null ? ", unmount " + unmountError : "");
        }
    }

    private ImageAttempt() {
    }

    static Outcome run(String name, Path image) {
        return run(name, image, false);
    }

    /**
     * As {@link #run(String, Path)}; {@code readWrite} mounts read-write and, after the walk, also makes,
     * writes, renames and removes a few names (each may fail with an errno, nothing else).
     */
    static Outcome run(String name, Path image, boolean readWrite) {
        AtomicReference<RumpKernel> kernel = new AtomicReference<>();
        try {
            return TimeLimit.run(name, TimeLimit.seconds(), () -> attempt(image, kernel, readWrite));
        } catch (AssertionError e) {
            // a kernel left behind by a hang: halt it in the background, without waiting for it
            RumpKernel rk = kernel.get();
            if (rk != null) Thread.ofPlatform().daemon().start(rk::halt);
            throw e;
        }
    }

    private static Outcome attempt(Path image, AtomicReference<RumpKernel> kernel, boolean readWrite) {
        RumpKernel rk = Ext2Mount.bootEmpty();
        kernel.set(rk);
        Errno refused = null;
        RobustWalk.Result walk = null;
        Errno unmountError = null;
        boolean halted;
        try {
            try {
                // an image etfs will not take (an empty file) is refused as well as one ext2fs will not mount
                Ext2Mount.register(rk, image);
                if (readWrite) Ext2Mount.mountReadWrite(rk);
                else Ext2Mount.mountReadOnly(rk);
            } catch (RumpException e) {
                refused = e.errno();
            }
            if (refused == null) {
                walk = RobustWalk.walk(rk.syscalls(), Ext2Mount.MNT);
                if (readWrite) changeSome(rk.syscalls());
                try {
                    rk.syscalls().unmount(Ext2Mount.MNT, 0);
                } catch (RumpException e) {
                    unmountError = e.errno();
                }
            }
        } finally {
            halted = rk.halt();
        }
        return new Outcome(refused, walk, unmountError, halted, rk.state());
    }

    /** A few changes of every kind; on a damaged image each may fail with an errno, and only so. */
    private static void changeSome(jrump.rumpkern.Syscalls sys) {
        String m = Ext2Mount.MNT;
        tryCall(() -> sys.mkdir(m + "/jrump-dir", 0755));
        tryCall(() -> {
            int fd = sys.open(m + "/jrump-dir/file", jrump.rumpkern.Sys.O_RDWR | jrump.rumpkern.Sys.O_CREAT, 0644);
            try {
                sys.write(fd, java.nio.ByteBuffer.allocate(70_000));
                sys.ftruncate(fd, 5000);
                sys.fsync(fd);
            } finally {
                sys.close(fd);
            }
        });
        tryCall(() -> sys.rename(m + "/jrump-dir/file", m + "/jrump-moved"));
        tryCall(() -> sys.symlink("jrump-moved", m + "/jrump-link"));
        tryCall(() -> sys.unlink(m + "/jrump-moved"));
        tryCall(() -> sys.rmdir(m + "/jrump-dir"));
        tryCall(() -> sys.unlink(m + "/lost+found/nothing"));
    }

    private static void tryCall(Runnable r) {
        try {
            r.run();
        } catch (RumpException e) {
            // an errno is an acceptable answer from a damaged file system
        }
    }
}
