package jrump.fs.ext2fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.SecureRandom;
import java.util.List;

import jrump.rumpvfs.newfs.NewfsProvider;

/** newfs for ukfs and the NIO provider: an empty ext4 with mke2fs's default features, 4 KiB blocks. */
public final class Ext2Newfs implements NewfsProvider {
    @Override
    public String type() {
        return "ext2fs";
    }

    @Override
    public void newfs(FileChannel image, long sizeBytes, String label) throws IOException {
        long now = System.currentTimeMillis() * 1_000_000L;
        Makefs.Dir root = new Makefs.Dir(new Makefs.Attrs(0755, 0, 0, now, now, now), List.of());
        Makefs.Options o = new Makefs.Options(Makefs.Flavor.EXT4, 4096, sizeBytes, 0, label, null, new SecureRandom().nextLong(), now);
        image.truncate(0);
        Makefs.Result r = Makefs.build(root, o, (off, data) -> {
            while (data.hasRemaining()) image.write(data, off + data.position());
        });
        long size = r.blocks() * r.blockSize();
        if (image.size() < size) image.write(ByteBuffer.allocate(1), size - 1);
        image.truncate(size);
    }
}
