package jrump.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import jrump.rumpkern.Statvfs;
import jrump.ukfs.Ukfs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jrump df IMAGE...}: df(1)'s columns, in 1 KiB blocks, and the inode figures. */
@Command(name = "df", mixinStandardHelpOptions = true, description = "Show the space and inodes of file system images.")
final class DfCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Images images;

    @Parameters(paramLabel = "IMAGE", arity = "1..*")
    List<String> imagesArgs;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-24s %-7s %10s %10s %10s %4s %9s %9s%n", "Image", "Type", "1K-blocks", "Used", "Avail", "Use%", "Inodes", "IFree");
        try (Images opened = images) {
            for (String s : imagesArgs) {
                ImagePath p = ImagePath.parse(s, true);
                Ukfs u = images.of(p, false);
                Statvfs v = u.statvfs();
                long k = v.frsize() / 1024;
                long total = v.blocks() * k;
                long used = (v.blocks() - v.bfree()) * k;
                long avail = v.bavail() * k;
                long pct = used + avail == 0 ? 0 : (used * 100 + used + avail - 1) / (used + avail);
                out.printf("%-24s %-7s %10d %10d %10d %3d%% %9d %9d%n", p.image(), u.type(), total, used, avail, pct, v.files(), v.ffree());
            }
        }
        return 0;
    }
}
