package jrump.nio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour suite on a FAT32 image mkfs.fat made; what FAT cannot hold (symbolic and hard links,
 * permissions beyond the mount's, nanosecond times) must fail with the right exception instead. fsck.fat
 * -n must find the image clean after every test.
 */
class FatImageTest extends FileSystemBehaviour {
    @TempDir
    Path tmp;

    private FileSystem fs;
    private Path image;

    @Override
    Path dir() throws IOException {
        image = tmp.resolve("fat32.img");
        try {
            Tools.run("mkfs.fat", "-F", "32", "-C", image.toString(), Long.toString(128 * 1024));
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        fs = FileSystems.newFileSystem(image, Map.of());
        return fs.getPath("/");
    }

    @Override
    boolean fat() {
        return true;
    }

    @AfterEach
    void closeAndCheck() throws Exception {
        if (fs == null) return;
        fs.close();
        assertThat(fs.isOpen()).isFalse();
        Tools.run("fsck.fat", "-n", image.toString());
    }
}
