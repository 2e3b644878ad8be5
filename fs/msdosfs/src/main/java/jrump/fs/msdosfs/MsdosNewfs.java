package jrump.fs.msdosfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

import jrump.rumpvfs.newfs.NewfsProvider;

/** newfs for ukfs and the NIO provider: FAT of the type and cluster size mkfs.fat would choose for the size. */
public final class MsdosNewfs implements NewfsProvider {
    @Override
    public String type() {
        return "msdos";
    }

    @Override
    public void newfs(FileChannel image, long sizeBytes, String label) throws IOException {
        Newfs.Options o = new Newfs.Options(sizeBytes, 0, 512, 0, label, System.currentTimeMillis() & 0xFFFFFFFFL);
        image.truncate(0);
        Newfs.format(o, (off, data) -> {
            while (data.hasRemaining()) image.write(data, off + data.position());
        });
        if (image.size() < sizeBytes) image.write(ByteBuffer.allocate(1), sizeBytes - 1);
        image.truncate(sizeBytes);
    }
}
