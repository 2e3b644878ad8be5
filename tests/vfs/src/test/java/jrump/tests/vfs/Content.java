package jrump.tests.vfs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jrump.rumpkern.Dirent;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/** Writing and reading whole files and directories through the system calls, for the cases' checks. */
final class Content {
    private Content() {
    }

    static void write(Syscalls sys, String path, String s) {
        write(sys, path, s.getBytes(StandardCharsets.UTF_8));
    }

    static void write(Syscalls sys, String path, byte[] data) {
        int fd = sys.open(path, Sys.O_CREAT | Sys.O_WRONLY | Sys.O_TRUNC, 0644);
        try {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) sys.write(fd, b);
        } finally {
            sys.close(fd);
        }
    }

    static byte[] read(Syscalls sys, String path) {
        int fd = sys.open(path, Sys.O_RDONLY, 0);
        try {
            return readAll(sys, fd);
        } finally {
            sys.close(fd);
        }
    }

    static String readString(Syscalls sys, String path) {
        return new String(read(sys, path), StandardCharsets.UTF_8);
    }

    /** Everything from the descriptor's offset to the end of the file. */
    static byte[] readAll(Syscalls sys, int fd) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(8192);
        while (sys.read(fd, b.clear()) > 0) out.write(b.array(), 0, b.position());
        return out.toByteArray();
    }

    /** {@code length} bytes that differ from offset to offset and from seed to seed. */
    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) (i * 31 + i / 251 + seed * 7 + 1);
        return b;
    }

    /** The names in a directory, without "." and "..". */
    static List<String> names(Syscalls sys, String dir) {
        return entries(sys, dir).stream().map(Dirent::name).toList();
    }

    /** The entries of a directory, without "." and "..". */
    static List<Dirent> entries(Syscalls sys, String dir) {
        int fd = sys.open(dir, Sys.O_RDONLY | Sys.O_DIRECTORY, 0);
        try {
            List<Dirent> out = new ArrayList<>();
            ByteBuffer b = ByteBuffer.allocate(8192);
            int n;
            while ((n = sys.getdents(fd, b.clear())) > 0) {
                for (Dirent d : Dirent.parse(b.flip(), n)) {
                    if (!d.name().equals(".") && !d.name().equals("..")) out.add(d);
                }
            }
            return out;
        } finally {
            sys.close(fd);
        }
    }
}
