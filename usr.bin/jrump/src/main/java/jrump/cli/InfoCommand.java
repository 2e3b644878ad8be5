package jrump.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SequencedMap;
import java.util.concurrent.Callable;

import jrump.ukfs.ImageInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jrump info IMAGE...}: partition table, file system type, label, UUID, sizes and features, without mounting. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show an image's partition table and the file systems in it (type, label, UUID, sizes, features).")
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "IMAGE", arity = "1..*")
    Path[] images;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int status = 0;
        for (Path image : images) {
            ImageInfo info;
            try {
                if (Files.isDirectory(image)) throw new CliException(image + ": Is a directory");
                info = ImageInfo.of(image);
            } catch (NoSuchFileException e) {
                throw new CliException(image + ": No such file or directory");
            } catch (IOException e) {
                throw new CliException(image + ": " + e.getMessage());
            }
            out.printf("%s: %s, partition table: %s%n", image, size(info.sizeBytes()), info.table());
            for (ImageInfo.Slice s : info.slices()) {
                String indent = "  ";
                if (s.number() > 0) {
                    out.printf("partition %d: %s at %d, %s%n", s.number(), s.kind(), s.offset(), size(s.size()));
                    indent = "    ";
                }
                print(out, indent, s.fileSystem());
                if (s.fileSystem() == null && s.number() == 0) status = 1;
            }
        }
        return status;
    }

    private static void print(PrintWriter out, String indent, SequencedMap<String, String> fs) {
        if (fs == null) {
            out.println(indent + "no file system jrump knows");
            return;
        }
        int width = fs.keySet().stream().mapToInt(String::length).max().orElse(0) + 1;
        for (Map.Entry<String, String> e : fs.entrySet()) out.printf("%s%-" + width + "s %s%n", indent, e.getKey() + ":", e.getValue());
    }

    private static String size(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        String u = "bytes";
        for (String unit : units) {
            if (v < 1024) break;
            v /= 1024;
            u = unit;
        }
        return u.equals("bytes") ? bytes + " bytes" : String.format("%.1f %s (%d bytes)", v, u, bytes);
    }
}
