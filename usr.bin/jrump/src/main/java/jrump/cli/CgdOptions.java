package jrump.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import jrump.dev.cgd.CgdLayer;
import jrump.dev.cgd.CgdParams;
import jrump.dev.cgd.ParamsException;
import jrump.dev.cgd.SectorCipher;
import jrump.rumpcrypto.ConstantTime;
import jrump.rumpcrypto.KernelRandom;
import jrump.rumpdev.DiskException;
import jrump.rumpkern.RumpConfig;
import jrump.rumpuser.host.HostHypercalls;
import jrump.ukfs.DeviceLayer;
import picocli.CommandLine.Option;

/**
 * {@code --cgd PARAMSFILE}: the image is a cgd(4) disk, its key made from the parameters file and a
 * passphrase read from the terminal without echo, from a file (--passphrase-file) or from an environment
 * variable (--passphrase-env NAME).
 */
final class CgdOptions {
    /** The cgd's name inside the private kernel. */
    static final String CGD = "/dev/cgd0";

    @Option(names = "--cgd", paramLabel = "PARAMSFILE", description = "the image is encrypted (cgd); its cgdconfig parameters file")
    Path params;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "read the cgd passphrase from FILE (one line)")
    Path passphraseFile;

    @Option(names = "--passphrase-env", paramLabel = "NAME", description = "take the cgd passphrase from environment variable NAME")
    String passphraseEnv;

    /** The environment --passphrase-env reads (tests replace it). */
    static Map<String, String> environment = System.getenv();

    /** Whether the passphrase comes from a file or the environment (a detached daemon has no terminal). */
    boolean passphraseWithoutTerminal() {
        return passphraseFile != null || passphraseEnv != null;
    }

    boolean active() {
        return params != null;
    }

    CgdParams parsedParams() {
        try {
            return read(params);
        } catch (ParamsException e) {
            throw new CliException(e.getMessage());
        }
    }

    static CgdParams read(Path file) throws ParamsException {
        try {
            return CgdParams.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (NoSuchFileException e) {
            throw new CliException(file + ": No such file or directory");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new CliException(file + ": not a parameters file (not text)");
        } catch (IOException e) {
            throw new CliException(file + ": " + e.getMessage());
        }
    }

    /**
     * The disk's key for {@code image}. {@code confirm}: a new disk, so a passphrase typed at the terminal
     * is asked twice (also when verify_method is re-enter).
     */
    byte[] key(Path image, boolean confirm) {
        CgdParams p = parsedParams();
        byte[] pass = p.needsPassphrase() ? passphrase(image, confirm || p.verifyMethod() == jrump.dev.cgd.VerifyMethod.REENTER) : new byte[0];
        try {
            return p.key(pass, n -> KernelRandom.bytes(hypercalls(), n));
        } catch (ParamsException e) {
            throw new CliException(e.getMessage());
        } finally {
            Arrays.fill(pass, (byte) 0);
        }
    }

    static HostHypercalls hypercalls() {
        return new HostHypercalls(Map.of(), false, null);
    }

    /** The passphrase's bytes (UTF-8, no line end). */
    byte[] passphrase(Path image, boolean twice) {
        if (passphraseFile != null && passphraseEnv != null) throw new CliException("give --passphrase-file or --passphrase-env, not both");
        if (passphraseFile != null) {
            try {
                byte[] b = Files.readAllBytes(passphraseFile);
                int n = b.length;
                if (n > 0 && b[n - 1] == '\n') n--;
                if (n > 0 && b[n - 1] == '\r') n--;
                byte[] out = Arrays.copyOf(b, n);
                Arrays.fill(b, (byte) 0);
                return nonEmpty(out);
            } catch (NoSuchFileException e) {
                throw new CliException(passphraseFile + ": No such file or directory");
            } catch (IOException e) {
                throw new CliException(passphraseFile + ": " + e.getMessage());
            }
        }
        if (passphraseEnv != null) {
            String v = environment.get(passphraseEnv);
            if (v == null) throw new CliException("environment variable " + passphraseEnv + " is not set");
            return nonEmpty(v.getBytes(StandardCharsets.UTF_8));
        }
        Console c = System.console();
        if (c == null) throw new CliException(image + ": no terminal to ask the passphrase on: give --passphrase-file or --passphrase-env");
        char[] first = c.readPassword("%s's passphrase: ", image);
        if (first == null) throw new CliException(image + ": no passphrase");
        byte[] a = utf8(first);
        if (twice) {
            char[] again = c.readPassword("re-enter passphrase: ");
            byte[] b = again == null ? new byte[0] : utf8(again);
            boolean same = ConstantTime.equals(a, b);
            Arrays.fill(b, (byte) 0);
            if (!same) {
                Arrays.fill(a, (byte) 0);
                throw new CliException("passphrases did not match");
            }
        }
        return nonEmpty(a);
    }

    private static byte[] nonEmpty(byte[] pass) {
        if (pass.length == 0) throw new CliException("empty passphrase");
        return pass;
    }

    private static byte[] utf8(char[] chars) {
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        Arrays.fill(chars, '\0');
        byte[] out = new byte[b.remaining()];
        b.get(out);
        if (b.hasArray()) Arrays.fill(b.array(), (byte) 0);
        return out;
    }

    /** The ukfs layer that puts a cgd under the file system of {@code image}. */
    DeviceLayer layer(Path image, boolean confirm) {
        byte[] key = key(image, confirm);
        try {
            return new Layer(image, new CgdLayer(parsedParams(), key));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The sector cipher for writing a new image (newfs, makefs); the passphrase is confirmed. */
    SectorCipher cipher(Path image) {
        byte[] key = key(image, true);
        try {
            return SectorCipher.of(parsedParams(), key);
        } catch (ParamsException e) {
            throw new CliException(e.getMessage());
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** CgdLayer as ukfs's DeviceLayer. */
    private record Layer(Path image, CgdLayer cgd) implements DeviceLayer {
        @Override
        public RumpConfig.Builder configure(RumpConfig.Builder config) {
            return cgd.configure(config);
        }

        @Override
        public String attach(String lowerPath, boolean readOnly) throws IOException {
            try {
                cgd.attach(CGD, lowerPath, readOnly);
                return CGD;
            } catch (DiskException e) {
                throw new IOException(image + ": " + e.getMessage(), e);
            }
        }

        @Override
        public int read(long offset, ByteBuffer dst) throws IOException {
            try {
                return cgd.read(offset, dst);
            } catch (DiskException e) {
                throw new IOException(image + ": " + e.getMessage(), e);
            }
        }

        @Override
        public long size() {
            return cgd.device().size();
        }

        @Override
        public void close() {
            cgd.detach();
        }
    }
}
