package jrump.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import jrump.fs.ext2fs.Makefs;
import jrump.rumpvfs.tool.MakefsTree;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jrump newfs -t ext2fs [-s SIZE] IMAGE}: an empty file system, of the image file's size unless -s says. */
@Command(name = "newfs", mixinStandardHelpOptions = true, description = "Make an empty file system in an image file.")
final class NewfsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Ext2Image fs;

    @Mixin
    MsdosImage fat;

    @Mixin
    CgdOptions cgd;

    @Mixin
    FfsImage ffs;

    @Option(names = {"-s", "--size"}, description = "image size (k, m, g suffixes; default: the existing file's size)")
    String size;

    @Parameters(index = "0", paramLabel = "IMAGE")
    Path image;

    @Override
    public Integer call() throws Exception {
        long bytes = size != null ? Ext2Image.bytes(size) : Files.exists(image) ? Files.size(image) : 0;
        if (bytes <= 0) throw new IllegalArgumentException(image + ": give a size with -s (the file is empty or missing)");
        if (fs.type.equals(MsdosImage.TYPE)) return fat.newfs(image, bytes, fs.label, cgd, spec.commandLine().getOut());
        if (fs.type.equals(FfsImage.TYPE)) {
            return ffs.newfs(image, bytes, fs.flavor, fs.blockSize, cgd, spec.commandLine().getOut());
        }
        long t = System.currentTimeMillis() * 1_000_000L;
        MakefsTree.Dir root = new MakefsTree.Dir(new MakefsTree.Attrs(0755, 0, 0, t, t, t), List.of());
        Makefs.Result r = Ext2Image.write(image, root, fs.options(bytes), cgd);
        spec.commandLine().getOut().printf("%s: %s, %d blocks of %d bytes, %d inodes, %d groups%n",
                image, fs.flavor, r.blocks(), r.blockSize(), r.inodes(), r.groups());
        return 0;
    }
}
