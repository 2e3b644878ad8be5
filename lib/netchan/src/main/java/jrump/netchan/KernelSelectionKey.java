package jrump.netchan;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectionKey;

/** A channel's registration with a {@link KernelSelector}. Interest changes take effect at the next select, as in the JDK. */
final class KernelSelectionKey extends AbstractSelectionKey {
    private final SelectableChannel channel;
    private final KernelSelector selector;
    private volatile int interest;
    private volatile int ready;

    KernelSelectionKey(SelectableChannel channel, KernelSelector selector, int interest) {
        this.channel = channel;
        this.selector = selector;
        this.interest = interest;
    }

    KernelChannel kernelChannel() {
        return (KernelChannel) channel;
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    @Override
    public Selector selector() {
        return selector;
    }

    @Override
    public int interestOps() {
        if (!isValid()) throw new CancelledKeyException();
        return interest;
    }

    @Override
    public java.nio.channels.SelectionKey interestOps(int ops) {
        if (!isValid()) throw new CancelledKeyException();
        if ((ops & ~channel.validOps()) != 0) throw new IllegalArgumentException("Invalid interest ops: " + ops);
        interest = ops;
        return this;
    }

    /** The interest set for the selector, without the validity check. */
    int interestNow() {
        return interest;
    }

    @Override
    public int readyOps() {
        if (!isValid()) throw new CancelledKeyException();
        return ready;
    }

    void setReady(int ops) {
        ready = ops;
    }

    int readyNow() {
        return ready;
    }
}
