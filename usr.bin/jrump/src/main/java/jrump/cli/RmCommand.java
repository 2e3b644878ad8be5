package jrump.cli;

import java.util.List;
import java.util.concurrent.Callable;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.Stat;
import jrump.ukfs.Ukfs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jrump rm [-r] [-f] IMAGE:PATH...}. */
@Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove files (and with -r directories) inside an image.")
final class RmCommand implements Callable<Integer> {
    @Mixin
    Images images;

    @Option(names = {"-r", "-R"}, description = "remove directories and their contents")
    boolean recursive;

    @Option(names = "-f", description = "no error for names that are not there")
    boolean force;

    @Parameters(paramLabel = "IMAGE:PATH", arity = "1..*")
    List<String> paths;

    @Override
    public Integer call() {
        try (Images opened = images) {
            for (String s : paths) {
                ImagePath p = ImagePath.parse(s, false);
                if (p == null) throw new CliException(s + ": not IMAGE:PATH");
                if (p.path().equals("/")) throw new CliException(p + ": refusing to remove the root");
                Ukfs u = images.of(p, true);
                try {
                    remove(u, p, u.lstat(p.path()));
                } catch (RumpException e) {
                    if (!(force && e.errno() == Errno.ENOENT)) throw Images.failure(p, e);
                }
            }
        }
        return 0;
    }

    private void remove(Ukfs u, ImagePath p, Stat s) {
        if ((s.mode() & Stat.S_IFMT) != Stat.S_IFDIR) {
            u.remove(p.path());
            return;
        }
        if (!recursive) throw new CliException(p + ": is a directory");
        for (Ukfs.Entry e : u.list(p.path())) remove(u, p.child(e.name()), e.stat());
        u.rmdir(p.path());
    }
}
