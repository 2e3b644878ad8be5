package jrump.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import jrump.fs.ext2fs.Makefs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jrump makefs -t ext2fs [-s SIZE] IMAGE DIR}: NetBSD makefs' argument order. */
@Command(name = "makefs", mixinStandardHelpOptions = true,
        description = "Make a file system image holding a directory tree (ownership, modes, times, symlinks, hard links).")
final class MakefsCommand implements Callable<Integer> {
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

    @Option(names = {"-s", "--size"}, description = "image size (k, m, g suffixes; default: fit the tree with room to spare)")
    String size;

    @Option(names = "-o", description = "cd9660: rockridge, joliet, label=NAME, bootimage=PATH (NetBSD makefs' -o)")
    String cd9660Options;

    @Parameters(index = "0", paramLabel = "IMAGE")
    Path image;

    @Parameters(index = "1", paramLabel = "DIR")
    Path dir;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + ": not a directory");
        if (fs.type.equals(FfsImage.TYPE)) {
            return ffs.makefs(image, dir, size == null ? 0 : Ext2Image.bytes(size), fs.flavor, fs.blockSize, cgd, spec.commandLine().getOut());
        }
        if (fs.type.equals(MsdosImage.TYPE)) return fat.makefs(image, dir, size == null ? 0 : Ext2Image.bytes(size), fs.label, cgd, spec.commandLine().getOut());
        if ("cd9660".equals(fs.type)) {
            if (cgd.active()) throw new IllegalArgumentException("cd9660 images are not made inside a cgd");
            var r = Cd9660Image.write(image, dir, Cd9660Image.options(cd9660Options, System.currentTimeMillis() * 1_000_000L));
            spec.commandLine().getOut().printf("%s: cd9660, %d sectors of 2048 bytes, %d directories, %d files%n",
                    image, r.sectors(), r.directories(), r.files());
            return 0;
        }
        Makefs.Result r = Ext2Image.write(image, HostTree.of(dir), fs.options(size == null ? 0 : Ext2Image.bytes(size)), cgd);
        spec.commandLine().getOut().printf("%s: %s, %d blocks of %d bytes, %d inodes, %d groups; %d blocks and %d inodes free%n",
                image, fs.flavor, r.blocks(), r.blockSize(), r.inodes(), r.groups(), r.freeBlocks(), r.freeInodes());
        return 0;
    }
}
