package jrump.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import jrump.rumpkern.RumpException;
import jrump.ukfs.Ukfs;
import picocli.CommandLine.Option;

/**
 * The options every image command shares (-t TYPE, --partition, --offset, --size, -o ro) and the images one command
 * opened, each mounted once and closed (unmounted, synced) when the command ends.
 */
final class Images implements AutoCloseable {
    @Option(names = {"-t", "--type"}, description = "file system type (default: detected)")
    String type;

    @Option(names = "--partition", paramLabel = "N", description = "the file system is MBR or GPT partition N (numbered as sfdisk does)")
    int partition;

    @Option(names = "--offset", description = "the file system starts this many bytes into the image")
    long offset;

    @Option(names = "--size", description = "and is this many bytes long (default: to the image's end)", defaultValue = "-1")
    long size;

    @Option(names = "-o", description = "mount options: ro (never write the image)")
    String options;

    @picocli.CommandLine.Mixin
    CgdOptions cgd = new CgdOptions();

    private final Map<Path, Ukfs> open = new LinkedHashMap<>();

    /** The mounted image of {@code p}, read-write only when the command changes it (and -o ro does not forbid it). */
    Ukfs of(ImagePath p, boolean write) {
        Path key = p.image().toAbsolutePath().normalize();
        Ukfs u = open.get(key);
        boolean ro = !write || (options != null && options.contains("ro"));
        if (u != null) {
            if (!ro && u.readOnly()) throw new CliException(p.image() + ": opened read-only");
            return u;
        }
        if (partition > 0 && (offset != 0 || size != -1)) throw new CliException("--partition and --offset/--size exclude each other");
        Ukfs.Options o = (ro ? Ukfs.Options.reading() : Ukfs.Options.writing()).withType(type).withWindow(offset, size).withPartition(partition);
        if (cgd.active()) {
            if (!java.nio.file.Files.exists(p.image())) throw new CliException(p.image() + ": No such file or directory");
            o = o.withLayer(cgd.layer(p.image(), false));
        }
        try {
            u = Ukfs.mount(p.image(), o);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CliException(p.image() + ": No such file or directory");
        } catch (IOException e) {
            throw new CliException(e.getMessage());
        } catch (RumpException e) {
            throw new CliException(p.image() + ": cannot mount: " + e.errno().message());
        }
        open.put(key, u);
        return u;
    }

    /** A kernel error on a path, as the C tools say it: "IMAGE:PATH: No such file or directory". */
    static CliException failure(ImagePath p, RumpException e) {
        return new CliException(p + ": " + e.errno().message());
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (Ukfs u : open.values()) {
            try {
                u.close();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        open.clear();
        if (first != null) throw new CliException("closing an image: " + first.getMessage());
    }
}
