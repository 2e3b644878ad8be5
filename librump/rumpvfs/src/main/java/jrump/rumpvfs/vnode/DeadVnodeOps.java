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
        VnodeOps.super.lookup(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int create(VopArgs.Create a) {
        VnodeOps.super.create(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int mknod(VopArgs.Mknod a) {
        VnodeOps.super.mknod(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int open(VopArgs.Open a) {
        VnodeOps.super.open(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int access(VopArgs.Access a) {
        VnodeOps.super.access(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int getattr(VopArgs.Getattr a) {
        VnodeOps.super.getattr(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int setattr(VopArgs.Setattr a) {
        VnodeOps.super.setattr(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int read(VopArgs.Read a) {
        VnodeOps.super.read(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int write(VopArgs.Write a) {
        VnodeOps.super.write(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int fallocate(VopArgs.Fallocate a) {
        VnodeOps.super.fallocate(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int fdiscard(VopArgs.Fdiscard a) {
        VnodeOps.super.fdiscard(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int ioctl(VopArgs.Ioctl a) {
        VnodeOps.super.ioctl(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int fcntl(VopArgs.Fcntl a) {
        VnodeOps.super.fcntl(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int poll(VopArgs.Poll a) {
        VnodeOps.super.poll(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int revoke(VopArgs.Revoke a) {
        VnodeOps.super.revoke(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int fsync(VopArgs.Fsync a) {
        VnodeOps.super.fsync(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int seek(VopArgs.Seek a) {
        VnodeOps.super.seek(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int remove(VopArgs.Remove a) {
        VnodeOps.super.remove(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int link(VopArgs.Link a) {
        VnodeOps.super.link(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int rename(VopArgs.Rename a) {
        VnodeOps.super.rename(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int mkdir(VopArgs.Mkdir a) {
        VnodeOps.super.mkdir(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int rmdir(VopArgs.Rmdir a) {
        VnodeOps.super.rmdir(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int symlink(VopArgs.Symlink a) {
        VnodeOps.super.symlink(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int readdir(VopArgs.Readdir a) {
        VnodeOps.super.readdir(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int readlink(VopArgs.Readlink a) {
        VnodeOps.super.readlink(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int bmap(VopArgs.Bmap a) {
        VnodeOps.super.bmap(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int strategy(VopArgs.Strategy a) {
        VnodeOps.super.strategy(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int pathconf(VopArgs.Pathconf a) {
        VnodeOps.super.pathconf(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int advlock(VopArgs.Advlock a) {
        VnodeOps.super.advlock(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int getextattr(VopArgs.Getextattr a) {
        VnodeOps.super.getextattr(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int setextattr(VopArgs.Setextattr a) {
        VnodeOps.super.setextattr(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int listextattr(VopArgs.Listextattr a) {
        VnodeOps.super.listextattr(a); // hands back what the protocol says
        return EBADF;
    }

    @Override
    public int deleteextattr(VopArgs.Deleteextattr a) {
        VnodeOps.super.deleteextattr(a); // hands back what the protocol says
        return EBADF;
    }
}
