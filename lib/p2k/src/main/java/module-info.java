/**
 * p2k: a directory of a rump kernel served to the Linux kernel through FUSE (NetBSD's libp2k, which
 * translates puffs requests into VOPs; this one translates the Linux FUSE protocol's low-level, node-based
 * requests into the rump kernel's descriptor-relative system calls). {@link jrump.p2k.P2k#mount} mounts and
 * serves; docs/p2k.md describes the design. Needs {@code /dev/fuse}, and root (mount(2)) or fusermount3; it
 * talks to the host through the FFM API, so run with {@code --enable-native-access=jrump.p2k}.
 */
module jrump.p2k {
    requires transitive jrump.rumpkern;

    exports jrump.p2k;
}
