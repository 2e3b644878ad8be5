package jrump.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

import jrump.rumpkern.RumpException;
import jrump.rumpkern.Stat;
import jrump.ukfs.Ukfs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jrump ls [-l] [-a] [-R] [-d] IMAGE[:PATH]...}: ls(1) on paths inside images. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List directory contents inside an image (IMAGE:PATH).")
final class LsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Images images;

    @Option(names = "-l", description = "long format: mode, links, owner, group, size, date, name")
    boolean longFormat;

    @Option(names = "-a", description = "include . and .. and names starting with a dot")
    boolean all;

    @Option(names = "-R", description = "list subdirectories recursively")
    boolean recursive;

    @Option(names = "-d", description = "list directories themselves, not their contents")
    boolean directory;

    @Parameters(paramLabel = "IMAGE[:PATH]", arity = "1..*")
    List<String> targets;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        long now = System.currentTimeMillis() / 1000;
        try (Images opened = images) {
            boolean headers = targets.size() > 1 || recursive;
            boolean first = true;
            for (String t : targets) {
                ImagePath p = ImagePath.parse(t, true);
                Ukfs u = images.of(p, false);
                Stat s;
                try {
                    s = u.lstat(p.path());
                } catch (RumpException e) {
                    throw Images.failure(p, e);
                }
                if (directory || (s.mode() & Stat.S_IFMT) != Stat.S_IFDIR) {
                    print(out, u, p, p.path(), s, now);
                    continue;
                }
                first = listDir(out, u, p, headers, first, now);
            }
        }
        return 0;
    }

    private boolean listDir(PrintWriter out, Ukfs u, ImagePath p, boolean header, boolean first, long now) {
        List<Ukfs.Entry> entries;
        try {
            entries = new ArrayList<>(u.list(p.path()));
        } catch (RumpException e) {
            throw Images.failure(p, e);
        }
        if (all) {
            entries.add(new Ukfs.Entry(".", u.lstat(p.path())));
            entries.add(new Ukfs.Entry("..", u.lstat(p.path().equals("/") ? "/" : p.path() + "/..")));
        } else {
            entries.removeIf(e -> e.name().startsWith("."));
        }
        entries.sort(Comparator.comparing(Ukfs.Entry::name));
        if (header) {
            if (!first) out.println();
            out.println(p + ":");
        }
        if (longFormat) {
            long blocks = 0;
            for (Ukfs.Entry e : entries) blocks += e.stat().blocks();
            out.println("total " + blocks / 2); // ls counts 1 KiB units
        }
        for (Ukfs.Entry e : entries) print(out, u, p.child(e.name()), e.name(), e.stat(), now);
        if (recursive) {
            for (Ukfs.Entry e : entries) {
                if ((e.stat().mode() & Stat.S_IFMT) == Stat.S_IFDIR && !e.name().equals(".") && !e.name().equals("..")) {
                    listDir(out, u, p.child(e.name()), true, false, now);
                }
            }
        }
        return false;
    }

    private void print(PrintWriter out, Ukfs u, ImagePath p, String name, Stat s, long now) {
        if (!longFormat) {
            out.println(name);
            return;
        }
        String line = String.format("%s %3d %5d %5d %10d %s %s", Modes.string(s.mode()), s.nlink(), s.uid(), s.gid(),
                s.size(), Modes.date(s.mtime().sec(), now), name);
        if ((s.mode() & Stat.S_IFMT) == Stat.S_IFLNK) {
            try {
                line += " -> " + u.readlink(p.path());
            } catch (RumpException e) {
                throw Images.failure(p, e);
            }
        }
        out.println(line);
    }
}
