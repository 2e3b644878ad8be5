package jrump.rumpkern.kernel;

/** The kinds of RUMP_COMPONENT, in the order a kernel initialises them at boot. */
public enum ComponentType {
    DEV, DEV_AFTERMAINBUS, NET, NET_ROUTE, NET_IF, NET_IFCFG, VFS, KERN, KERN_VFS, POSTINIT, SYSCALL
}
