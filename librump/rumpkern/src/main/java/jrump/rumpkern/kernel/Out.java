package jrump.rumpkern.kernel;

/** A struct a system call copies out to its caller: the kernel {@link #set}s it, the entry point returns it. */
public final class Out<T> {
    private T value;

    public void set(T v) {
        value = v;
    }

    public T get() {
        return value;
    }
}
