package jrump.nio;

import java.nio.file.Path;

/**
 * The behaviour suite on FAT32 images mkfs.fat made, fsck.fat -n clean after each test; what FAT cannot
 * hold (symbolic and hard links, permissions beyond the read-only bit) must fail with the right exception.
 */
class FatImageTest extends ImageBehaviour {
    @Override
    String[] mkfs(Path image) {
        return new String[] {"mkfs.fat", "-F", "32", "-C", image.toString(), Long.toString(128 * 1024)};
    }

    @Override
    String[] check(Path image) {
        return new String[] {"fsck.fat", "-n", image.toString()};
    }

    @Override
    boolean fat() {
        return true;
    }
}
