package jrump.cli;

import static jrump.cli.HostTools.tool;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.dev.cgd.CgdParams;
import jrump.dev.cgd.Keygen;

/**
 * Encrypted images from the command line: cgdconfig -g writes parameters files, newfs/makefs make file
 * systems inside cgd images, ls/cp/cat work in them with --cgd, a wrong passphrase is refused. The images
 * are decrypted by an independent implementation (scripts/cgd-decrypt.py, OpenSSL's AES) and the plain
 * result checked by e2fsck and fsck.fat.
 */
class CgdCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    private Path params;
    private Path pass;
    private Path wrong;
    private byte[] big;

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        raw.reset();
        return Jrump.run(raw, new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @BeforeEach
    void setUp() throws Exception {
        params = tmp.resolve("params");
        pass = Files.writeString(tmp.resolve("pass"), "correct horse battery staple\n");
        wrong = Files.writeString(tmp.resolve("wrong"), "incorrect horse\n");
        assertThat(run("cgdconfig", "-g", "--iterations", "2000", "-o", params.toString(), "aes-xts", "256")).as(err.toString()).isZero();
        big = new byte[2 << 20];
        new SplittableRandom(11).nextBytes(big);
    }

    @AfterEach
    void environment() {
        CgdOptions.environment = System.getenv();
    }

    @Test
    void generate_writesAParametersFileCgdconfigsWay() throws Exception {
        String text = Files.readString(params);
        assertThat(text).startsWith("algorithm aes-xts;\niv-method encblkno1;\nkeylength 256;\nverify_method none;\nkeygen pkcs5_pbkdf2/sha1 {\n        iterations 2000;\n        salt ");
        CgdParams p = CgdParams.parse(text, "params");
        assertThat(p.keygens().getFirst().saltBits()).isEqualTo(128);
        assertThat(Files.getPosixFilePermissions(params)).hasToString("[OWNER_READ, OWNER_WRITE]");

        assertThat(run("cgdconfig", "-g", "-k", "storedkey", "-i", "encblkno8", "--vmeth", "mbr", "aes-cbc", "192")).isZero();
        CgdParams s = CgdParams.parse(out.toString(), "stdout");
        assertThat(s.keygens().getFirst().method()).isEqualTo(Keygen.Method.STOREDKEY);
        assertThat(s.keyLength()).isEqualTo(192);

        assertThat(run("cgdconfig", "-g", "aes-xts", "128")).isEqualTo(1);
        assertThat(err.toString()).contains("keylength 128: aes-xts takes [256, 512]");
        assertThat(run("cgdconfig", "-g", "-k", "magic", "aes-xts")).isEqualTo(1);
        assertThat(err.toString()).contains("-k magic");
    }

    @Test
    void ext2fs_inACgdImage_newfsCpLsCat_andE2fsckCleanAfterIndependentDecryption() throws Exception {
        Path img = tmp.resolve("secret.img");
        String[] cgd = {"--cgd", params.toString(), "--passphrase-file", pass.toString()};
        assertThat(run(cat(new String[] {"newfs", "-t", "ext2fs", "-s", "32m"}, cgd, img.toString()))).as(err.toString()).isZero();
        Path tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("sub"));
        Files.write(tree.resolve("sub/big.bin"), big);
        Files.writeString(tree.resolve("hello.txt"), "hello, encrypted world\n");
        assertThat(run(cat(new String[] {"cp", "-r"}, cgd, tree.toString(), img + ":/t"))).as(err.toString()).isZero();
        assertThat(run(cat(new String[] {"ls"}, cgd, img + ":/t"))).as(err.toString()).isZero();
        assertThat(out.toString().lines()).containsExactly("hello.txt", "sub");
        CgdOptions.environment = Map.of("JRUMP_PW", "correct horse battery staple");
        assertThat(run("cat", "--cgd", params.toString(), "--passphrase-env", "JRUMP_PW", img + ":/t/sub/big.bin")).as(err.toString()).isZero();
        assertThat(raw.toByteArray()).isEqualTo(big);

        byte[] image = Files.readAllBytes(img);
        assertThat(containsRunOf(image, big)).as("plaintext in the image").isFalse();
        Path plain = decrypt(img, "aes-xts", "encblkno1", key(pass));
        tool("e2fsck", "-fn", plain.toString());
        assertThat(tool("debugfs", "-R", "cat /t/hello.txt", plain.toString())).contains("hello, encrypted world");

        // the wrong passphrase: refused, nothing mounted, nothing written
        assertThat(run("ls", "--cgd", params.toString(), "--passphrase-file", wrong.toString(), img + ":/")).isEqualTo(1);
        assertThat(err.toString()).contains("wrong passphrase");
        assertThat(run("cgdconfig", "-V", "--passphrase-file", wrong.toString(), img.toString(), params.toString())).isEqualTo(1);
        assertThat(run("cgdconfig", "-V", "--passphrase-file", pass.toString(), img.toString(), params.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("passphrase verified").contains("ext2fs");
        assertThat(Files.readAllBytes(img)).isEqualTo(image);
    }

    @Test
    void ffs_makefsIntoACgdImage_readsBack_andMountsThroughFuse() throws Exception {
        Path img = tmp.resolve("ufs.img");
        Path tree = tmp.resolve("ufs-tree");
        Files.createDirectories(tree.resolve("sub"));
        Files.write(tree.resolve("sub/big.bin"), big);
        Files.writeString(tree.resolve("hello.txt"), "hello, encrypted UFS\n");
        String[] cgd = {"--cgd", params.toString(), "--passphrase-file", pass.toString()};
        assertThat(run(cat(new String[] {"makefs", "-t", "ffs"}, cgd, img.toString(), tree.toString()))).as(err.toString()).isZero();
        assertThat(run(cat(new String[] {"cat"}, cgd, img + ":/sub/big.bin"))).as(err.toString()).isZero();
        assertThat(raw.toByteArray()).isEqualTo(big);
        assertThat(containsRunOf(Files.readAllBytes(img), big)).as("plaintext in the image").isFalse();
        assertThat(run("ls", img + ":/")).as("without the key: no file system").isEqualTo(1);

        // the same through FUSE: a daemon that has no terminal takes the passphrase from a file
        Path mnt = Files.createDirectory(tmp.resolve("mnt-cgd-" + ProcessHandle.current().pid()));
        assertThat(run("mount", "--cgd", params.toString(), img.toString(), mnt.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("--passphrase-file");
        StringWriter daemonErr = new StringWriter();
        java.util.concurrent.CompletableFuture<Integer> daemon = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                Jrump.run(new PrintWriter(new StringWriter(), true), new PrintWriter(daemonErr, true),
                        cat(new String[] {"mount", "-f", "-o", "ro"}, cgd, img.toString(), mnt.toString())));
        try {
            for (int i = 0; i < 300 && !mounted(mnt) && !daemon.isDone(); i++) Thread.sleep(20);
            assertThat(mounted(mnt)).as(daemonErr.toString()).isTrue();
            assertThat(Files.readString(mnt.resolve("hello.txt"))).isEqualTo("hello, encrypted UFS\n");
            assertThat(Files.readAllBytes(mnt.resolve("sub/big.bin"))).isEqualTo(big);
        } finally {
            if (mounted(mnt)) tool("umount", mnt.toString());
        }
        assertThat(daemon.get(60, java.util.concurrent.TimeUnit.SECONDS)).as(daemonErr.toString()).isZero();
    }

    private static boolean mounted(Path mnt) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream().anyMatch(l -> l.split(" ")[1].equals(mnt.toString()));
    }

    @Test
    void msdos_makefsIntoACgdImage_readsBack_andFsckFatCleanAfterIndependentDecryption() throws Exception {
        Path cbc = tmp.resolve("cbc.params");
        assertThat(run("cgdconfig", "-g", "--iterations", "1000", "-i", "encblkno8", "--vmeth", "mbr", "-o", cbc.toString(), "aes-cbc", "256")).isZero();
        Path tree = tmp.resolve("fat");
        Files.createDirectories(tree);
        Files.write(tree.resolve("BIG.BIN"), big);
        Path img = tmp.resolve("fat.img");
        assertThat(run("makefs", "-t", "msdos", "-s", "8m", "--cgd", cbc.toString(), "--passphrase-file", pass.toString(), img.toString(), tree.toString()))
                .as(err.toString()).isZero();
        assertThat(run("cat", "--cgd", cbc.toString(), "--passphrase-file", pass.toString(), img + ":/BIG.BIN")).as(err.toString()).isZero();
        assertThat(raw.toByteArray()).isEqualTo(big);
        assertThat(containsRunOf(Files.readAllBytes(img), big)).isFalse();
        CgdParams p = CgdParams.parse(Files.readString(cbc), "cbc");
        Path plain = decrypt(img, "aes-cbc", "encblkno8", p.key(Files.readString(pass).strip().getBytes(StandardCharsets.UTF_8), n -> null));
        tool("fsck.fat", "-n", plain.toString());
        // verify_method mbr: the boot sector's signature decides before any mount
        assertThat(run("ls", "--cgd", cbc.toString(), "--passphrase-file", wrong.toString(), img + ":/")).isEqualTo(1);
        assertThat(err.toString()).contains("wrong passphrase? verify_method mbr");
    }

    @Test
    void badParametersAndPassphrases_areOneLineErrors() throws Exception {
        Path img = tmp.resolve("x.img");
        Files.write(img, new byte[1 << 20]);
        Path bad = Files.writeString(tmp.resolve("bad"), "algorithm aes-xts;\nkeylength 300;\nkeygen randomkey;\n");
        assertThat(run("ls", "--cgd", bad.toString(), "--passphrase-file", pass.toString(), img + ":/")).isEqualTo(1);
        assertThat(err.toString()).contains("keylength 300").doesNotContain("Exception");
        assertThat(run("ls", "--cgd", tmp.resolve("none").toString(), "--passphrase-file", pass.toString(), img + ":/")).isEqualTo(1);
        assertThat(err.toString()).contains("No such file or directory");
        CgdOptions.environment = Map.of();
        assertThat(run("ls", "--cgd", params.toString(), "--passphrase-env", "UNSET_PW", img + ":/")).isEqualTo(1);
        assertThat(err.toString()).contains("UNSET_PW is not set");
        // zeros decrypt to noise: no file system, nothing mounted
        assertThat(run("ls", "--cgd", params.toString(), "--passphrase-file", pass.toString(), img + ":/")).isEqualTo(1);
        assertThat(err.toString()).contains("no file system this build knows").contains("wrong passphrase?");
    }

    private byte[] key(Path passFile) throws Exception {
        CgdParams p = CgdParams.parse(Files.readString(params), "params");
        return p.key(Files.readString(passFile).strip().getBytes(StandardCharsets.UTF_8), n -> null);
    }

    private Path decrypt(Path img, String alg, String iv, byte[] key) throws Exception {
        Path plain = tmp.resolve(img.getFileName() + ".plain");
        Path script = Path.of("../../scripts/cgd-decrypt.py").toAbsolutePath().normalize();
        tool("/usr/bin/python3", script.toString(), alg, iv, HexFormat.of().formatHex(key), img.toString(), plain.toString());
        return plain;
    }

    private static boolean containsRunOf(byte[] image, byte[] file) {
        Set<ByteBuffer> chunks = new HashSet<>();
        for (int off = 0; off + 64 <= file.length; off += 64) chunks.add(ByteBuffer.wrap(file, off, 64));
        for (int off = 0; off + 64 <= image.length; off += 64) if (chunks.contains(ByteBuffer.wrap(image, off, 64))) return true;
        return false;
    }

    private static String[] cat(String[] a, String[] b, String... c) {
        String[] r = new String[a.length + b.length + c.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        System.arraycopy(c, 0, r, a.length + b.length, c.length);
        return r;
    }
}
