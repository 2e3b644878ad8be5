package jrump.fs.ffs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Runs the module's Fsck on an image file. */
final class FsckRun {
    private FsckRun() {
    }

    static Fsck.Report fsck(Path img) throws IOException {
        try (FileChannel ch = FileChannel.open(img)) {
            return Fsck.check((off, dst) -> ch.read(dst, off), ch.size());
        }
    }
}
