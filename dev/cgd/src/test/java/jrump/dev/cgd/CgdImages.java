package jrump.dev.cgd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpvfs.tool.MakefsTree;

/** What the cgd tests share: images written through an EncryptingWriter, kernels with a cgd attached. */
final class CgdImages {
    static final String LOWER = "/dev/img";
    static final String CGD = "/dev/cgd0";
    static final String MNT = "/mnt";

    private CgdImages() {
    }

    static CgdParams params(String algorithm, IvMethod iv, int keyBits, VerifyMethod verify) {
        byte[] salt = new byte[16];
        for (int i = 0; i < salt.length; i++) salt[i] = (byte) (17 * i + 3);
        return new CgdParams(algorithm, iv, keyBits, verify, List.of(Keygen.pbkdf2(16, salt)));
    }

    static byte[] key(CgdParams p, String passphrase) {
        try {
            return p.key(passphrase.getBytes(java.nio.charset.StandardCharsets.UTF_8), n -> new byte[n]);
        } catch (ParamsException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh file system made by {@code mkfs} through the cgd's encryption into {@code image}, {@code size} bytes. */
    static void newfs(Path image, CgdParams p, byte[] key, long size, Mkfs mkfs) throws Exception {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             SectorCipher c = SectorCipher.of(p, key)) {
            EncryptingWriter w = new EncryptingWriter(c, new EncryptingWriter.Raw() {
                @Override
                public void write(long off, ByteBuffer data) throws IOException {
                    while (data.hasRemaining()) off += ch.write(data, off);
                }

                @Override
                public int read(long off, ByteBuffer dst) throws IOException {
                    return ch.read(dst, off);
                }
            });
            mkfs.make(w::write, size);
            w.finish(size);
        }
    }

    @FunctionalInterface
    interface Mkfs {
        void make(Sink sink, long size) throws IOException;
    }

    @FunctionalInterface
    interface Sink {
        void write(long off, ByteBuffer data) throws IOException;
    }

    static void newfsMsdos(Sink s, long size) throws IOException {
        jrump.fs.msdosfs.Newfs.format(jrump.fs.msdosfs.Newfs.Options.of(size), s::write);
    }

    static void newfsExt4(Sink s, long size) throws IOException {
        long now = 1_700_000_000_000_000_000L;
        var root = new MakefsTree.Dir(new MakefsTree.Attrs(0755, 0, 0, now, now, now), List.of());
        var o = new jrump.fs.ext2fs.Makefs.Options(jrump.fs.ext2fs.Makefs.Flavor.EXT4, 1024, size, 0, null, null, 7, now);
        jrump.fs.ext2fs.Makefs.build(root, o, s::write);
    }

    /** A kernel with {@code image} at {@link #LOWER} and the layer's cgd over it at {@link #CGD}. */
    static RumpKernel boot(Path image, CgdLayer layer, boolean readOnly) throws Exception {
        RumpKernel rk = RumpKernel.boot(layer.configure(RumpConfig.builder().diagnostic(true)).build());
        try {
            rk.pub().etfsRegister(LOWER, image.toString(), Sys.RUMP_ETFS_BLK);
            layer.attach(CGD, LOWER, readOnly);
            rk.syscalls().mkdir(MNT, 0755);
            return rk;
        } catch (Exception | Error e) {
            rk.close();
            throw e;
        }
    }

    /** Whether a run of 64 bytes of {@code file}, from a multiple of 64 in it, is anywhere in {@code image} at a multiple of 64. */
    static boolean containsRunOf(byte[] image, byte[] file) {
        Set<ByteBuffer> chunks = new HashSet<>();
        for (int off = 0; off + 64 <= file.length; off += 64) chunks.add(ByteBuffer.wrap(file, off, 64));
        for (int off = 0; off + 64 <= image.length; off += 64) {
            if (chunks.contains(ByteBuffer.wrap(image, off, 64))) return true;
        }
        return false;
    }

    static void writeFile(RumpKernel rk, String path, byte[] content) {
        var sys = rk.syscalls();
        int fd = sys.open(path, Sys.O_CREAT | Sys.O_WRONLY | Sys.O_TRUNC, 0644);
        try {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) sys.write(fd, b);
        } finally {
            sys.close(fd);
        }
    }

    static byte[] readFile(RumpKernel rk, String path) {
        var sys = rk.syscalls();
        int fd = sys.open(path, Sys.O_RDONLY, 0);
        try {
            long size = sys.fstat(fd).size();
            ByteBuffer b = ByteBuffer.allocate((int) size);
            while (b.hasRemaining()) {
                if (sys.read(fd, b) <= 0) break;
            }
            return b.array();
        } finally {
            sys.close(fd);
        }
    }

    static byte[] bytes(Path p) {
        try {
            return java.nio.file.Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
