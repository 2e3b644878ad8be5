package jrump.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

import jrump.dev.cgd.CgdLayer;
import jrump.dev.cgd.CgdParams;
import jrump.dev.cgd.EncryptingWriter;
import jrump.dev.cgd.IvMethod;
import jrump.dev.cgd.Keygen;
import jrump.dev.cgd.SectorCipher;
import jrump.dev.cgd.VerifyMethod;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpvfs.tool.MakefsTree;

/**
 * cgd's costs, run by scripts/bench-cgd beside openssl speed. {@code crypto}: the JDK's AES-ECB (the limit
 * XTS is built on) and cgd's sector encryption (aes-xts 256 and 512, aes-cbc 256) over a 64 MiB buffer in
 * 1 MiB pieces, best of 5, GB/s. {@code fs DIR MIB}: an ext4 image in DIR with and without cgd aes-xts-256;
 * a MIB-MiB file written sequentially (1 MiB writes, fsync, unmount) and read back in a fresh kernel.
 */
public final class CgdThroughput {
    private static final int MIB = 1 << 20;

    private CgdThroughput() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("crypto")) crypto();
        else fs(Path.of(args[1]), Integer.parseInt(args[2]));
    }

    static CgdParams params(String alg, int bits) {
        return new CgdParams(alg, IvMethod.ENCBLKNO1, bits, VerifyMethod.NONE, List.of(Keygen.pbkdf2(1, new byte[16])));
    }

    static byte[] key(int bits) {
        byte[] k = new byte[bits / 8];
        new SplittableRandom(bits).nextBytes(k);
        return k;
    }

    /** Runs everything once to warm the JIT up (the AES intrinsics come with C2), then measures. */
    private static void crypto() throws Exception {
        java.io.PrintStream real = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            cryptoRound();
        } finally {
            System.setOut(real);
        }
        cryptoRound();
    }

    private static void cryptoRound() throws Exception {
        byte[] buf = new byte[64 * MIB];
        new SplittableRandom(1).nextBytes(buf);
        byte[] out = new byte[MIB];
        for (int bits : new int[] {128, 256}) {
            Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key(bits), "AES"));
            System.out.printf("JDK AES-%d-ECB encrypt:          %.2f GB/s%n", bits, best(() -> {
                for (int off = 0; off < buf.length; off += MIB) ecb.update(buf, off, MIB, out, 0);
            }, buf.length));
        }
        for (Object[] c : new Object[][] {{"aes-xts", 256}, {"aes-xts", 512}, {"aes-cbc", 256}}) {
            int bits = (Integer) c[1];
            try (SectorCipher sc = SectorCipher.of(params((String) c[0], bits), key(bits))) {
                System.out.printf("cgd %s %d encrypt (sectors):  %.2f GB/s%n", c[0], bits, best(() -> {
                    for (int off = 0; off < buf.length; off += MIB) sc.encrypt(off / 512, buf, off, MIB);
                }, buf.length));
                System.out.printf("cgd %s %d decrypt (sectors):  %.2f GB/s%n", c[0], bits, best(() -> {
                    for (int off = 0; off < buf.length; off += MIB) sc.decrypt(off / 512, buf, off, MIB);
                }, buf.length));
            }
        }
    }

    interface Run {
        void run() throws Exception;
    }

    private static double best(Run r, long bytes) throws Exception {
        double best = 0;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            r.run();
            best = Math.max(best, bytes / ((System.nanoTime() - t0) / 1e9) / 1e9);
        }
        return best;
    }

    private static void fs(Path dir, int mib) throws Exception {
        long size = (long) (mib + mib / 4 + 64) * MIB;
        byte[] data = new byte[MIB];
        new SplittableRandom(2).nextBytes(data);
        for (int round = 0; round < 3; round++) {
            for (boolean cgd : new boolean[] {false, true}) {
                Path img = dir.resolve(cgd ? "cgd.img" : "plain.img");
                newfs(img, size, cgd);
                double w = write(img, cgd, mib, data);
                double r = read(img, cgd);
                System.out.printf("round %d, ext4 %-22s write %.2f GB/s, read %.2f GB/s%n", round, cgd ? "in cgd aes-xts-256:" : "plain:", w, r);
                Files.delete(img);
            }
        }
    }

    private static void newfs(Path img, long size, boolean cgd) throws IOException {
        long now = 1_700_000_000_000_000_000L;
        var root = new MakefsTree.Dir(new MakefsTree.Attrs(0755, 0, 0, now, now, now), List.of());
        var o = new jrump.fs.ext2fs.Makefs.Options(jrump.fs.ext2fs.Makefs.Flavor.EXT4, 4096, size, 0, null, null, 7, now);
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            EncryptingWriter.Raw raw = new EncryptingWriter.Raw() {
                @Override
                public void write(long off, ByteBuffer d) throws IOException {
                    while (d.hasRemaining()) off += ch.write(d, off);
                }

                @Override
                public int read(long off, ByteBuffer dst) throws IOException {
                    return ch.read(dst, off);
                }
            };
            if (cgd) {
                try (SectorCipher c = SectorCipher.of(params("aes-xts", 256), key(256))) {
                    EncryptingWriter w = new EncryptingWriter(c, raw);
                    var r = jrump.fs.ext2fs.Makefs.build(root, o, w::write);
                    w.finish(r.blocks() * r.blockSize());
                } catch (jrump.dev.cgd.ParamsException e) {
                    throw new IllegalStateException(e);
                }
            } else {
                var r = jrump.fs.ext2fs.Makefs.build(root, o, raw::write);
                if (ch.size() < r.blocks() * r.blockSize()) ch.write(ByteBuffer.allocate(1), r.blocks() * r.blockSize() - 1);
            }
        }
    }

    /** A kernel with the image mounted at /mnt (through a cgd when asked); the layer closes with it. */
    private static RumpKernel mount(Path img, boolean cgd, boolean readOnly, CgdLayer[] layer) throws Exception {
        RumpConfig.Builder b = RumpConfig.builder();
        if (cgd) {
            layer[0] = new CgdLayer(params("aes-xts", 256), key(256));
            b = layer[0].configure(b);
        }
        RumpKernel rk = RumpKernel.boot(b.build());
        rk.pub().etfsRegister("/dev/img", img.toString(), Sys.RUMP_ETFS_BLK);
        String dev = "/dev/img";
        if (cgd) {
            layer[0].attach("/dev/cgd0", "/dev/img", readOnly);
            dev = "/dev/cgd0";
        }
        rk.syscalls().mkdir("/mnt", 0755);
        rk.syscalls().mount("ext2fs", "/mnt", readOnly ? Sys.MNT_RDONLY : 0, dev);
        return rk;
    }

    private static double write(Path img, boolean cgd, int mib, byte[] data) throws Exception {
        CgdLayer[] layer = new CgdLayer[1];
        long t0 = System.nanoTime();
        try (RumpKernel rk = mount(img, cgd, false, layer)) {
            Syscalls sys = rk.syscalls();
            int fd = sys.open("/mnt/big", Sys.O_CREAT | Sys.O_WRONLY, 0644);
            ByteBuffer b = ByteBuffer.wrap(data);
            for (int i = 0; i < mib; i++) {
                b.clear();
                while (b.hasRemaining()) sys.write(fd, b);
            }
            sys.fsync(fd);
            sys.close(fd);
            sys.unmount("/mnt", 0);
        } finally {
            if (layer[0] != null) layer[0].close();
        }
        return (long) mib * MIB / ((System.nanoTime() - t0) / 1e9) / 1e9;
    }

    private static double read(Path img, boolean cgd) throws Exception {
        CgdLayer[] layer = new CgdLayer[1];
        try (RumpKernel rk = mount(img, cgd, true, layer)) {
            Syscalls sys = rk.syscalls();
            ByteBuffer buf = ByteBuffer.allocate(MIB);
            long t0 = System.nanoTime();
            int fd = sys.open("/mnt/big", Sys.O_RDONLY, 0);
            long bytes = 0;
            long n;
            while ((n = sys.read(fd, buf.clear())) > 0) bytes += n;
            sys.close(fd);
            return bytes / ((System.nanoTime() - t0) / 1e9) / 1e9;
        } finally {
            if (layer[0] != null) layer[0].close();
        }
    }
}
