package jrump.fs.cd9660;

/** Bytes of an image at byte offsets: the mount's device (through the buffer cache) or a host file for the tools. */
@FunctionalInterface
interface Device {
    /** Exactly {@code len} bytes at {@code offset}; EIO past the end of the image. */
    byte[] read(long offset, int len) throws Cd9660Error;
}
