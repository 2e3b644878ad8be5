package jrump.rumpvfs.vfs;

import jrump.rumpkern.Errno;
import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpkern.kernel.Sysent;
import jrump.rumpkern.kernel.SyscallTable;

/** The file system calls of rumpvfs (NetBSD's generated rumpvfs_syscalls.c). */
public final class VfsSysComponent implements RumpComponent {
    public static final String NAME = "rumpvfs_sys";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ComponentType type() {
        return ComponentType.SYSCALL;
    }

    @Override
    public int init(Kernel kernel) {
        Vfs vfs = Vfs.of(kernel);
        if (vfs == null) return Errno.ENXIO.number(); // the VFS faction is not in this kernel
        VfsSyscalls v = new VfsSyscalls(vfs);
        Sysent s = kernel.sysent();
        s.establish(SyscallTable.OPEN, v::open, NAME);
        s.establish(SyscallTable.OPENAT, v::openat, NAME);
        s.establish(SyscallTable.MKDIR, v::mkdir, NAME);
        s.establish(SyscallTable.MKDIRAT, v::mkdirat, NAME);
        s.establish(SyscallTable.MKFIFO, v::mkfifo, NAME);
        s.establish(SyscallTable.SYMLINK, v::symlink, NAME);
        s.establish(SyscallTable.SYMLINKAT, v::symlinkat, NAME);
        s.establish(SyscallTable.UNLINK, v::unlink, NAME);
        s.establish(SyscallTable.UNLINKAT, v::unlinkat, NAME);
        s.establish(SyscallTable.RMDIR, v::rmdir, NAME);
        s.establish(SyscallTable.LINK, v::link, NAME);
        s.establish(SyscallTable.LINKAT, v::linkat, NAME);
        s.establish(SyscallTable.RENAME, v::rename, NAME);
        s.establish(SyscallTable.POSIX_RENAME, v::posixRename, NAME);
        s.establish(SyscallTable.RENAMEAT, v::renameat, NAME);
        s.establish(SyscallTable.STAT, v::stat, NAME);
        s.establish(SyscallTable.LSTAT, v::lstat, NAME);
        s.establish(SyscallTable.FSTAT, v::fstat, NAME);
        s.establish(SyscallTable.FSTATAT, v::fstatat, NAME);
        s.establish(SyscallTable.CHMOD, v::chmod, NAME);
        s.establish(SyscallTable.LCHMOD, v::lchmod, NAME);
        s.establish(SyscallTable.FCHMOD, v::fchmod, NAME);
        s.establish(SyscallTable.FCHMODAT, v::fchmodat, NAME);
        s.establish(SyscallTable.CHOWN, v::chown, NAME);
        s.establish(SyscallTable.LCHOWN, v::lchown, NAME);
        s.establish(SyscallTable.FCHOWN, v::fchown, NAME);
        s.establish(SyscallTable.FCHOWNAT, v::fchownat, NAME);
        s.establish(SyscallTable.TRUNCATE, v::truncate, NAME);
        s.establish(SyscallTable.FTRUNCATE, v::ftruncate, NAME);
        s.establish(SyscallTable.ACCESS, v::access, NAME);
        s.establish(SyscallTable.FACCESSAT, v::faccessat, NAME);
        s.establish(SyscallTable.CHDIR, v::chdir, NAME);
        s.establish(SyscallTable.FCHDIR, v::fchdir, NAME);
        s.establish(SyscallTable.CHROOT, v::chroot, NAME);
        s.establish(SyscallTable.GETDENTS, v::getdents, NAME);
        s.establish(SyscallTable.GETCWD, v::getcwd, NAME);
        s.establish(SyscallTable.READLINK, v::readlink, NAME);
        s.establish(SyscallTable.READLINKAT, v::readlinkat, NAME);
        s.establish(SyscallTable.UTIMES, v::utimes, NAME);
        s.establish(SyscallTable.LUTIMES, v::lutimes, NAME);
        s.establish(SyscallTable.FUTIMES, v::futimes, NAME);
        s.establish(SyscallTable.UTIMENSAT, v::utimensat, NAME);
        s.establish(SyscallTable.FUTIMENS, v::futimens, NAME);
        s.establish(SyscallTable.MOUNT, v::mount, NAME);
        s.establish(SyscallTable.FLOCK, v::flock, NAME);
        s.establish(SyscallTable.FDISCARD, v::fdiscard, NAME);
        s.establish(SyscallTable.SETXATTR, v::setxattr, NAME);
        s.establish(SyscallTable.LSETXATTR, v::lsetxattr, NAME);
        s.establish(SyscallTable.FSETXATTR, v::fsetxattr, NAME);
        s.establish(SyscallTable.GETXATTR, v::getxattr, NAME);
        s.establish(SyscallTable.LGETXATTR, v::lgetxattr, NAME);
        s.establish(SyscallTable.FGETXATTR, v::fgetxattr, NAME);
        s.establish(SyscallTable.LISTXATTR, v::listxattr, NAME);
        s.establish(SyscallTable.LLISTXATTR, v::llistxattr, NAME);
        s.establish(SyscallTable.FLISTXATTR, v::flistxattr, NAME);
        s.establish(SyscallTable.REMOVEXATTR, v::removexattr, NAME);
        s.establish(SyscallTable.LREMOVEXATTR, v::lremovexattr, NAME);
        s.establish(SyscallTable.FREMOVEXATTR, v::fremovexattr, NAME);
        s.establish(SyscallTable.STATVFS1, v::statvfs1, NAME);
        s.establish(SyscallTable.FSTATVFS1, v::fstatvfs1, NAME);
        s.establish(SyscallTable.GETVFSSTAT, v::getvfsstat, NAME);
        s.establish(SyscallTable.UNMOUNT, v::unmount, NAME);
        s.establish(SyscallTable.PATHCONF, v::pathconf, NAME);
        s.establish(SyscallTable.FPATHCONF, v::fpathconf, NAME);
        s.establish(SyscallTable.FSYNC, v::fsync, NAME);
        s.establish(SyscallTable.SYNC, v::sync, NAME);
        s.establish(SyscallTable.FDATASYNC, v::fdatasync, NAME);
        s.establish(SyscallTable.FSYNC_RANGE, v::fsyncRange, NAME);
        s.establish(SyscallTable.POSIX_FALLOCATE, v::posixFallocate, NAME);
        s.establish(SyscallTable.FCHROOT, v::fchroot, NAME);
        s.establish(SyscallTable.MKFIFOAT, v::mkfifoat, NAME);
        s.establish(SyscallTable.MKNODAT, v::mknodat, NAME);

        FhSyscalls fh = new FhSyscalls(vfs, v);
        s.establish(SyscallTable.GETFH, fh::getfh, NAME);
        s.establish(SyscallTable.FHOPEN, fh::fhopen, NAME);
        s.establish(SyscallTable.FHSTAT, fh::fhstat, NAME);
        s.establish(SyscallTable.FHSTATVFS1, fh::fhstatvfs1, NAME);

        ExtattrSyscalls ea = new ExtattrSyscalls(vfs);
        s.establish(SyscallTable.EXTATTR_SET_FILE, ea::setFile, NAME);
        s.establish(SyscallTable.EXTATTR_SET_LINK, ea::setLink, NAME);
        s.establish(SyscallTable.EXTATTR_SET_FD, ea::setFd, NAME);
        s.establish(SyscallTable.EXTATTR_GET_FILE, ea::getFile, NAME);
        s.establish(SyscallTable.EXTATTR_GET_LINK, ea::getLink, NAME);
        s.establish(SyscallTable.EXTATTR_GET_FD, ea::getFd, NAME);
        s.establish(SyscallTable.EXTATTR_DELETE_FILE, ea::deleteFile, NAME);
        s.establish(SyscallTable.EXTATTR_DELETE_LINK, ea::deleteLink, NAME);
        s.establish(SyscallTable.EXTATTR_DELETE_FD, ea::deleteFd, NAME);
        s.establish(SyscallTable.EXTATTR_LIST_FILE, ea::listFile, NAME);
        s.establish(SyscallTable.EXTATTR_LIST_LINK, ea::listLink, NAME);
        s.establish(SyscallTable.EXTATTR_LIST_FD, ea::listFd, NAME);
        return 0;
    }
}
