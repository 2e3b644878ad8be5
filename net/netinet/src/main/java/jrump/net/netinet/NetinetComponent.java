package jrump.net.netinet;

import jrump.rumpkern.Errno;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.kernel.Callout;
import jrump.rumpkern.kernel.ComponentType;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Kmutex;
import jrump.rumpkern.kernel.RumpComponent;
import jrump.rumpnet.net.LoopbackIf;
import jrump.rumpnet.socket.Sockets;

/**
 * The netinet component (NetBSD's rumpnet_netinet plus rumpnet_net's loopback): a stack per kernel,
 * driven under the kernel's network lock, its timers run by one callout; lo0 gets 127.0.0.1/8 at boot.
 */
public final class NetinetComponent implements RumpComponent {
    private static final Object KEY = new Object();

    @Override
    public String name() {
        return "rumpnet_netinet";
    }

    @Override
    public ComponentType type() {
        return ComponentType.NET_IF;
    }

    @Override
    public int init(Kernel kernel) {
        Sockets sockets = Sockets.of(kernel);
        if (sockets == null) return Errno.ENXIO.number();
        KernelStack ks = new KernelStack(kernel, sockets.lock());
        kernel.specific().put(KEY, ks);
        sockets.addDomain(new InetDomain(ks.inet));
        ks.locked(() -> {
            LoopbackIf lo = new LoopbackIf("lo0");
            ks.inet.attach(lo);
            ks.inet.addAddress(lo, SockaddrIn.INADDR_LOOPBACK, 8);
        });
        return 0;
    }

    /** The stack of {@code kernel}, or null when netinet is not in it. */
    public static KernelStack of(Kernel kernel) {
        return (KernelStack) kernel.specific().get(KEY);
    }

    /** A kernel's stack with what drives it: the network lock and a callout at the earliest timer. */
    public static final class KernelStack {
        final Inet inet;
        private final Kernel kernel;
        private final Kmutex lock;
        private final Callout callout;
        private long armedAt = Long.MAX_VALUE;

        KernelStack(Kernel kernel, Kmutex lock) {
            this.kernel = kernel;
            this.lock = lock;
            this.callout = kernel.callouts().create("netinet", this::tick);
            byte[] b = new byte[8];
            this.inet = new Inet(new NetEnv() {
                @Override
                public long nanoTime() {
                    return kernel.uptimeNanos();
                }

                @Override
                public long random() {
                    kernel.hyp().getRandom(b);
                    return java.nio.ByteBuffer.wrap(b).getLong();
                }
            }, this::earliestChanged);
        }

        public Inet inet() {
            return inet;
        }

        /** Runs {@code body} under the network lock (configuration from outside the stack). */
        public void locked(Runnable body) {
            lock.enter();
            try {
                body.run();
                inet.drain();
            } finally {
                lock.exit();
            }
        }

        // called with the lock held
        private void earliestChanged(long deadline) {
            if (deadline < armedAt) {
                armedAt = deadline;
                callout.scheduleNanos(Math.max(0, deadline - kernel.uptimeNanos()));
            }
        }

        private void tick() {
            lock.enter();
            try {
                armedAt = Long.MAX_VALUE;
                inet.poll();
                long next = inet.timers().earliest();
                if (next != Long.MAX_VALUE) earliestChanged(next);
            } finally {
                lock.exit();
            }
        }
    }
}
