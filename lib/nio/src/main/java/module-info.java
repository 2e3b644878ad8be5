/**
 * Disk images as java.nio.file file systems: {@code FileSystems.newFileSystem(Path.of("disk.img"), env)}
 * mounts the image in a private rump kernel (through ukfs) and answers Files' calls with that kernel's
 * system calls. The provider declines files it does not recognise, so other providers get their turn.
 */
module jrump.nio {
    requires transitive jrump.ukfs;

    exports jrump.nio;

    provides java.nio.file.spi.FileSystemProvider with jrump.nio.RumpFileSystemProvider;
}
