package jrump.dev.cgd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import jrump.rumpkern.RumpKernel;
import jrump.rumpvfs.vnode.Buf;
import jrump.rumpvfs.vnode.Vop;

/**
 * The bytes cgd puts on the disk, decrypted by an implementation nobody here wrote: OpenSSL's AES-XTS and
 * AES-CBC through python3-cryptography (scripts/cgd-decrypt.py derives the IVs as cgd(4) does).
 * A missing python3-cryptography fails the test (scripts/apt-packages.txt installs it).
 */
class CrossCheckTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "aes-xts, 256, encblkno1",
        "aes-xts, 512, encblkno1",
        "aes-cbc, 128, encblkno1",
        "aes-cbc, 192, encblkno8",
        "aes-cbc, 256, encblkno8",
        "aes-cbc, 256, encblkno1"})
    void cgdSectors_decryptWithOpenSsl(String algorithm, int keyBits, String iv) throws Exception {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom r = new SplittableRandom(seed);
        byte[] key = new byte[keyBits / 8];
        r.nextBytes(key);
        CgdParams p = new CgdParams(algorithm, iv.equals("encblkno1") ? IvMethod.ENCBLKNO1 : IvMethod.ENCBLKNO8, keyBits,
                VerifyMethod.NONE, List.of(new Keygen(Keygen.Method.RANDOMKEY, 0, null, 0, null)));
        byte[] plain = new byte[300 * 512];
        r.nextBytes(plain);
        Path image = dir.resolve("x.img");
        Files.write(image, new byte[plain.length]);
        try (CgdLayer layer = new CgdLayer(p, key); RumpKernel rk = CgdImages.boot(image, layer, false)) {
            // written as a file system would: a run in the middle, then the rest around it
            write(layer, 100, plain, 100 * 512, 150 * 512);
            write(layer, 0, plain, 0, 100 * 512);
            write(layer, 250, plain, 250 * 512, 50 * 512);
        }
        Path out = dir.resolve("x.plain");
        Path script = Path.of("../../scripts/cgd-decrypt.py").toAbsolutePath().normalize(); // tests run in the module's directory
        Process py = new ProcessBuilder("/usr/bin/python3", script.toString(), algorithm, iv, HexFormat.of().formatHex(key),
                image.toString(), out.toString()).redirectErrorStream(true).start();
        String output = new String(py.getInputStream().readAllBytes());
        assertThat(py.waitFor()).as("python3 cgd_decrypt.py: %s", output).isZero();
        assertThat(Files.readAllBytes(out)).as("seed %d", seed).isEqualTo(plain);
        assertThat(CgdImages.containsRunOf(Files.readAllBytes(image), plain)).isFalse();
    }

    private static void write(CgdLayer layer, long sector, byte[] data, int off, int len) {
        Buf bp = new Buf(sector, ByteBuffer.wrap(data, off, len).slice(), false);
        assertThat(Vop.strategy(layer.device().vnode(), bp)).isZero();
        assertThat(bp.error).isZero();
        assertThat(bp.resid).isZero();
    }
}
