package jrump.cli;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import jrump.fs.ext2fs.Fsck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jrump fsck [-t ext2fs] IMAGE}: a read-only check; exit status as e2fsck -n's (0 clean, 4 problems, 8 error). */
@Command(name = "fsck", mixinStandardHelpOptions = true,
        description = "Check a file system image without changing it (exit 0: clean, 4: problems found, 8: cannot check).")
final class FsckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--type"}, description = "file system type (default: ${DEFAULT-VALUE})", defaultValue = "ext2fs")
    String type;

    @Parameters(index = "0", paramLabel = "IMAGE")
    Path image;

    @Override
    public Integer call() throws Exception {
        // FAT is told by its boot sector: "jrump fsck IMAGE" checks a FAT image as FAT
        if (type.equals(MsdosImage.TYPE) || (type.equals("ext2fs") && MsdosImage.isFat(image))) return MsdosImage.fsck(image, spec.commandLine().getOut());
        if (type.equals(FfsImage.TYPE) || (type.equals("ext2fs") && FfsImage.isFfs(image))) return FfsImage.fsck(image, spec.commandLine().getOut());
        if (!type.equals("ext2fs")) throw new IllegalArgumentException("unsupported file system type " + type + " (ext2fs, msdos, ffs)");
        Fsck.Report r;
        try (FileChannel ch = FileChannel.open(image)) {
            r = Fsck.check((off, dst) -> ch.read(dst, off), ch.size());
        }
        r.output().forEach(spec.commandLine().getOut()::println);
        return r.exitStatus();
    }
}
