package jrump.dev.cgd;

import java.nio.ByteBuffer;
import java.util.Arrays;

import jrump.rumpdev.DiskException;
import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpvfs.vnode.Buf;
import jrump.rumpvfs.vnode.Vop;

/**
 * A cgd for a kernel that is about to boot, from outside it (what ukfs and the jrump command use): {@link
 * #configure} adds a component that hands this layer its kernel, {@link #attach} then configures the cgd over
 * a block device of that kernel and checks the key with the parameters' verification method, and {@link
 * #detach} unconfigures it. One layer serves one kernel.
 */
public final class CgdLayer implements AutoCloseable {
    private final CgdParams params;
    private final byte[] key;
    private volatile Kernel kernel;
    private CgdDevice device;

    /** {@code key} is copied (and wiped at {@link #detach}). */
    public CgdLayer(CgdParams params, byte[] key) {
        this.params = params;
        this.key = key.clone();
    }

    /** Adds the component that gives this layer the booted kernel. */
    public RumpConfig.Builder configure(RumpConfig.Builder config) {
        return config.addComponent(new RumpComponent() {
            @Override
            public String name() {
                return "rumpdev_cgd";
            }

            @Override
            public ComponentType type() {
                return ComponentType.POSTINIT;
            }

            @Override
            public int init(Kernel k) {
                kernel = k;
                return 0;
            }
        });
    }

    /**
     * Configures the cgd {@code name} over the block device {@code lowerName} and verifies the key.
     *
     * @throws DiskException EAUTH-like EINVAL when the verification method rejects the key (the device is
     *                       unconfigured again), or what {@link Cgd#configure} throws
     */
    public synchronized CgdDevice attach(String name, String lowerName, boolean readOnly) throws DiskException {
        if (kernel == null) throw new IllegalStateException("the kernel was not booted with CgdLayer.configure");
        if (device != null) throw new IllegalStateException("attached already");
        CgdDevice dev = Cgd.configure(kernel, name, lowerName, params, key, readOnly);
        String failure = Verify.check(dev, params.verifyMethod());
        if (failure != null) {
            dev.close();
            throw new DiskException(Errno.EINVAL.number(), "wrong passphrase? verify_method " + params.verifyMethod().keyword() + ": " + failure);
        }
        device = dev;
        return dev;
    }

    /** Reads decrypted bytes at {@code offset} (any alignment) into {@code dst}; the count, fewer at the end. */
    public int read(long offset, ByteBuffer dst) throws DiskException {
        CgdDevice dev = device;
        if (dev == null) throw new IllegalStateException("not attached");
        long first = offset / SectorCipher.SECTOR;
        int skip = (int) (offset % SectorCipher.SECTOR);
        int want = (int) Math.min(dst.remaining(), Math.max(0, dev.size() - offset));
        if (want <= 0) return 0;
        int span = (skip + want + SectorCipher.SECTOR - 1) / SectorCipher.SECTOR * SectorCipher.SECTOR;
        ByteBuffer b = ByteBuffer.allocate(span);
        Buf bp = new Buf(first, b, true);
        Vop.strategy(dev.vnode(), bp);
        if (bp.error != 0) throw new DiskException(bp.error, dev.name() + ": reading: " + Errno.of(bp.error).message());
        dst.put(b.array(), skip, want);
        return want;
    }

    public synchronized CgdDevice device() {
        return device;
    }

    /** Unconfigures the cgd (if attached) and wipes the key. */
    public synchronized void detach() {
        if (device != null) device.close();
        device = null;
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public void close() {
        detach();
    }
}
