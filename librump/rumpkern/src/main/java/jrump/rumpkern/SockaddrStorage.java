package jrump.rumpkern;

/**
 * struct sockaddr_storage: room for an address the kernel writes (accept's peer, recvfrom's sender).
 * Mutable, as the kernel fills the object it is given; {@link #get()} is null until it has.
 */
public final class SockaddrStorage {
    private volatile Sockaddr addr;

    public Sockaddr get() {
        return addr;
    }

    public void set(Sockaddr a) {
        addr = a;
    }

    @Override
    public String toString() {
        return String.valueOf(addr);
    }
}
