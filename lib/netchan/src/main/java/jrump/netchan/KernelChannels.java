package jrump.netchan;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;

/**
 * The SelectorProvider of one kernel: {@code KernelChannels.provider(rk).openSocketChannel()} is a TCP
 * socket of that kernel. Pass it where code accepts a provider (Netty's NioEventLoopGroup,
 * NioSocketChannel(provider)); the JVM's default provider and other kernels' providers are not affected.
 * The no-family opens give PF_INET sockets; {@code open*(StandardProtocolFamily.INET6)} gives dual-stack
 * PF_INET6 ones.
 */
public final class KernelChannels extends SelectorProvider {
    private static final Map<RumpKernel, KernelChannels> PROVIDERS = new WeakHashMap<>();

    private final Syscalls sys;
    private final Set<KernelSelector> selectors = ConcurrentHashMap.newKeySet();

    private KernelChannels(Syscalls sys) {
        this.sys = sys;
    }

    /** The provider of {@code rk}'s sockets (one per kernel). */
    public static KernelChannels provider(RumpKernel rk) {
        synchronized (PROVIDERS) {
            return PROVIDERS.computeIfAbsent(rk, k -> new KernelChannels(k.syscalls()));
        }
    }

    private KernelFd socket(int type) throws IOException {
        try {
            return new KernelFd(sys, sys.socket(Sys.PF_INET, type | Sys.SOCK_NONBLOCK, 0));
        } catch (RumpException e) {
            throw Errnos.io(e);
        }
    }

    /**
     * A socket of {@code family}: PF_INET6 ones are dual-stack (IPV6_V6ONLY 0, as the JDK opens them), so
     * an INET6 channel also reaches and takes IPv4 peers through their v4-mapped addresses.
     */
    private KernelFd socket(ProtocolFamily family, int type) throws IOException {
        if (family == StandardProtocolFamily.INET) return socket(type);
        if (family != StandardProtocolFamily.INET6) {
            throw new UnsupportedOperationException("Protocol family not supported: " + family);
        }
        int s;
        try {
            s = sys.socket(Sys.PF_INET6, type | Sys.SOCK_NONBLOCK, 0);
        } catch (RumpException e) {
            if (e.errno() == Errno.EAFNOSUPPORT || e.errno() == Errno.EPROTONOSUPPORT) {
                throw new UnsupportedOperationException("IPv6 not available in this kernel");
            }
            throw Errnos.io(e);
        }
        try {
            sys.setsockopt(s, Sys.IPPROTO_IPV6, Sys.IPV6_V6ONLY, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 0));
        } catch (RumpException e) {
            sys.close(s);
            throw Errnos.io(e);
        }
        return new KernelFd(sys, s, true);
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        return new KernelSocketChannel(this, socket(Sys.SOCK_STREAM));
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        return new KernelSocketChannel(this, socket(family, Sys.SOCK_STREAM));
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        return new KernelServerSocketChannel(this, socket(Sys.SOCK_STREAM));
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        return new KernelServerSocketChannel(this, socket(family, Sys.SOCK_STREAM));
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        return new KernelDatagramChannel(this, socket(Sys.SOCK_DGRAM));
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        return new KernelDatagramChannel(this, socket(family, Sys.SOCK_DGRAM));
    }

    @Override
    public Pipe openPipe() throws IOException {
        try {
            int[] p = sys.pipe();
            return new KernelPipe(this, KernelFd.nonBlocking(sys, p[0]), KernelFd.nonBlocking(sys, p[1]));
        } catch (RumpException e) {
            throw Errnos.io(e);
        }
    }

    @Override
    public AbstractSelector openSelector() throws IOException {
        try {
            return new KernelSelector(this, sys);
        } catch (RumpException e) {
            throw Errnos.io(e);
        }
    }

    void selectorOpened(KernelSelector s) {
        selectors.add(s);
    }

    void selectorClosed(KernelSelector s) {
        selectors.remove(s);
    }

    void wakeSelectorsOf(SelectableChannel ch) {
        for (KernelSelector s : selectors) {
            if (ch.keyFor(s) != null) s.wakeup();
        }
    }

    @Override
    public String toString() {
        return "KernelChannels[" + sys + "]";
    }
}
