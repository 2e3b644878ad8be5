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
 * The behaviour suite on an ext4 image mke2fs made, opened with FileSystems.newFileSystem; after every
 * test the file system is closed and e2fsck -fn must find the image clean.
 */
class Ext2ImageTest extends FileSystemBehaviour {
    @TempDir
    Path tmp;

    private FileSystem fs;
    private Path image;

    @Override
    Path dir() throws IOException {
        image = tmp.resolve("ext4.img");
        try {
            Tools.run("mke2fs", "-q", "-F", "-t", "ext4", image.toString(), "128M");
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        fs = FileSystems.newFileSystem(image, Map.of());
        assertThat(fs.provider().getScheme()).isEqualTo("jrump");
        return fs.getPath("/");
    }

    @AfterEach
    void closeAndCheck() throws Exception {
        if (fs == null) return;
        fs.close();
        assertThat(fs.isOpen()).isFalse();
        Tools.run("e2fsck", "-fn", image.toString());
    }
}
