package jrump.gen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Command line of the generators, run by the build:
 * {@code java jrump.gen.Main syscalls|ifspec|vnodeif SPECFILE OUTDIR}. Writes a file only when its text changed,
 * so incremental builds stay incremental.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: jrump.gen.Main syscalls|ifspec|vnodeif SPECFILE OUTDIR");
            System.exit(2);
        }
        Path spec = Path.of(args[1]);
        Path out = Path.of(args[2]);
        List<String> lines = Files.readAllLines(spec, StandardCharsets.UTF_8);
        String hash = sha256(Files.readAllBytes(spec));
        String name = spec.getFileName().toString();
        try {
            Map<String, String> files = switch (args[0]) {
                case "syscalls" -> new SyscallsGen(SyscallsMaster.parse(lines), name, hash).generate();
                case "ifspec" -> new IfSpecGen(IfSpec.parse(lines), name, hash).generate();
                case "vnodeif" -> new VnodeIfGen(VnodeIfSrc.parse(lines), name, hash).generate();
                default -> throw new SpecException("unknown generator " + args[0]);
            };
            write(out, files);
        } catch (SpecException e) {
            System.err.println(spec + ": " + e.getMessage());
            System.exit(1);
        }
    }

    static void write(Path out, Map<String, String> files) throws IOException {
        for (var f : files.entrySet()) {
            Path p = out.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            if (Files.exists(p) && Files.readString(p).equals(f.getValue())) continue;
            Files.writeString(p, f.getValue());
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
