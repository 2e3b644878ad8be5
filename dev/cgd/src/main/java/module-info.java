/**
 * cgd: the cryptographic disk driver (NetBSD's cgd(4)) and its parameters files (cgdconfig(8)). A cgd is a
 * block device over another block device that encrypts each 512-byte sector with its number as the IV
 * (aes-xts, aes-cbc with the encblkno1 or encblkno8 IV method), so any file system mounts on top of it:
 * {@code Cgd.configure(kernel, "/dev/cgd0", lowerVnode, size, params, key, readOnly)}. {@link
 * jrump.dev.cgd.CgdParams} reads and writes parameters files, {@link jrump.dev.cgd.Keygen} turns a
 * passphrase into the key, {@link jrump.dev.cgd.Verify} checks it against the decrypted disk.
 */
module jrump.dev.cgd {
    requires transitive jrump.rumpvfs;
    requires transitive jrump.rumpcrypto;
    requires transitive jrump.rumpdev;

    exports jrump.dev.cgd;
}
