package jrump.tests.vfs;

import java.util.List;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpvfs.tool.MakefsTree;

/**
 * The file systems the suite runs on (NetBSD's ATF_TC_FSAPPLY list) and what each can do, so that a case
 * that needs symlinks on a file system without them checks the errno instead (FSTYPE_X predicates).
 */
final class FileSystems {
    private FileSystems() {
    }

    /**
     * What a file system supports. {@code limits}: it can be mounted with a size and a node limit
     * (tmpfs's size= and nodes=), so that it can be filled (t_full).
     */
    record Capabilities(boolean symlinks, boolean hardLinks, boolean fifos, boolean ownership, boolean limits, boolean posix) {
        static final Capabilities FULL = new Capabilities(true, true, true, true, true, true);
        /** rumpfs: everything but limits; it grows until the kernel's memory runs out. */
        static final Capabilities UNLIMITED = new Capabilities(true, true, true, true, false, true);
        /**
         * FAT (msdosfs): none of the above, and not {@code posix}: modes are the mount's (chmod keeps only
         * the owner's write bit), times have 2-second steps and no ctime, names ignore case, and what is
         * unmounted stays on the disk.
         */
        static final Capabilities FAT = new Capabilities(false, false, false, false, false, false);
        /** A POSIX disk file system (ext2fs): everything but tmpfs's size and node limits. */
        static final Capabilities DISK = new Capabilities(true, true, true, true, false, true);
    }

    /** What a file system on a device needs before its mount: its image made and registered. */
    @FunctionalInterface
    interface Device {
        /** Before the kernel boots: what the device needs in its configuration (a cgd's component). */
        default RumpConfig.Builder configure(RumpConfig.Builder config) {
            return config;
        }

        void attach(RumpKernel rk);

        /** After the first mount: what a fresh file system of this kind has that the suite's cases do not expect. */
        default void prepare(RumpKernel rk) {
        }
    }

    /** One file system under test: how to make a kernel with it mounted at {@link #MNT}. */
    record Fs(String name, Capabilities caps, String type, String baseOptions, Device device) {
        Fs(String name, Capabilities caps, String type) {
            this(name, caps, type, null, null);
        }

        Fs(String name, Capabilities caps, String type, String baseOptions) {
            this(name, caps, type, baseOptions, null);
        }

        @Override
        public String toString() {
            return name;
        }

        /** Boots a kernel and mounts a fresh file system of this type at /mnt (or uses the root's). */
        RumpKernel boot() {
            return boot(null);
        }

        /** As {@link #boot()}, mounting with {@code options} (as mount(8)'s -o; null for none). */
        RumpKernel boot(String options) {
            RumpConfig.Builder config = RumpConfig.builder().diagnostic(true);
            RumpKernel rk = RumpKernel.boot((device == null ? config : device.configure(config)).build());
            try {
                rk.syscalls().mkdir(MNT, 0755);
                if (device != null) device.attach(rk);
                if (type != null) rk.syscalls().mount(type, MNT, 0, withBase(options));
                if (device != null) device.prepare(rk);
                return rk;
            } catch (RuntimeException e) {
                rk.close(); // a refused mount must not leave the kernel running
                throw e;
            }
        }

        /** What mount(2) takes to mount this file system again with {@code options} (null for none). */
        String mountData(String options) {
            return withBase(options);
        }

        private String withBase(String options) {
            if (baseOptions == null) return options;
            return options == null || options.isBlank() ? baseOptions : baseOptions + "," + options;
        }

        /** Where the file system holding /mnt is mounted (statvfs's f_mntonname). */
        String mountedOn() {
            return type == null ? "/" : MNT;
        }

        /** The type statvfs reports (f_fstypename). */
        String fstypename() {
            return type == null ? "rumpfs" : type;
        }

        /** After the content is made read-write: remount read-only (FSAPPLY_RO); false if it cannot be. */
        boolean remountReadOnly(RumpKernel rk) {
            if (type == null) return false;
            rk.syscalls().mount(type, MNT, Sys.MNT_UPDATE | Sys.MNT_RDONLY, null);
            return true;
        }

        /** Back from read-only: MNT_UPDATE without MNT_RDONLY. */
        void remountReadWrite(RumpKernel rk) {
            rk.syscalls().mount(type, MNT, Sys.MNT_UPDATE, null);
        }
    }

    static final String MNT = "/mnt";

    /** rumpfs as the root file system (a directory of it) and rumpfs mounted; file systems join as they land. */
    static List<Fs> all() {
        return List.of(
                new Fs("rumpfs-root", Capabilities.UNLIMITED, null),
                new Fs("rumpfs", Capabilities.UNLIMITED, "rumpfs"),
                new Fs("tmpfs", Capabilities.FULL, "tmpfs"),
                // the same through the kernel's name cache: every case checks it stays coherent
                new Fs("tmpfs+namecache", Capabilities.FULL, "tmpfs", "namecache"),
                new Fs("msdos", Capabilities.FAT, "msdos", FAT_DEVICE, FileSystems::attachFatImage),
                new Fs("ext2fs", Capabilities.DISK, "ext2fs", EXT2_DEVICE, new Device() {
                    @Override
                    public void attach(RumpKernel rk) {
                        attachExt2Image(rk);
                    }

                    /** The cases expect an empty root: mkfs' lost+found goes (fsck would make it again). */
                    @Override
                    public void prepare(RumpKernel rk) {
                        rk.syscalls().rmdir(MNT + "/lost+found");
                    }
                }),
                // the same inside a cgd(4): every block through aes-xts on its way to the image
                new Fs("ext2fs+cgd", Capabilities.DISK, "ext2fs", CgdDevice.NAME, new CgdDevice(false)),
                new Fs("ffs+cgd", Capabilities.DISK, "ffs", CgdDevice.NAME, new CgdDevice(true)),
                new Fs("ffs", Capabilities.DISK, "ffs", FFS_DEVICE, rk -> attachFfs(rk, true)),
                new Fs("ffs-ufs1", Capabilities.DISK, "ffs", FFS_DEVICE, rk -> attachFfs(rk, false)));
    }

    /** An ext4 (or UFS2) image encrypted with cgd aes-xts-256, attached as {@link #NAME} over its etfs key. */
    static final class CgdDevice implements Device {
        static final String NAME = "/dev/cgd0";
        private static final String LOWER = "/dev/cgdlower";
        private final boolean ufs2;
        private jrump.dev.cgd.CgdLayer layer;

        CgdDevice(boolean ufs2) {
            this.ufs2 = ufs2;
        }

        private static jrump.dev.cgd.CgdParams params() {
            return new jrump.dev.cgd.CgdParams("aes-xts", jrump.dev.cgd.IvMethod.ENCBLKNO1, 256, jrump.dev.cgd.VerifyMethod.NONE,
                    List.of(jrump.dev.cgd.Keygen.pbkdf2(1, new byte[16])));
        }

        private static byte[] key() {
            byte[] k = new byte[32];
            for (int i = 0; i < k.length; i++) k[i] = (byte) (i * 7 + 1);
            return k;
        }

        @Override
        public RumpConfig.Builder configure(RumpConfig.Builder config) {
            layer = new jrump.dev.cgd.CgdLayer(params(), key());
            return layer.configure(config);
        }

        @Override
        public void attach(RumpKernel rk) {
            try {
                java.nio.file.Path img = java.nio.file.Files.createTempFile("jrump-vfs-cgd", ".img");
                img.toFile().deleteOnExit();
                long now = 1_700_000_000_000_000_000L;
                var root = new MakefsTree.Dir(new MakefsTree.Attrs(0755, 0, 0, now, now, now), List.of());
                var o = new jrump.fs.ext2fs.Makefs.Options(jrump.fs.ext2fs.Makefs.Flavor.EXT4, 1024, 64L << 20, 0, null, null, 7, now);
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(img, java.nio.file.StandardOpenOption.WRITE,
                        java.nio.file.StandardOpenOption.READ);
                     jrump.dev.cgd.SectorCipher cipher = jrump.dev.cgd.SectorCipher.of(params(), key())) {
                    var w = new jrump.dev.cgd.EncryptingWriter(cipher, new jrump.dev.cgd.EncryptingWriter.Raw() {
                        @Override
                        public void write(long off, java.nio.ByteBuffer data) throws java.io.IOException {
                            while (data.hasRemaining()) off += ch.write(data, off);
                        }

                        @Override
                        public int read(long off, java.nio.ByteBuffer dst) throws java.io.IOException {
                            return ch.read(dst, off);
                        }
                    });
                    if (ufs2) {
                        var r = jrump.fs.ffs.Newfs.format(new jrump.fs.ffs.Newfs.Options(64L << 20, true, 0, 0, 0, false, 1_700_000_000L), w::write);
                        w.finish(r.sizeBytes());
                    } else {
                        var r = jrump.fs.ext2fs.Makefs.build(root, o, w::write);
                        w.finish(r.blocks() * r.blockSize());
                    }
                }
                rk.pub().etfsRegister(LOWER, img.toString(), Sys.RUMP_ETFS_BLK);
                layer.attach(NAME, LOWER, false);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (jrump.dev.cgd.ParamsException | jrump.rumpdev.DiskException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The cases expect an empty root: mkfs' lost+found goes (ffs' newfs makes none). */
        @Override
        public void prepare(RumpKernel rk) {
            if (!ufs2) rk.syscalls().rmdir(MNT + "/lost+found");
        }
    }

    /** Where the ffs entries' images are (an etfs block device). */
    static final String FFS_DEVICE = "/dev/ffs";

    /** A fresh 64 MiB UFS2 (or UFS1) image made by ffs' Newfs, in a temporary file gone at exit. */
    private static void attachFfs(RumpKernel rk, boolean ufs2) {
        try {
            java.nio.file.Path img = java.nio.file.Files.createTempFile("jrump-vfs-ffs", ".img");
            img.toFile().deleteOnExit();
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(img, java.nio.file.StandardOpenOption.WRITE)) {
                jrump.fs.ffs.Newfs.format(new jrump.fs.ffs.Newfs.Options(64L << 20, ufs2, 0, 0, 0, false, 1_700_000_000L), (off, data) -> {
                    while (data.hasRemaining()) off += ch.write(data, off);
                });
            }
            rk.pub().etfsRegister(FFS_DEVICE, img.toString(), Sys.RUMP_ETFS_BLK);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Where the ext2fs entry's image is (an etfs block device). */
    static final String EXT2_DEVICE = "/dev/ext4";

    /** A fresh 64 MiB ext4 image (journal, extents, metadata_csum) made by ext2fs' Makefs, in a temporary file gone at exit. */
    private static void attachExt2Image(RumpKernel rk) {
        try {
            java.nio.file.Path img = java.nio.file.Files.createTempFile("jrump-vfs-ext4", ".img");
            img.toFile().deleteOnExit();
            long now = 1_700_000_000_000_000_000L;
            var root = new MakefsTree.Dir(new MakefsTree.Attrs(0755, 0, 0, now, now, now), List.of());
            var o = new jrump.fs.ext2fs.Makefs.Options(jrump.fs.ext2fs.Makefs.Flavor.EXT4, 1024, 64L << 20, 0, null, null, 7, now);
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(img, java.nio.file.StandardOpenOption.WRITE)) {
                var r = jrump.fs.ext2fs.Makefs.build(root, o, (off, data) -> {
                    while (data.hasRemaining()) off += ch.write(data, off);
                });
                if (ch.size() < r.blocks() * r.blockSize()) ch.write(java.nio.ByteBuffer.allocate(1), r.blocks() * r.blockSize() - 1);
            }
            rk.pub().etfsRegister(EXT2_DEVICE, img.toString(), Sys.RUMP_ETFS_BLK);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Where the msdos entry's image is (an etfs block device). */
    static final String FAT_DEVICE = "/dev/fat";

    /** A fresh 64 MiB FAT16 image made by msdosfs' Newfs, in a temporary file gone at exit. */
    private static void attachFatImage(RumpKernel rk) {
        try {
            java.nio.file.Path img = java.nio.file.Files.createTempFile("jrump-vfs-msdos", ".img");
            img.toFile().deleteOnExit();
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(img, java.nio.file.StandardOpenOption.WRITE)) {
                jrump.fs.msdosfs.Newfs.format(jrump.fs.msdosfs.Newfs.Options.of(64L << 20), (off, data) -> {
                    while (data.hasRemaining()) off += ch.write(data, off);
                });
            }
            rk.pub().etfsRegister(FAT_DEVICE, img.toString(), Sys.RUMP_ETFS_BLK);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The ones mounted on /mnt, which can be unmounted and mounted again. */
    static List<Fs> mounted() {
        return all().stream().filter(f -> f.type() != null).toList();
    }

    /** The POSIX ones: modes, owners, links, symlinks, FIFOs, exact times, case-sensitive names (not FAT). */
    static List<Fs> posix() {
        return all().stream().filter(f -> f.caps().posix()).toList();
    }

    /** The ones that can be remounted read-only (ATF_TC_FSAPPLY_RO). */
    static List<Fs> remountable() {
        return mounted();
    }
}
