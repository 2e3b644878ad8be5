package jrump.rumpvfs.vfs;

import static jrump.rumpkern.RumpException.errnoOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Out;
import jrump.rumpvfs.vnode.Mount;
import jrump.rumpvfs.vnode.TestComponents;
import jrump.rumpvfs.vnode.VType;
import jrump.rumpvfs.vnode.Vattr;
import jrump.rumpvfs.vnode.VfsOps;
import jrump.rumpvfs.vnode.VfsType;
import jrump.rumpvfs.vnode.VfsTypes;
import jrump.rumpvfs.vnode.Vnode;
import jrump.rumpvfs.vnode.VnodeCache;
import jrump.rumpvfs.vnode.VnodeOps;
import jrump.rumpvfs.vnode.VopArgs;

/**
 * The vnode cache under the syscalls: a file system whose vnodes come from a {@link VnodeCache} (a flat
 * directory of files "f0".."f99", as a device file system would load inodes) sees namei's references
 * dropped when each syscall returns, open files and cwds hold theirs, the free list stays bounded,
 * unlinked files are recycled at their last reference, and unmount reclaims or refuses.
 */
class VnodeCacheTest {
    private static final int FILES = 100;
    private static final int MAX_FREE = 8;
    private static final long ROOT = 1;

    /** A flat file system over a map of inode numbers; counts VOP_INACTIVE and VOP_RECLAIM. */
    private static final class FlatFs implements VfsOps, VnodeOps {
        final Kernel kernel;
        final Mount mount;
        final VnodeCache cache;
        final Map<Long, Boolean> linked = new ConcurrentHashMap<>();
        final AtomicInteger inactives = new AtomicInteger();
        final AtomicInteger reclaims = new AtomicInteger();
        final AtomicInteger freedInodes = new AtomicInteger();

        FlatFs(Kernel kernel, Vnode covered, long fsid) {
            this.kernel = kernel;
            this.mount = new Mount(this, "flatfs", covered, fsid, 0);
            this.cache = new VnodeCache(kernel, MAX_FREE);
            for (long ino = 2; ino < 2 + FILES; ino++) linked.put(ino, true);
        }

        private int load(long ino, Out<Vnode> vpp) {
            if (ino != ROOT && !linked.containsKey(ino)) return Errno.ENOENT.number();
            vpp.set(new Vnode(kernel, mount, this, ino == ROOT ? VType.VDIR : VType.VREG, ino));
            return 0;
        }

        private static long ino(Vnode vp) {
            return (Long) vp.data();
        }

        @Override
        public int root(Mount mp, Out<Vnode> vpp) {
            return cache.get(ROOT, this::load, vpp);
        }

        @Override
        public int unmount(Mount mp, boolean force) {
            return cache.flush(force);
        }

        @Override
        public int lookup(VopArgs.Lookup a) {
            String name = a.cnp().name();
            if (name.equals(".")) return cache.get(ROOT, this::load, a.vpp());
            if (!name.matches("f\\d+")) return Errno.ENOENT.number();
            long ino = 2 + Long.parseLong(name.substring(1));
            if (!Boolean.TRUE.equals(linked.get(ino))) return Errno.ENOENT.number();
            return cache.get(ino, this::load, a.vpp());
        }

        @Override
        public int access(VopArgs.Access a) {
            return 0;
        }

        @Override
        public int getattr(VopArgs.Getattr a) {
            Vattr v = a.vap();
            long ino = ino(a.vp());
            v.type = a.vp().type();
            v.mode = ino == ROOT ? 0755 : 0644;
            v.nlink = ino == ROOT ? 2 : Boolean.TRUE.equals(linked.get(ino)) ? 1 : 0;
            v.uid = v.gid = 0;
            v.fileid = ino;
            v.size = ino == ROOT ? 0 : content(ino).length;
            v.atime = v.mtime = v.ctime = v.birthtime = 0;
            v.rdev = 0;
            v.blocksize = 512;
            v.bytes = v.size;
            return 0;
        }

        private static byte[] content(long ino) {
            return ("file " + (ino - 2)).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public int open(VopArgs.Open a) {
            return 0;
        }

        @Override
        public int close(VopArgs.Close a) {
            return 0;
        }

        @Override
        public int read(VopArgs.Read a) {
            byte[] c = content(ino(a.vp()));
            long off = a.uio().offset();
            if (off < c.length) a.uio().move(c, (int) off, (int) Math.min(c.length - off, a.uio().resid()));
            return 0;
        }

        @Override
        public int remove(VopArgs.Remove a) {
            linked.put(ino(a.vp()), false);
            a.vp().unlock(); // WILLPUT: both come back unlocked
            if (a.dvp() != a.vp()) a.dvp().unlock();
            return 0;
        }

        /** The last reference to an unlinked file: recycle it, freeing the inode (as ext2 would). */
        @Override
        public int inactive(VopArgs.Inactive a) {
            inactives.incrementAndGet();
            long ino = ino(a.vp());
            if (Boolean.FALSE.equals(linked.get(ino))) {
                linked.remove(ino);
                freedInodes.incrementAndGet();
                a.recycle().set(true);
            }
            a.vp().unlock();
            return 0;
        }

        @Override
        public int reclaim(VopArgs.Reclaim a) {
            reclaims.incrementAndGet();
            return 0;
        }
    }

    private RumpKernel rk;
    private Syscalls sys;
    private final FlatFs[] mounted = new FlatFs[1];

    @BeforeEach
    void boot() {
        rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).addComponent(TestComponents.vfs("flatfs", k -> {
            VfsTypes.register(k, new VfsType() {
                @Override
                public String name() {
                    return "flatfs";
                }

                @Override
                public int mount(Kernel kernel, Vnode covered, int flags, String options, long fsid, Out<Mount> out) {
                    mounted[0] = new FlatFs(kernel, covered, fsid);
                    out.set(mounted[0].mount);
                    return 0;
                }
            });
        })).build());
        sys = rk.syscalls();
        rk.pub().lwprocRfork(Sys.RUMP_RFCFDG);
        sys.mkdir("/mnt", 0755);
        sys.mount("flatfs", "/mnt", 0, null);
    }

    @AfterEach
    void halt() {
        rk.halt();
    }

    private FlatFs fs() {
        return mounted[0];
    }

    @Test
    void lookupsLeaveNoReferences_andTheFreeListStaysBounded() {
        for (int i = 0; i < FILES; i++) assertThat(sys.stat("/mnt/f" + i).size()).isEqualTo(("file " + i).length());
        VnodeCache cache = fs().cache;
        assertThat(cache.loads()).isGreaterThanOrEqualTo(FILES);
        assertThat(cache.size()).isEqualTo(cache.freeCount()); // nothing referenced between syscalls
        assertThat(cache.freeCount()).isLessThanOrEqualTo(MAX_FREE);
        assertThat(fs().reclaims.get()).isGreaterThanOrEqualTo(FILES - MAX_FREE);
        assertThat(fs().freedInodes.get()).isZero();
        // a cached vnode is found again without loading
        long loads = cache.loads();
        sys.stat("/mnt/f" + (FILES - 1));
        assertThat(cache.loads()).isEqualTo(loads);
    }

    @Test
    void anOpenFileKeepsItsVnode_throughChurn() {
        int fd = sys.open("/mnt/f7", Sys.O_RDONLY, 0);
        for (int i = 0; i < FILES; i++) sys.stat("/mnt/f" + i);
        ByteBuffer b = ByteBuffer.allocate(32);
        sys.read(fd, b);
        assertThat(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8)).isEqualTo("file 7");
        assertThat(fs().cache.size() - fs().cache.freeCount()).isEqualTo(1); // just the open file
        sys.close(fd);
        assertThat(fs().cache.size()).isEqualTo(fs().cache.freeCount());
    }

    @Test
    void anUnlinkedFile_isRecycledAtItsLastReference() {
        int fd = sys.open("/mnt/f3", Sys.O_RDONLY, 0);
        sys.unlink("/mnt/f3");
        assertThat(errnoOf(() -> sys.stat("/mnt/f3"))).isEqualTo(Errno.ENOENT);
        assertThat(fs().freedInodes.get()).isZero(); // still open
        assertThat(sys.fstat(fd).nlink()).isZero();
        sys.close(fd);
        assertThat(fs().freedInodes.get()).isEqualTo(1);
    }

    @Test
    void unmount_isBusyWhileReferenced_andForcedLeavesDeadVnodes() {
        int fd = sys.open("/mnt/f1", Sys.O_RDONLY, 0);
        assertThat(errnoOf(() -> sys.unmount("/mnt", 0))).isEqualTo(Errno.EBUSY);
        sys.unmount("/mnt", Sys.MNT_FORCE);
        assertThat(errnoOf(() -> sys.read(fd, ByteBuffer.allocate(8)))).isEqualTo(Errno.EBADF);
        assertThat(errnoOf(() -> sys.fstat(fd))).isEqualTo(Errno.EIO);
        sys.close(fd); // closing a dead vnode's file is fine
        assertThat(fs().cache.size()).isZero();
        assertThat(sys.stat("/mnt").ino()).isNotEqualTo(ROOT); // the covered directory again
    }

    @Test
    void aCwdHoldsItsDirectory_andUnmountReclaimsEverything() {
        sys.chdir("/mnt");
        assertThat(sys.stat("f5").size()).isEqualTo(6);
        assertThat(errnoOf(() -> sys.unmount("/mnt", 0))).isEqualTo(Errno.EBUSY);
        sys.chdir("/");
        for (int i = 0; i < 5; i++) sys.stat("/mnt/f" + i);
        int before = fs().cache.size();
        assertThat(before).isPositive();
        sys.unmount("/mnt", 0);
        assertThat(fs().cache.size()).isZero();
        assertThat(fs().reclaims.get()).isGreaterThanOrEqualTo(before);
    }
}
