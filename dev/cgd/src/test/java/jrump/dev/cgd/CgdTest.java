package jrump.dev.cgd;

import static jrump.dev.cgd.CgdImages.CGD;
import static jrump.dev.cgd.CgdImages.MNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import jrump.rumpdev.DiskException;
import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpvfs.vnode.Buf;
import jrump.rumpvfs.vnode.Vop;

/** File systems inside cgd images: written and read back through the encryption, nothing plain on the disk. */
class CgdTest {
    private static final long SIZE = 16L << 20;

    @TempDir
    Path dir;

    static Stream<Arguments> fileSystems() {
        return Stream.of(
                Arguments.of("ext2fs", (CgdImages.Mkfs) CgdImages::newfsExt4, "aes-xts", IvMethod.ENCBLKNO1, 256),
                Arguments.of("ext2fs", (CgdImages.Mkfs) CgdImages::newfsExt4, "aes-cbc", IvMethod.ENCBLKNO1, 256),
                Arguments.of("msdos", (CgdImages.Mkfs) CgdImages::newfsMsdos, "aes-xts", IvMethod.ENCBLKNO1, 512),
                Arguments.of("msdos", (CgdImages.Mkfs) CgdImages::newfsMsdos, "aes-cbc", IvMethod.ENCBLKNO8, 128));
    }

    @ParameterizedTest(name = "{0} on {2} {4} {3}")
    @MethodSource("fileSystems")
    void fileSystem_writtenThroughCgd_readsBackIdentical_andTheDiskHoldsNoPlaintext(String type, CgdImages.Mkfs mkfs,
            String algorithm, IvMethod iv, int keyBits) throws Exception {
        long seed = new SplittableRandom().nextLong();
        byte[] content = new byte[3 << 20];
        new SplittableRandom(seed).nextBytes(content);
        CgdParams p = CgdImages.params(algorithm, iv, keyBits, VerifyMethod.NONE);
        byte[] key = CgdImages.key(p, "open sesame");
        Path image = dir.resolve("cgd.img");
        CgdImages.newfs(image, p, key, SIZE, mkfs);

        try (CgdLayer layer = new CgdLayer(p, key); RumpKernel rk = CgdImages.boot(image, layer, false)) {
            rk.syscalls().mount(type, MNT, 0, CGD);
            rk.syscalls().mkdir(MNT + "/d", 0755);
            CgdImages.writeFile(rk, MNT + "/d/data.bin", content);
            rk.syscalls().unmount(MNT, 0);
        }
        byte[] raw = CgdImages.bytes(image);
        assertThat(raw).hasSize((int) SIZE);
        assertThat(CgdImages.containsRunOf(raw, content)).as("plaintext on the disk (seed %d)", seed).isFalse();

        try (CgdLayer layer = new CgdLayer(p, key); RumpKernel rk = CgdImages.boot(image, layer, true)) {
            rk.syscalls().mount(type, MNT, jrump.rumpkern.Sys.MNT_RDONLY, CGD);
            assertThat(CgdImages.readFile(rk, MNT + "/d/data.bin")).as("seed %d", seed).isEqualTo(content);
            rk.syscalls().unmount(MNT, 0);
        }
        assertThat(CgdImages.bytes(image)).as("a read-only mount never writes").isEqualTo(raw);
    }

    /** The oracle of the plaintext check finds the file in an image without cgd (so it could fail above). */
    @Test
    void plaintextCheck_findsTheFileOnAPlainImage() throws Exception {
        byte[] content = new byte[1 << 20];
        new SplittableRandom(1).nextBytes(content);
        Path image = dir.resolve("plain.img");
        try (var ch = java.nio.channels.FileChannel.open(image, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            CgdImages.newfsMsdos((off, data) -> {
                while (data.hasRemaining()) off += ch.write(data, off);
            }, SIZE);
        }
        try (RumpKernel rk = RumpKernel.boot()) {
            rk.pub().etfsRegister("/dev/img", image.toString(), jrump.rumpkern.Sys.RUMP_ETFS_BLK);
            rk.syscalls().mkdir(MNT, 0755);
            rk.syscalls().mount("msdos", MNT, 0, "/dev/img");
            CgdImages.writeFile(rk, MNT + "/data.bin", content);
            rk.syscalls().unmount(MNT, 0);
        }
        assertThat(CgdImages.containsRunOf(CgdImages.bytes(image), content)).isTrue();
    }

    /** verify_method mbr on a FAT image (its boot sector ends in 55 AA): a wrong passphrase configures nothing. */
    @Test
    void wrongPassphrase_rejectedByTheVerificationMethod() throws Exception {
        CgdParams p = CgdImages.params("aes-xts", IvMethod.ENCBLKNO1, 256, VerifyMethod.MBR);
        Path image = dir.resolve("v.img");
        CgdImages.newfs(image, p, CgdImages.key(p, "right"), SIZE, CgdImages::newfsMsdos);
        try (CgdLayer good = new CgdLayer(p, CgdImages.key(p, "right")); RumpKernel rk = CgdImages.boot(image, good, true)) {
            rk.syscalls().mount("msdos", MNT, jrump.rumpkern.Sys.MNT_RDONLY, CGD);
        }
        CgdLayer bad = new CgdLayer(p, CgdImages.key(p, "wrong"));
        assertThatThrownBy(() -> CgdImages.boot(image, bad, true)).isInstanceOf(DiskException.class)
                .hasMessageContaining("wrong passphrase? verify_method mbr");
        assertThat(bad.device()).isNull();
    }

    /** verify_method none: the wrong key configures, but the file system finds noise and refuses to mount. */
    @Test
    void wrongPassphrase_withoutVerification_isNotMounted() throws Exception {
        CgdParams p = CgdImages.params("aes-xts", IvMethod.ENCBLKNO1, 256, VerifyMethod.NONE);
        Path image = dir.resolve("n.img");
        CgdImages.newfs(image, p, CgdImages.key(p, "right"), SIZE, CgdImages::newfsExt4);
        byte[] before = CgdImages.bytes(image);
        try (CgdLayer layer = new CgdLayer(p, CgdImages.key(p, "wrong")); RumpKernel rk = CgdImages.boot(image, layer, false)) {
            assertThatThrownBy(() -> rk.syscalls().mount("ext2fs", MNT, 0, CGD)).isInstanceOf(RumpException.class);
            assertThat(rk.syscalls().statvfs1(MNT, 0).fstypename()).isEqualTo("rumpfs");
        }
        assertThat(CgdImages.bytes(image)).as("nothing written").isEqualTo(before);
    }

    /** Detaching unconfigures: the name is gone, the vnode answers ENXIO (its keys are wiped). */
    @Test
    void detach_unconfigures() throws Exception {
        CgdParams p = CgdImages.params("aes-xts", IvMethod.ENCBLKNO1, 256, VerifyMethod.NONE);
        Path image = dir.resolve("d.img");
        Files.write(image, new byte[1 << 20]);
        CgdLayer layer = new CgdLayer(p, CgdImages.key(p, "x"));
        try (RumpKernel rk = CgdImages.boot(image, layer, false)) {
            CgdDevice dev = layer.device();
            assertThat(dev.size()).isEqualTo(1 << 20);
            layer.detach();
            Buf bp = new Buf(0, ByteBuffer.allocate(512), true);
            Vop.strategy(dev.vnode(), bp);
            assertThat(bp.error).isEqualTo(Errno.ENXIO.number());
            assertThatThrownBy(() -> rk.syscalls().mount("ext2fs", MNT, 0, CGD)).isInstanceOf(RumpException.class)
                    .satisfies(e -> assertThat(((RumpException) e).errno()).isEqualTo(Errno.ENOENT));
        }
    }

    /** NetBSD's disk bounds: the last sector, a transfer cut short at the end, one past it, partial sectors. */
    @Test
    void strategy_bounds() throws Exception {
        CgdParams p = CgdImages.params("aes-cbc", IvMethod.ENCBLKNO1, 128, VerifyMethod.NONE);
        Path image = dir.resolve("b.img");
        Files.write(image, new byte[8 * 512 + 100]); // a partial last sector is not part of the cgd
        try (CgdLayer layer = new CgdLayer(p, CgdImages.key(p, "x")); RumpKernel rk = CgdImages.boot(image, layer, false)) {
            CgdDevice dev = layer.device();
            assertThat(dev.size()).isEqualTo(8 * 512);
            Buf over = new Buf(6, ByteBuffer.allocate(4 * 512), false);
            Vop.strategy(dev.vnode(), over);
            assertThat(over.error).isZero();
            assertThat(over.resid).isEqualTo(2 * 512);
            Buf atEnd = new Buf(8, ByteBuffer.allocate(512), true);
            Vop.strategy(dev.vnode(), atEnd);
            assertThat(atEnd.error).isZero();
            assertThat(atEnd.resid).isEqualTo(512);
            Buf past = new Buf(9, ByteBuffer.allocate(512), true);
            Vop.strategy(dev.vnode(), past);
            assertThat(past.error).isEqualTo(Errno.EINVAL.number());
            Buf partial = new Buf(0, ByteBuffer.allocate(100), true);
            Vop.strategy(dev.vnode(), partial);
            assertThat(partial.error).isEqualTo(Errno.EINVAL.number());
        }
    }
}
