package jrump.rumpkern;

import java.nio.ByteBuffer;

/**
 * struct msghdr for sendmsg and recvmsg. The iovecs are byte buffers whose positions advance by what was
 * moved, in order. For sendmsg {@code name} is the destination (or null); recvmsg fills {@code from}
 * (when not null) with the sender and sets {@code flags} (MSG_TRUNC, MSG_EOR...). Control messages are
 * not supported yet.
 */
public final class Msghdr {
    public Sockaddr name;
    public SockaddrStorage from;
    public ByteBuffer[] iov;
    public int flags;

    public Msghdr(ByteBuffer... iov) {
        this.iov = iov;
    }
}
