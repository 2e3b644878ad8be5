package jrump.rumpnet.socket;

/**
 * What a protocol sees of the socket it serves (the soisconnected/sorwakeup/sonewconn side of NetBSD's
 * struct socket). A kernel's {@link Socket} implements it; a simulation may implement it without a kernel.
 * Callers hold the network lock.
 */
public interface SocketEvents {
    SockBuf rcv();

    SockBuf snd();

    /** SO_* option bits set on the socket (SO_KEEPALIVE, SO_REUSEADDR...). */
    int options();

    /** The protocol control block now serving this socket (a new connection's, after {@link #newConnection}). */
    void attach(ProtoSocket pcb);

    /** soisconnecting. */
    void isConnecting();

    /** soisconnected: a connecting socket is established; an embryonic one moves to its listener's accept queue. */
    void isConnected();

    /** soisdisconnecting: no more sending or receiving is possible (FIN exchanged, close in progress). */
    void isDisconnecting();

    /** soisdisconnected: the connection is gone; the protocol keeps no reference to this socket afterwards. */
    void isDisconnected();

    /** socantrcvmore: the peer will send nothing more (FIN received). */
    void cantRcvMore();

    /** socantsendmore. */
    void cantSendMore();

    /** so_error: a pending error, reported by the next call (and SO_ERROR). */
    void setError(int errno);

    /** sorwakeup: data, end of stream, a connection or an error to read. */
    void readable();

    /** sowwakeup: room to write, or a state change writers wait for. */
    void writable();

    /**
     * sonewconn: an embryonic socket under this listening one for an incoming connection, or null when the
     * accept queue is full. The protocol calls {@link #attach} on it, then {@link #isConnected} when
     * established (it becomes acceptable) or {@link #isDisconnected} when it fails.
     */
    SocketEvents newConnection();

    /**
     * Whether {@link #newConnection} would refuse now: a protocol under pressure (TCP's SYN cookies) stops
     * keeping state for connections the queue could not take anyway.
     */
    default boolean acceptQueueFull() {
        return false;
    }
}
