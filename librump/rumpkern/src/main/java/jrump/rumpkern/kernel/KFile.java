package jrump.rumpkern.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jrump.rumpkern.Sys;

/** An open file (struct file): shared by every descriptor that dup'ed it, with one offset and one set of flags. */
public final class KFile {
    /** f_flag bits: NetBSD's FREAD/FWRITE are O_ACCMODE + 1. */
    public static final int FREAD = 0x1;
    public static final int FWRITE = 0x2;
    /** The flags F_SETFL may change. */
    public static final int SETFL_MASK = Sys.O_NONBLOCK | Sys.O_APPEND | Sys.O_NOSIGPIPE;

    private final FileOps ops;
    private final Object data;
    private volatile int flag;
    private final AtomicLong offset = new AtomicLong();
    private final AtomicInteger refs = new AtomicInteger(1);

    public KFile(FileOps ops, Object data, int flag) {
        this.ops = ops;
        this.data = data;
        this.flag = flag;
    }

    public FileOps ops() {
        return ops;
    }

    public Object data() {
        return data;
    }

    public int flag() {
        return flag;
    }

    public void setFlag(int f) {
        flag = f;
    }

    public boolean readable() {
        return (flag & FREAD) != 0;
    }

    public boolean writable() {
        return (flag & FWRITE) != 0;
    }

    public boolean nonblocking() {
        return (flag & Sys.O_NONBLOCK) != 0;
    }

    public AtomicLong offset() {
        return offset;
    }

    void hold() {
        refs.incrementAndGet();
    }

    /** Drops a reference; the last one closes the file. */
    int release(KLwp l) {
        int left = refs.decrementAndGet();
        if (left == 0) return ops.close(l, this);
        if (left < 0) throw new IllegalStateException("file released too often");
        return 0;
    }
}
