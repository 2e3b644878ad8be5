package jrump.rumpvfs.vnode;

/**
 * The operations of a vnode whose file is gone from under it (NetBSD's deadfs): reclaimed, or left open
 * across a forced unmount. Everything that would reach the file fails with EBADF; closing and the vnode's
 * own life cycle succeed.
 */
final class DeadVnodeOps implements VnodeOps {
    static final DeadVnodeOps INSTANCE = new DeadVnodeOps();
    private static final int EBADF = jrump.rumpkern.Errno.EBADF.number();

    private DeadVnodeOps() {
    }

    @Override
    public int close(VopArgs.Close a) {
        return 0;
    }

    @Override
    public int inactive(VopArgs.Inactive a) {
        a.vp().unlock();
        return 0;
    }

    @Override
    public int reclaim(VopArgs.Reclaim a) {
        return 0;
    }

    @Override
    public int lookup(VopArgs.Lookup a) {
        return EBADF;
    }

    @Override
    public int create(VopArgs.Create a) {
        return EBADF;
    }

    @Override
    public int mknod(VopArgs.Mknod a) {
        return EBADF;
    }

    @Override
    public int open(VopArgs.Open a) {
        return EBADF;
    }

    @Override
    public int access(VopArgs.Access a) {
        return EBADF;
    }

    @Override
    public int getattr(VopArgs.Getattr a) {
        return EBADF;
    }

    @Override
    public int setattr(VopArgs.Setattr a) {
        return EBADF;
    }

    @Override
    public int read(VopArgs.Read a) {
        return EBADF;
    }

    @Override
    public int write(VopArgs.Write a) {
        return EBADF;
    }

    @Override
    public int fallocate(VopArgs.Fallocate a) {
        return EBADF;
    }

    @Override
    public int fdiscard(VopArgs.Fdiscard a) {
        return EBADF;
    }

    @Override
    public int ioctl(VopArgs.Ioctl a) {
        return EBADF;
    }

    @Override
    public int fcntl(VopArgs.Fcntl a) {
        return EBADF;
    }

    @Override
    public int poll(VopArgs.Poll a) {
        return EBADF;
    }

    @Override
    public int revoke(VopArgs.Revoke a) {
        return EBADF;
    }

    @Override
    public int fsync(VopArgs.Fsync a) {
        return EBADF;
    }

    @Override
    public int seek(VopArgs.Seek a) {
        return EBADF;
    }

    @Override
    public int remove(VopArgs.Remove a) {
        return EBADF;
    }

    @Override
    public int link(VopArgs.Link a) {
        return EBADF;
    }

    @Override
    public int rename(VopArgs.Rename a) {
        return EBADF;
    }

    @Override
    public int mkdir(VopArgs.Mkdir a) {
        return EBADF;
    }

    @Override
    public int rmdir(VopArgs.Rmdir a) {
        return EBADF;
    }

    @Override
    public int symlink(VopArgs.Symlink a) {
        return EBADF;
    }

    @Override
    public int readdir(VopArgs.Readdir a) {
        return EBADF;
    }

    @Override
    public int readlink(VopArgs.Readlink a) {
        return EBADF;
    }

    @Override
    public int bmap(VopArgs.Bmap a) {
        return EBADF;
    }

    @Override
    public int strategy(VopArgs.Strategy a) {
        return EBADF;
    }

    @Override
    public int pathconf(VopArgs.Pathconf a) {
        return EBADF;
    }

    @Override
    public int advlock(VopArgs.Advlock a) {
        return EBADF;
    }

    @Override
    public int getextattr(VopArgs.Getextattr a) {
        return EBADF;
    }

    @Override
    public int setextattr(VopArgs.Setextattr a) {
        return EBADF;
    }

    @Override
    public int listextattr(VopArgs.Listextattr a) {
        return EBADF;
    }

    @Override
    public int deleteextattr(VopArgs.Deleteextattr a) {
        return EBADF;
    }
}
