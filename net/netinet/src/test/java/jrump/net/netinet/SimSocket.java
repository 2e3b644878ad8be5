package jrump.net.netinet;

import java.util.ArrayDeque;

import jrump.rumpnet.socket.ProtoSocket;
import jrump.rumpnet.socket.SockBuf;
import jrump.rumpnet.socket.SocketEvents;

/** A socket without a kernel, for the simulation: buffers, state flags and an accept queue. */
final class SimSocket implements SocketEvents {
    final SockBuf rcv;
    final SockBuf snd;
    ProtoSocket pcb;
    int options;
    boolean connected;
    boolean disconnected;
    boolean cantRcvMore;
    int error;
    final ArrayDeque<SimSocket> embryos = new ArrayDeque<>();
    final ArrayDeque<SimSocket> acceptable = new ArrayDeque<>();
    SimSocket head;

    SimSocket(int bufSize) {
        this(bufSize, true);
    }

    SimSocket(int bufSize, boolean stream) {
        this.rcv = new SockBuf(stream, bufSize);
        this.snd = new SockBuf(stream, bufSize);
    }

    static SimSocket tcp(Inet inet, int bufSize) {
        SimSocket s = new SimSocket(bufSize);
        s.pcb = inet.tcp().attach(s);
        return s;
    }

    static SimSocket tcp6(Inet inet, int bufSize) {
        SimSocket s = new SimSocket(bufSize);
        s.pcb = inet.tcp().attach(s, true);
        return s;
    }

    static SimSocket udp6(Inet inet, int bufSize) {
        SimSocket s = new SimSocket(bufSize, false);
        s.pcb = new UdpPcb(inet.udp(), s, true);
        return s;
    }

    SimSocket accept() {
        SimSocket s = acceptable.poll();
        if (s != null) s.head = null;
        return s;
    }

    @Override
    public SockBuf rcv() {
        return rcv;
    }

    @Override
    public SockBuf snd() {
        return snd;
    }

    @Override
    public int options() {
        return options;
    }

    @Override
    public void attach(ProtoSocket p) {
        pcb = p;
    }

    @Override
    public void isConnecting() {
    }

    @Override
    public void isConnected() {
        connected = true;
        if (head != null && head.embryos.remove(this)) head.acceptable.add(this);
    }

    @Override
    public void isDisconnecting() {
    }

    @Override
    public void isDisconnected() {
        disconnected = true;
        cantRcvMore = true;
        if (head != null) head.embryos.remove(this);
    }

    @Override
    public void cantRcvMore() {
        cantRcvMore = true;
    }

    @Override
    public void cantSendMore() {
    }

    @Override
    public void setError(int errno) {
        error = errno;
    }

    @Override
    public void readable() {
    }

    @Override
    public void writable() {
    }

    /** The accept queue's limit (a listen backlog). */
    int backlog = 128;

    @Override
    public boolean acceptQueueFull() {
        return embryos.size() + acceptable.size() > backlog;
    }

    @Override
    public SocketEvents newConnection() {
        if (acceptQueueFull()) return null;
        SimSocket s = new SimSocket(rcv.hiwat());
        s.head = this;
        s.options = options;
        embryos.add(s);
        return s;
    }
}
