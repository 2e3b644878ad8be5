package jrump.netchan;

import java.nio.channels.SelectionKey;

import jrump.rumpkern.Pollfd;

/** What a {@link KernelSelector} needs of a channel: its descriptor and how poll's events map to ready operations. */
interface KernelChannel {
    KernelFd kfd();

    /** The poll events that wait for {@code ops} (SelectionKey's OP_* bits). */
    default short pollEvents(int ops) {
        int ev = 0;
        if ((ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) ev |= Pollfd.POLLIN;
        if ((ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) ev |= Pollfd.POLLOUT;
        return (short) ev;
    }

    /**
     * The operations of {@code interest} that {@code revents} make ready. An error or hang-up makes every
     * interested operation ready, so that the next call reports it (as the JDK does).
     */
    default int readyOps(short revents, int interest) {
        if ((revents & (Pollfd.POLLERR | Pollfd.POLLHUP | Pollfd.POLLNVAL)) != 0) return interest;
        int ready = 0;
        if ((revents & Pollfd.POLLIN) != 0) ready |= SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;
        if ((revents & Pollfd.POLLOUT) != 0) ready |= SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;
        return ready & interest;
    }
}
