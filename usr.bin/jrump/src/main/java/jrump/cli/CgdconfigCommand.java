package jrump.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import jrump.dev.cgd.CgdParams;
import jrump.dev.cgd.Keygen;
import jrump.dev.cgd.ParamsException;
import jrump.rumpcrypto.CryptoException;
import jrump.rumpcrypto.KernelRandom;
import jrump.rumpcrypto.Pbkdf2;
import jrump.rumpkern.RumpException;
import jrump.ukfs.Ukfs;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * cgdconfig(8) for images: {@code -g} writes a parameters file (as cgdconfig -g), {@code -V} checks a
 * passphrase against an image (the parameters' verification method, then a recognised file system inside).
 */
@Command(name = "cgdconfig", mixinStandardHelpOptions = true,
        description = {"Make cgd(4) parameters files and check passphrases against encrypted images.",
            "  jrump cgdconfig -g [-k KGMETH] [-i IVMETH] [-V VMETH] [--iterations N] [-o PARAMSFILE] ALG [KEYLEN]",
            "  jrump cgdconfig -V [--passphrase-file F | --passphrase-env NAME] IMAGE PARAMSFILE"})
final class CgdconfigCommand implements Callable<Integer> {
    /** cgdconfig's DEFAULT_SALTLEN: 128 bits of salt. */
    static final int SALT_BYTES = 16;
    /** How long the generated PBKDF2 iteration count takes on this machine (cgdconfig calibrates the same way). */
    static final long CALIBRATION_NANOS = 1_000_000_000L;

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    static final class Action {
        @Option(names = "-g", description = "generate a parameters file", required = true)
        boolean generate;

        @Option(names = "-V", description = "verify a passphrase against IMAGE with PARAMSFILE", required = true)
        boolean verify;
    }

    @Option(names = "-k", paramLabel = "KGMETH", description = "key generation: pkcs5_pbkdf2/sha1 (default), storedkey, randomkey",
            defaultValue = "pkcs5_pbkdf2/sha1")
    String keygen;

    @Option(names = "-i", paramLabel = "IVMETH", description = "IV method: encblkno1 (default), encblkno8", defaultValue = "encblkno1")
    String ivMethod;

    @Option(names = "--vmeth", paramLabel = "VMETH", description = "verification method written by -g: none (default), disklabel, ffs, mbr, gpt, re-enter",
            defaultValue = "none")
    String verifyMethod;

    @Option(names = "--iterations", paramLabel = "N", description = "PBKDF2 iterations (default: what takes about a second here)")
    Integer iterations;

    @Option(names = "-o", paramLabel = "PARAMSFILE", description = "write the parameters file there (default: standard output)")
    Path output;

    @Mixin
    CgdOptions cgd;

    @Parameters(paramLabel = "ARGS", description = "-g: ALG [KEYLEN]; -V: IMAGE PARAMSFILE")
    List<String> args;

    @Override
    public Integer call() throws Exception {
        return action.generate ? generate() : verify();
    }

    private int generate() throws Exception {
        if (args.isEmpty() || args.size() > 2) throw new IllegalArgumentException("-g takes ALG [KEYLEN]: aes-xts 256");
        String keylen = args.size() > 1 ? "keylength " + args.get(1) + ";\n" : "";
        CgdParams shape; // the statements checked as a parameters file would be: algorithm, lengths, methods
        try {
            shape = CgdParams.parse("algorithm " + args.get(0) + ";\niv-method " + ivMethod + ";\n" + keylen
                    + "verify_method " + verifyMethod + ";\nkeygen randomkey;\n", "-g");
        } catch (ParamsException e) {
            throw new CliException(e.getMessage().replaceFirst("^-g, line \\d+: ", "").replaceFirst("^-g: ", ""));
        }
        Keygen kg = switch (keygen) {
            case "pkcs5_pbkdf2/sha1", "pkcs5_pbkdf2" -> {
                int n = iterations != null ? iterations : calibrate();
                if (n < 1) throw new CliException("--iterations " + n + ": at least 1");
                byte[] salt = KernelRandom.bytes(CgdOptions.hypercalls(), SALT_BYTES);
                yield new Keygen(keygen.equals("pkcs5_pbkdf2") ? Keygen.Method.PKCS5_PBKDF2 : Keygen.Method.PKCS5_PBKDF2_SHA1, n, salt, SALT_BYTES * 8, null);
            }
            case "storedkey" -> new Keygen(Keygen.Method.STOREDKEY, 0, null, 0, KernelRandom.bytes(CgdOptions.hypercalls(), shape.keyLength() / 8));
            case "randomkey" -> new Keygen(Keygen.Method.RANDOMKEY, 0, null, 0, null);
            case "urandomkey" -> new Keygen(Keygen.Method.URANDOMKEY, 0, null, 0, null);
            default -> throw new CliException("-k " + keygen + ": pkcs5_pbkdf2/sha1, pkcs5_pbkdf2, storedkey, randomkey or urandomkey");
        };
        CgdParams p = new CgdParams(shape.algorithm(), shape.ivMethod(), shape.keyLength(), shape.verifyMethod(), List.of(kg));
        String out = p.format();
        if (output != null) {
            Files.writeString(output, out, StandardCharsets.UTF_8);
            if (Files.getFileStore(output).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(output, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            }
        } else {
            spec.commandLine().getOut().print(out);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    /** pkcs5_pbkdf2_calibrate: the iteration count that takes about {@link #CALIBRATION_NANOS} here. */
    static int calibrate() throws CryptoException {
        byte[] pass = new byte[64];
        byte[] salt = new byte[64];
        for (int c = 1024;; c *= 2) {
            long t0 = System.nanoTime();
            Pbkdf2.derive("hmac-sha1", pass, salt, c, 32);
            long t = System.nanoTime() - t0;
            if (t > 50_000_000L || c >= 1 << 28) return (int) Math.min(1 << 30, Math.max(1024, (long) c * CALIBRATION_NANOS / Math.max(1, t)));
        }
    }

    private int verify() throws Exception {
        if (args.size() != 2) throw new IllegalArgumentException("-V takes IMAGE PARAMSFILE");
        Path image = Path.of(args.get(0));
        cgd.params = Path.of(args.get(1));
        if (!Files.exists(image)) throw new CliException(image + ": No such file or directory");
        CgdParams p;
        try {
            p = CgdOptions.read(cgd.params);
        } catch (ParamsException e) {
            throw new CliException(e.getMessage());
        }
        try (Ukfs u = Ukfs.mount(image, Ukfs.Options.reading().withLayer(cgd.layer(image, false)))) {
            spec.commandLine().getOut().printf("%s: passphrase verified (verify_method %s; holds %s)%n", image, p.verifyMethod().keyword(), u.type());
        } catch (IOException e) {
            throw new CliException(e.getMessage());
        } catch (RumpException e) {
            throw new CliException(image + ": wrong passphrase? the file system refuses to mount: " + e.errno().message());
        }
        return 0;
    }
}
