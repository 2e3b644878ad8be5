package jrump.tests.ext2fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Host commands (e2fsprogs, coreutils, bzip2) and hashing. A missing tool fails the test that needs it
 * with the Debian package to install (scripts/apt-packages.txt lists them): a skipped test would hide it.
 */
final class Tools {
    private Tools() {
    }

    /** What a command did: its exit code and its output, as bytes because file names are bytes. */
    record Result(List<String> command, int exit, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** Fails unless the exit code is one of {@code ok}. */
        Result expect(int... ok) {
            for (int e : ok) {
                if (exit == e) return this;
            }
            throw new AssertionError(String.join(" ", command) + " exited " + exit + "\nstderr: " + stderr
                    + "\nstdout: " + abbreviate(out(), 4000));
        }
    }

    /** Where each tool comes from, for the failure message when one is missing. */
    private static String packageOf(String tool) {
        return switch (tool) {
            case "mke2fs", "e2fsck", "debugfs", "dumpe2fs" -> "e2fsprogs";
            case "bzip2" -> "bzip2";
            default -> "coreutils";
        };
    }

    /** The path of {@code tool} in the usual places, or an AssertionError naming the package to install. */
    static String require(String tool) {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return p.toString();
        }
        throw new AssertionError(tool + " is missing: install the Debian package " + packageOf(tool)
                + " (scripts/setup installs what scripts/apt-packages.txt lists)");
    }

    /** Runs {@code tool args...} with no input and waits for it (at most 10 minutes). */
    static Result run(String tool, String... args) {
        return run(null, tool, args);
    }

    /** As {@link #run(String, String...)}, with {@code stdin} fed to the command when not null. */
    static Result run(byte[] stdin, String tool, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(require(tool));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // e2fsprogs' messages in English whatever the host's locale; names are bytes anyway
        pb.environment().put("LC_ALL", "C.UTF-8");
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin);
            }
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish in 10 minutes");
            }
            return new Result(cmd, p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + cmd, e);
        }
    }

    /** Runs {@code tool args...} with its standard output written to {@code out}; fails unless it exits 0. */
    static void runTo(Path out, String tool, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(require(tool));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile());
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish in 10 minutes");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " exited " + p.exitValue() + ": "
                        + new String(err.join(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + cmd, e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static String sha256(byte[] data) {
        return hex(sha256().digest(data));
    }

    /** SHA-256 of a host file's bytes. */
    static String sha256(Path file) {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return hex(md.digest());
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "... (" + (s.length() - max) + " more characters)";
    }
}
