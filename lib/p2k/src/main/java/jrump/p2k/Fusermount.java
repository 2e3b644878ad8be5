package jrump.p2k;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;

/**
 * Mounting without root through fusermount3 (fuse3's set-uid helper): it opens /dev/fuse, mounts it, and
 * hands the descriptor back over the UNIX socket named by {@code _FUSE_COMMFD} in an SCM_RIGHTS message
 * (the protocol libfuse's fuse_mount_fusermount uses). Unmounting is {@code fusermount3 -u}.
 */
final class Fusermount {
    private static final Linker LINKER = Linker.nativeLinker();
    /** AF_UNIX, SOCK_STREAM (bits/socket.h); SOL_SOCKET, SCM_RIGHTS (asm-generic/socket.h). */
    private static final int AF_UNIX = 1, SOCK_STREAM = 1, SOL_SOCKET = 1, SCM_RIGHTS = 1;
    /** struct msghdr on LP64: name, namelen(+pad), iov, iovlen, control, controllen, flags(+pad). */
    private static final int MSGHDR_SIZE = 56;
    /** CMSG_SPACE(sizeof(int)): a 16-byte cmsghdr {len, level, type} and the int, padded to 8. */
    private static final int CMSG_SPACE_INT = 24;

    private static final MethodHandle SOCKETPAIR = handle("socketpair", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle POSIX_SPAWN = handle("posix_spawn", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle RECVMSG = handle("recvmsg", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle WAITPID = handle("waitpid", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private Fusermount() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)), fd);
    }

    /** The fusermount3 program on PATH, or null. */
    static String program() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            File f = new File(dir, "fusermount3");
            if (f.canExecute()) return f.getPath();
        }
        return null;
    }

    /** Mounts through fusermount3 with {@code options} (-o); the /dev/fuse descriptor it hands back. */
    static int mount(Path mnt, String options) throws IOException {
        String prog = program();
        if (prog == null) throw new IOException(mnt + ": mounting without root needs fusermount3 (package fuse3)");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sv = a.allocate(ValueLayout.JAVA_INT, 2);
            if ((int) SOCKETPAIR.invokeExact(AF_UNIX, SOCK_STREAM, 0, sv) != 0) throw new IOException("socketpair failed");
            int mine = sv.getAtIndex(ValueLayout.JAVA_INT, 0);
            int theirs = sv.getAtIndex(ValueLayout.JAVA_INT, 1);
            try {
                int pid = spawn(a, prog, List.of("fusermount3", "-o", options, "--", mnt.toString()),
                        List.of("_FUSE_COMMFD=" + theirs, "PATH=/usr/bin:/bin"));
                Libc.close(theirs);
                theirs = -1;
                int fd = receiveFd(a, mine);
                int status = waitFor(a, pid);
                if (fd < 0) {
                    throw new IOException(mnt + ": fusermount3 failed (exit status " + (status >> 8 & 0xff)
                            + "; its own message is on standard error)");
                }
                return fd;
            } finally {
                Libc.close(mine);
                if (theirs >= 0) Libc.close(theirs);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("fusermount3: " + t, t);
        }
    }

    private static int spawn(Arena a, String prog, List<String> argv, List<String> env) throws Throwable {
        MemorySegment args = strings(a, argv);
        MemorySegment envp = strings(a, env);
        MemorySegment pid = a.allocate(ValueLayout.JAVA_INT);
        int r = (int) POSIX_SPAWN.invokeExact(pid, a.allocateFrom(prog), MemorySegment.NULL, MemorySegment.NULL, args, envp);
        if (r != 0) throw new IOException("posix_spawn " + prog + ": errno " + r);
        return pid.get(ValueLayout.JAVA_INT, 0);
    }

    /** A NULL-terminated char *[]. */
    private static MemorySegment strings(Arena a, List<String> list) {
        MemorySegment arr = a.allocate(ValueLayout.ADDRESS, list.size() + 1);
        for (int i = 0; i < list.size(); i++) arr.setAtIndex(ValueLayout.ADDRESS, i, a.allocateFrom(list.get(i)));
        arr.setAtIndex(ValueLayout.ADDRESS, list.size(), MemorySegment.NULL);
        return arr;
    }

    /** recvmsg of one byte with an SCM_RIGHTS descriptor; -1 when fusermount3 closed the socket without one. */
    private static int receiveFd(Arena a, int sock) throws Throwable {
        MemorySegment data = a.allocate(1);
        MemorySegment iov = a.allocate(16); // struct iovec {base, len}
        iov.set(ValueLayout.ADDRESS, 0, data);
        iov.set(ValueLayout.JAVA_LONG, 8, 1);
        MemorySegment control = a.allocate(CMSG_SPACE_INT, 8);
        MemorySegment msg = a.allocate(MSGHDR_SIZE, 8);
        msg.set(ValueLayout.ADDRESS, 16, iov);
        msg.set(ValueLayout.JAVA_LONG, 24, 1);
        msg.set(ValueLayout.ADDRESS, 32, control);
        msg.set(ValueLayout.JAVA_LONG, 40, CMSG_SPACE_INT);
        long n;
        do {
            n = (long) RECVMSG.invokeExact(sock, msg, 0);
        } while (n < 0); // EINTR; a closed socket reads 0
        if (n == 0) return -1;
        long cmsgLen = control.get(ValueLayout.JAVA_LONG, 0);
        int level = control.get(ValueLayout.JAVA_INT, 8);
        int type = control.get(ValueLayout.JAVA_INT, 12);
        if (cmsgLen < 20 || level != SOL_SOCKET || type != SCM_RIGHTS) return -1;
        return control.get(ValueLayout.JAVA_INT, 16);
    }

    private static int waitFor(Arena a, int pid) throws Throwable {
        MemorySegment status = a.allocate(ValueLayout.JAVA_INT);
        int r = (int) WAITPID.invokeExact(pid, status, 0);
        return r == pid ? status.get(ValueLayout.JAVA_INT, 0) : -1;
    }

    /** fusermount3 -u (with -z: lazily, when busy); true when it succeeded. */
    static boolean unmount(Path mnt, boolean lazy) {
        String prog = program();
        if (prog == null) return false;
        try {
            Process p = new ProcessBuilder(lazy ? List.of(prog, "-u", "-z", "--", mnt.toString()) : List.of(prog, "-u", "--", mnt.toString()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
