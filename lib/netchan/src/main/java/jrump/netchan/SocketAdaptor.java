package jrump.netchan;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * SocketChannel.socket(): a java.net.Socket whose every call goes to the channel (as the JDK's own
 * sun.nio.ch.SocketAdaptor). Netty reads addresses and sets TCP_NODELAY through it. The streams need the
 * channel in blocking mode; SO_TIMEOUT is kept but not applied to them.
 */
final class SocketAdaptor extends Socket {
    private final KernelSocketChannel ch;
    private volatile int timeout;

    private SocketAdaptor(KernelSocketChannel ch) throws SocketException {
        super(new NoSocketImpl());
        this.ch = ch;
    }

    static Socket of(KernelSocketChannel ch) {
        try {
            return new SocketAdaptor(ch);
        } catch (SocketException e) {
            throw new IllegalStateException(e); // no impl is created for a null SocketImpl
        }
    }

    private static SocketException wrap(IOException e) {
        if (e instanceof SocketException se) return se;
        SocketException se = new SocketException(e.getMessage());
        se.initCause(e);
        return se;
    }

    @Override
    public SocketChannel getChannel() {
        return ch;
    }

    @Override
    public void connect(SocketAddress remote) throws IOException {
        ch.connect(remote);
    }

    @Override
    public void connect(SocketAddress remote, int timeout) throws IOException {
        ch.connect(remote);
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        ch.bind(local);
    }

    @Override
    public InetAddress getInetAddress() {
        return getRemoteSocketAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }

    @Override
    public int getPort() {
        return getRemoteSocketAddress() instanceof InetSocketAddress a ? a.getPort() : 0;
    }

    @Override
    public InetAddress getLocalAddress() {
        return getLocalSocketAddress() instanceof InetSocketAddress a ? a.getAddress() : InetAddrs.toJava(0);
    }

    @Override
    public int getLocalPort() {
        return getLocalSocketAddress() instanceof InetSocketAddress a ? a.getPort() : -1;
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        try {
            return ch.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        try {
            return ch.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public InputStream getInputStream() throws IOException {
        if (!ch.isOpen()) throw new SocketException("Socket is closed");
        if (!ch.isConnected()) throw new SocketException("Socket is not connected");
        return Channels.newInputStream(ch);
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        if (!ch.isOpen()) throw new SocketException("Socket is closed");
        if (!ch.isConnected()) throw new SocketException("Socket is not connected");
        return Channels.newOutputStream(ch);
    }

    private <T> void set(SocketOption<T> o, T v) throws SocketException {
        try {
            ch.setOption(o, v);
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    private <T> T get(SocketOption<T> o) throws SocketException {
        try {
            return ch.getOption(o);
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        set(StandardSocketOptions.TCP_NODELAY, on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return get(StandardSocketOptions.TCP_NODELAY);
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        set(StandardSocketOptions.SO_LINGER, on ? Math.max(linger, 0) : -1);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return get(StandardSocketOptions.SO_LINGER);
    }

    @Override
    public void setSoTimeout(int t) throws SocketException {
        if (t < 0) throw new IllegalArgumentException("timeout < 0");
        timeout = t;
    }

    @Override
    public int getSoTimeout() {
        return timeout;
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        set(StandardSocketOptions.SO_SNDBUF, size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return get(StandardSocketOptions.SO_SNDBUF);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        set(StandardSocketOptions.SO_RCVBUF, size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return get(StandardSocketOptions.SO_RCVBUF);
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        set(StandardSocketOptions.SO_KEEPALIVE, on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return get(StandardSocketOptions.SO_KEEPALIVE);
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        set(StandardSocketOptions.IP_TOS, tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return get(StandardSocketOptions.IP_TOS);
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        set(StandardSocketOptions.SO_REUSEADDR, on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return get(StandardSocketOptions.SO_REUSEADDR);
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        if (on) throw new SocketException("urgent data is not supported");
    }

    @Override
    public boolean getOOBInline() {
        return false;
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        throw new SocketException("urgent data is not supported");
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        ch.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return ch.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return ch.supportedOptions();
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    @Override
    public void shutdownInput() throws IOException {
        ch.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        ch.shutdownOutput();
    }

    @Override
    public boolean isConnected() {
        return ch.isConnected();
    }

    @Override
    public boolean isBound() {
        return getLocalSocketAddress() != null;
    }

    @Override
    public boolean isClosed() {
        return !ch.isOpen();
    }

    @Override
    public boolean isInputShutdown() {
        return ch.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return ch.isOutputShutdown();
    }

    @Override
    public String toString() {
        return ch.isConnected() ? "Socket[addr=" + getInetAddress() + ",port=" + getPort() + ",localport=" + getLocalPort() + "]"
                : "Socket[unconnected]";
    }
}
