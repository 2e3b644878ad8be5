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
 * driven under the kernel's network lock, its timers run by one callout; lo0 gets 127.0.0.1/8 (and ::1) at
 * boot.
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

    /** PF_INET: sockin serves it too, and a kernel has one of them (NetBSD's README.dirs). */
    @Override
    public String provides() {
        return "PF_INET";
    }

    @Override
    public int init(Kernel kernel) {
        Sockets sockets = Sockets.of(kernel);
        if (sockets == null) return Errno.ENXIO.number();
        KernelStack ks = new KernelStack(kernel, sockets.lock());
        kernel.specific().put(KEY, ks);
        sockets.addDomain(new InetDomain(ks.inet));
        sockets.addDomain(new Inet6Domain(ks.inet));
        kernel.setNetconf(ks);
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
    public static final class KernelStack implements jrump.rumpkern.kernel.NetconfProvider {
        /** Makes an interface of one type (if_clone): returns an errno. */
        public interface Cloner {
            int create(String ifname, String linkstr);
        }

        private final java.util.Map<String, Cloner> cloners = new java.util.concurrent.ConcurrentHashMap<>();

        /** Registers the interface type {@code type} ("shmif"): interface drivers do, at boot. */
        public void addCloner(String type, Cloner c) {
            cloners.put(type, c);
        }

        @Override
        public int ifCreate(String ifname, String linkstr) {
            String type = ifname.replaceAll("[0-9]+$", "");
            Cloner c = cloners.get(type);
            if (c == null || type.equals(ifname)) return Errno.ENXIO.number();
            boolean[] exists = new boolean[1];
            locked(() -> exists[0] = inet.ifunit(ifname) != null);
            if (exists[0]) return Errno.EEXIST.number();
            return c.create(ifname, linkstr);
        }

        @Override
        public int ifAddr(String ifname, String cidr) {
            if (cidr.indexOf(':') >= 0) return ifAddr6(ifname, cidr);
            int slash = cidr.indexOf('/');
            int addr;
            int prefix;
            try {
                addr = SockaddrIn.parse(slash < 0 ? cidr : cidr.substring(0, slash));
                prefix = slash < 0 ? 32 : Integer.parseInt(cidr.substring(slash + 1));
            } catch (IllegalArgumentException e) {
                return Errno.EINVAL.number();
            }
            int[] r = new int[1];
            locked(() -> {
                jrump.rumpnet.net.Ifnet ifp = inet.ifunit(ifname);
                r[0] = ifp == null ? Errno.ENXIO.number() : inet.addAddress(ifp, addr, prefix);
            });
            return r[0];
        }

        /** An IPv6 address "fd00::1/64" (the prefix length defaults to 64, RFC 4291 2.5.4's usual split). */
        private int ifAddr6(String ifname, String cidr) {
            int slash = cidr.indexOf('/');
            IpAddr addr;
            int prefix;
            try {
                addr = IpAddr.parse6(slash < 0 ? cidr : cidr.substring(0, slash));
                prefix = slash < 0 ? 64 : Integer.parseInt(cidr.substring(slash + 1));
            } catch (IllegalArgumentException e) {
                return Errno.EINVAL.number();
            }
            int[] r = new int[1];
            locked(() -> {
                jrump.rumpnet.net.Ifnet ifp = inet.ifunit(ifname);
                r[0] = ifp == null ? Errno.ENXIO.number() : inet.addAddress6(ifp, addr, prefix);
            });
            return r[0];
        }

        /** An IPv6 route: "default" or "fd01::/64" via a gateway address (or "default6"). */
        private int routeAdd6(String dest, String gateway) {
            IpAddr d;
            int prefix;
            IpAddr gw;
            try {
                if (dest.equals("default") || dest.equals("::/0")) {
                    d = IpAddr.ANY;
                    prefix = 0;
                } else {
                    int slash = dest.indexOf('/');
                    d = IpAddr.parse6(slash < 0 ? dest : dest.substring(0, slash));
                    prefix = slash < 0 ? 128 : Integer.parseInt(dest.substring(slash + 1));
                }
                gw = IpAddr.parse6(gateway);
            } catch (IllegalArgumentException e) {
                return Errno.EINVAL.number();
            }
            int[] r = new int[1];
            locked(() -> r[0] = inet.addRoute6(d, prefix, gw, 0));
            return r[0];
        }

        @Override
        public int routeAdd(String dest, String gateway) {
            if (gateway.indexOf(':') >= 0 || dest.indexOf(':') >= 0) return routeAdd6(dest, gateway);
            int d;
            int prefix;
            int gw;
            try {
                if (dest.equals("default")) {
                    d = 0;
                    prefix = 0;
                } else {
                    int slash = dest.indexOf('/');
                    d = SockaddrIn.parse(slash < 0 ? dest : dest.substring(0, slash));
                    prefix = slash < 0 ? 32 : Integer.parseInt(dest.substring(slash + 1));
                }
                gw = SockaddrIn.parse(gateway);
            } catch (IllegalArgumentException e) {
                return Errno.EINVAL.number();
            }
            if (prefix < 0 || prefix > 32) return Errno.EINVAL.number();
            int[] r = new int[1];
            locked(() -> r[0] = inet.addRoute(d, prefix, gw, 0));
            return r[0];
        }

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
