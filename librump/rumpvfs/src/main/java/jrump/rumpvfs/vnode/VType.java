package jrump.rumpvfs.vnode;

import jrump.rumpkern.Dirent;

/** Vnode types (enum vtype, sys/vnode.h). */
public enum VType {
    VNON, VREG, VDIR, VBLK, VCHR, VLNK, VSOCK, VFIFO, VBAD;

    /** The dirent d_type of a vnode of this type (IFTODT(VTTOIF(vtype)) in NetBSD's readdir code). */
    public int direntType() {
        return switch (this) {
            case VREG -> Dirent.DT_REG;
            case VDIR -> Dirent.DT_DIR;
            case VLNK -> Dirent.DT_LNK;
            case VFIFO -> Dirent.DT_FIFO;
            case VCHR -> Dirent.DT_CHR;
            case VBLK -> Dirent.DT_BLK;
            case VSOCK -> Dirent.DT_SOCK;
            default -> Dirent.DT_UNKNOWN;
        };
    }
}
