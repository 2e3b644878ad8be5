package jrump.cli;

/**
 * Device numbers between NetBSD's dev_t (what the kernel's stat and mknod use, and what the file systems
 * store) and Linux's 64-bit one (what the host's stat and mknod use). Arithmetic only, so the commands that
 * read a host tree need not load HostNodes' native bindings.
 */
final class DevNumbers {
    private DevNumbers() {
    }

    /** NetBSD's makedev: major in bits 8-19, minor in bits 0-7 and 20-31 (sys/types.h). */
    static long netbsdDev(int major, int minor) {
        return (((long) major << 8) & 0x000fff00L) | (((long) minor << 12) & 0xfff00000L) | (minor & 0xffL);
    }

    static int netbsdMajor(long dev) {
        return (int) ((dev & 0x000fff00L) >>> 8);
    }

    static int netbsdMinor(long dev) {
        return (int) (((dev & 0xfff00000L) >>> 12) | (dev & 0xffL));
    }

    /** glibc's makedev: major in bits 8-19 and 32-63, minor in bits 0-7 and 20-31. */
    static long linuxDev(int major, int minor) {
        return ((major & 0xfffL) << 8) | ((major & 0xfffff000L) << 32) | (minor & 0xffL) | ((minor & 0xffffff00L) << 12);
    }

    static int linuxMajor(long dev) {
        return (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL));
    }

    static int linuxMinor(long dev) {
        return (int) ((dev & 0xff) | ((dev >>> 12) & ~0xffL));
    }

    /** A host (Linux) device number as the kernel's. */
    static long netbsdOfLinux(long linuxDev) {
        return netbsdDev(linuxMajor(linuxDev), linuxMinor(linuxDev));
    }

    /** A kernel (NetBSD) device number as the host's. */
    static long linuxOfNetbsd(long netbsdDev) {
        return linuxDev(netbsdMajor(netbsdDev), netbsdMinor(netbsdDev));
    }
}
