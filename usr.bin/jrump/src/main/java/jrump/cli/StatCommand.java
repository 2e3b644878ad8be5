package jrump.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import jrump.rumpkern.RumpException;
import jrump.rumpkern.Stat;
import jrump.rumpkern.Timespec;
import jrump.ukfs.Ukfs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jrump stat IMAGE:PATH...}: stat(1)'s fields, the last symlink not followed. */
@Command(name = "stat", mixinStandardHelpOptions = true, description = "Show a file's status inside an image.")
final class StatCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Images images;

    @Parameters(paramLabel = "IMAGE:PATH", arity = "1..*")
    List<String> paths;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Images opened = images) {
            for (String s : paths) {
                ImagePath p = ImagePath.parse(s, true);
                Ukfs u = images.of(p, false);
                Stat st;
                try {
                    st = u.lstat(p.path());
                } catch (RumpException e) {
                    throw Images.failure(p, e);
                }
                out.printf("  File: %s%s%n", p, st.isSymbolicLink() ? " -> " + u.readlink(p.path()) : "");
                out.printf("  Size: %-12d Blocks: %-10d IO Block: %d%n", st.size(), st.blocks(), st.blksize());
                out.printf(" Inode: %-12d Links: %d%n", st.ino(), st.nlink());
                out.printf("Access: (%04o/%s)  Uid: %d  Gid: %d%n", st.mode() & 07777, Modes.string(st.mode()), st.uid(), st.gid());
                out.printf("Access: %s%nModify: %s%nChange: %s%n Birth: %s%n", time(st.atime()), time(st.mtime()), time(st.ctime()), time(st.birthtime()));
            }
        }
        return 0;
    }

    private static String time(Timespec t) {
        return java.time.Instant.ofEpochSecond(t.sec(), t.nsec()).toString();
    }
}
