package jrump.p2k;

/**
 * The Linux FUSE protocol's numbers and structure offsets (include/uapi/linux/fuse.h, protocol 7.x; p2k
 * speaks 7.31 and later features it asks for in INIT). Every structure is little-endian on x86-64 and
 * aarch64, read and written through {@link java.lang.foreign.MemorySegment} at these offsets.
 */
final class Fuse {
    private Fuse() {
    }

    static final int KERNEL_VERSION = 7;
    /** The minor version p2k speaks: 7.31 has max_pages and everything else p2k uses. */
    static final int KERNEL_MINOR_VERSION = 31;
    static final long ROOT_ID = 1;
    static final int MIN_READ_BUFFER = 8192;

    // enum fuse_opcode
    static final int LOOKUP = 1, FORGET = 2, GETATTR = 3, SETATTR = 4, READLINK = 5, SYMLINK = 6, MKNOD = 8,
            MKDIR = 9, UNLINK = 10, RMDIR = 11, RENAME = 12, LINK = 13, OPEN = 14, READ = 15, WRITE = 16,
            STATFS = 17, RELEASE = 18, FSYNC = 20, SETXATTR = 21, GETXATTR = 22, LISTXATTR = 23,
            REMOVEXATTR = 24, FLUSH = 25, INIT = 26, OPENDIR = 27, READDIR = 28, RELEASEDIR = 29, FSYNCDIR = 30,
            GETLK = 31, SETLK = 32, SETLKW = 33, ACCESS = 34, CREATE = 35, INTERRUPT = 36, BMAP = 37,
            DESTROY = 38, IOCTL = 39, POLL = 40, BATCH_FORGET = 42, FALLOCATE = 43, READDIRPLUS = 44,
            RENAME2 = 45, LSEEK = 46, COPY_FILE_RANGE = 47, SYNCFS = 50;

    /** Whether a successful request of this opcode changed the file system (IdleSync writes it back). */
    static boolean modifies(int opcode) {
        return switch (opcode) {
            case SETATTR, SYMLINK, MKNOD, MKDIR, UNLINK, RMDIR, RENAME, RENAME2, LINK, CREATE, WRITE, SETXATTR,
                    REMOVEXATTR, FALLOCATE -> true;
            default -> false;
        };
    }

    // fuse_init_in.flags / fuse_init_out.flags
    static final int ASYNC_READ = 1 << 0, BIG_WRITES = 1 << 5, DO_READDIRPLUS = 1 << 13,
            READDIRPLUS_AUTO = 1 << 14, PARALLEL_DIROPS = 1 << 18, MAX_PAGES = 1 << 22;

    // fuse_setattr_in.valid
    static final int FATTR_MODE = 1, FATTR_UID = 1 << 1, FATTR_GID = 1 << 2, FATTR_SIZE = 1 << 3,
            FATTR_ATIME = 1 << 4, FATTR_MTIME = 1 << 5, FATTR_FH = 1 << 6, FATTR_ATIME_NOW = 1 << 7,
            FATTR_MTIME_NOW = 1 << 8;

    /** fuse_getattr_in.getattr_flags: fh is valid. */
    static final int GETATTR_FH = 1;
    /** fuse_open_out.open_flags: keep the page cache across opens (we are the image's only writer). */
    static final int FOPEN_KEEP_CACHE = 1 << 1;
    /** fuse_open_out.open_flags: no FLUSH on close(2) (kernels that do not know it ignore it; p2k buffers nothing). */
    static final int FOPEN_NOFLUSH = 1 << 5;
    /** fuse_fsync_in.fsync_flags. */
    static final int FSYNC_FDATASYNC = 1;
    /** renameat2(2) flags (linux/fs.h). */
    static final int RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;
    /** setxattr(2) flags. */
    static final int XATTR_CREATE = 1, XATTR_REPLACE = 2;
    /** lseek(2) whence values Linux adds. */
    static final int SEEK_DATA = 3, SEEK_HOLE = 4;

    /** Linux open(2) flags in fuse_open_in.flags / fuse_create_in.flags (asm-generic/fcntl.h). */
    static final int L_O_ACCMODE = 03, L_O_CREAT = 0100, L_O_EXCL = 0200, L_O_TRUNC = 01000, L_O_APPEND = 02000;

    // struct fuse_in_header (40 bytes)
    static final int IN_LEN = 0, IN_OPCODE = 4, IN_UNIQUE = 8, IN_NODEID = 16, IN_UID = 24, IN_GID = 28,
            IN_PID = 32, IN_HEADER_SIZE = 40;
    // struct fuse_out_header (16 bytes)
    static final int OUT_LEN = 0, OUT_ERROR = 4, OUT_UNIQUE = 8, OUT_HEADER_SIZE = 16;

    /** struct fuse_attr: 88 bytes. */
    static final int ATTR_SIZE = 88;
    /** struct fuse_entry_out: nodeid, generation, entry_valid, attr_valid, their nsecs, then fuse_attr. */
    static final int ENTRY_OUT_SIZE = 40 + ATTR_SIZE;
    /** struct fuse_attr_out: attr_valid, attr_valid_nsec, dummy, then fuse_attr. */
    static final int ATTR_OUT_SIZE = 16 + ATTR_SIZE;
    /** struct fuse_open_out. */
    static final int OPEN_OUT_SIZE = 16;
    /** struct fuse_init_out (protocol 7.23+: 64 bytes). */
    static final int INIT_OUT_SIZE = 64;
    /** struct fuse_kstatfs in fuse_statfs_out. */
    static final int STATFS_OUT_SIZE = 80;
    /** struct fuse_dirent: ino, off, namelen, type, name. */
    static final int DIRENT_NAME_OFFSET = 24;
    /** struct fuse_write_in (7.9+: 40 bytes); the data follows it. */
    static final int WRITE_IN_SIZE = 40;

    /** FUSE_REC_ALIGN: records are padded to 8 bytes. */
    static int align8(int n) {
        return (n + 7) & ~7;
    }
}
