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
 * The behaviour suite on an image a real tool made, opened with FileSystems.newFileSystem; after every
 * test the file system is closed and the real checker must find the image clean.
 */
abstract class ImageBehaviour extends FileSystemBehaviour {
    @TempDir
    Path tmp;

    private FileSystem fs;
    private Path image;

    /** The command making an empty image at {@code image}. */
    abstract String[] mkfs(Path image);

    /** The command that must find {@code image} clean. */
    abstract String[] check(Path image);

    @Override
    Path dir() throws IOException {
        image = tmp.resolve("fs.img");
        try {
            Tools.run(mkfs(image));
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
        Tools.run(check(image));
    }
}
