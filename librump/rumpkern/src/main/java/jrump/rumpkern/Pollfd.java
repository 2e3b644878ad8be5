package jrump.rumpkern;

/**
 * struct pollfd: a descriptor and the events to wait for; poll fills in {@code revents}. Mutable, as poll
 * updates the array it is given.
 */
public final class Pollfd {
    public static final short POLLIN = 0x0001;
    public static final short POLLPRI = 0x0002;
    public static final short POLLOUT = 0x0004;
    public static final short POLLERR = 0x0008;
    public static final short POLLHUP = 0x0010;
    public static final short POLLNVAL = 0x0020;
    public static final short POLLRDNORM = 0x0040;
    public static final short POLLWRNORM = POLLOUT;

    public int fd;
    public short events;
    public short revents;

    public Pollfd(int fd, short events) {
        this.fd = fd;
        this.events = events;
    }

    @Override
    public String toString() {
        return "pollfd(" + fd + ", events=0x" + Integer.toHexString(events) + ", revents=0x" + Integer.toHexString(revents) + ")";
    }
}
