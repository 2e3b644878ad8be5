package jrump.net.netinet.tcp;

/** The connection states of RFC 9293 section 3.3.2. */
public enum TcpState {
    CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT;

    /** Whether the state is synchronized (the handshake completed: RFC 9293 3.5.2's distinction). */
    boolean synchronized_() {
        return compareTo(ESTABLISHED) >= 0;
    }

    /** Whether data may still arrive (RFC 9293 3.10.7.4, "seventh, process the segment text"). */
    boolean receivesData() {
        return this == ESTABLISHED || this == FIN_WAIT_1 || this == FIN_WAIT_2;
    }

    @Override
    public String toString() {
        return name().replace('_', '-');
    }
}
