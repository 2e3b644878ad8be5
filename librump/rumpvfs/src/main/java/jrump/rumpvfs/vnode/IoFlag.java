package jrump.rumpvfs.vnode;

/** ioflag bits of VOP_READ/VOP_WRITE (sys/vnode.h). */
public final class IoFlag {
    public static final int IO_UNIT = 0x00010;
    public static final int IO_APPEND = 0x00020;
    public static final int IO_SYNC = 0x00044;

    private IoFlag() {
    }
}
