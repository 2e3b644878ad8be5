package jrump.nio;

import java.nio.file.Path;

/** The behaviour suite on ext4 images mke2fs made, e2fsck -fn clean after each test. */
class Ext2ImageTest extends ImageBehaviour {
    @Override
    String[] mkfs(Path image) {
        return new String[] {"mke2fs", "-q", "-F", "-t", "ext4", image.toString(), "128M"};
    }

    @Override
    String[] check(Path image) {
        return new String[] {"e2fsck", "-fn", image.toString()};
    }
}
