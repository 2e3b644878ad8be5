package jrump.rumpnet.socket;

import java.nio.ByteBuffer;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sockaddr;
import jrump.rumpnet.mbuf.Mbuf;

/**
 * A protocol's per-socket state and its user requests (NetBSD's struct pr_usrreqs). Methods return errnos
 * and run with the network lock held.
 */
public interface ProtoSocket {
    int EOPNOTSUPP = Errno.EOPNOTSUPP.number();

    int bind(Sockaddr addr);

    default int listen(int backlog) {
        return EOPNOTSUPP;
    }

    /** Starts a connection (streams) or sets the default destination (datagrams). */
    int connect(Sockaddr addr);

    /** socketpair: joins two sockets of this protocol. */
    default int connect2(ProtoSocket other) {
        return EOPNOTSUPP;
    }

    /** Queues data (taking over {@code m}) for {@code to} (null: the connected peer). */
    int send(Mbuf m, Sockaddr to, int flags);

    /** Bytes {@link #send} can take now without exceeding the send buffer (or the peer's receive buffer). */
    int sendSpace();

    /** The application took data out of the receive buffer: a chance to open the window. */
    default void rcvd() {
    }

    /** shutdown(SHUT_WR): no more data will be sent. */
    int shutdownOutput();

    /** close: ends the connection gracefully; the protocol may keep state after the socket is gone. */
    int disconnect();

    /** Ends the connection at once (a TCP RST). */
    void abort();

    /** The socket is going away: the protocol forgets it (after disconnect or abort). */
    void detach();

    Sockaddr sockaddr();

    /** The peer's address, or null when not connected. */
    Sockaddr peeraddr();

    /** A protocol-level option (level is not SOL_SOCKET). */
    default int setopt(int level, int name, ByteBuffer val) {
        return Errno.ENOPROTOOPT.number();
    }

    /** Writes a protocol-level option's value into {@code out}. */
    default int getopt(int level, int name, ByteBuffer out) {
        return Errno.ENOPROTOOPT.number();
    }

    /**
     * A SOL_SOCKET option was set on the socket (NetBSD's sosetopt passing it on to pr_ctloutput): a protocol
     * carried by another stack (sockin) sets it there too. {@code val} is the caller's value; returns an errno.
     */
    default int socketOptionSet(int name, ByteBuffer val) {
        return 0;
    }
}
