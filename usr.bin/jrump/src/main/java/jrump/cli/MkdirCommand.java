package jrump.cli;

import java.util.List;
import java.util.concurrent.Callable;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpException;
import jrump.ukfs.Ukfs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jrump mkdir [-p] [-m MODE] IMAGE:PATH...}. */
@Command(name = "mkdir", mixinStandardHelpOptions = true, description = "Make directories inside an image.")
final class MkdirCommand implements Callable<Integer> {
    @Mixin
    Images images;

    @Option(names = "-p", description = "make parents as needed; no error when the directory exists")
    boolean parents;

    @Option(names = "-m", description = "mode, octal (default: 755)", defaultValue = "755")
    String mode;

    @Parameters(paramLabel = "IMAGE:PATH", arity = "1..*")
    List<String> dirs;

    @Override
    public Integer call() {
        int m = Integer.parseInt(mode, 8);
        try (Images opened = images) {
            for (String d : dirs) {
                ImagePath p = ImagePath.parse(d, false);
                if (p == null) throw new CliException(d + ": not IMAGE:PATH");
                Ukfs u = images.of(p, true);
                if (!parents) {
                    make(u, p, m, false);
                    continue;
                }
                String[] parts = p.path().substring(1).split("/");
                ImagePath at = new ImagePath(p.image(), "/");
                for (String part : parts) {
                    at = at.child(part);
                    make(u, at, m, true);
                }
            }
        }
        return 0;
    }

    private static void make(Ukfs u, ImagePath p, int mode, boolean existingIsFine) {
        try {
            u.mkdir(p.path(), mode);
        } catch (RumpException e) {
            if (!(existingIsFine && e.errno() == Errno.EEXIST && u.stat(p.path()).isDirectory())) throw Images.failure(p, e);
        }
    }
}
