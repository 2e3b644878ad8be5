package jrump.rumpvfs.vnode;

/** Vnode types (enum vtype, sys/vnode.h). */
public enum VType {
    VNON, VREG, VDIR, VBLK, VCHR, VLNK, VSOCK, VFIFO, VBAD
}
