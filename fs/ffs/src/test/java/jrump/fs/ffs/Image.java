package jrump.fs.ffs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** An image file opened for damage: its superblock parsed by the module's own code, bytes read and written at offsets. */
final class Image implements AutoCloseable {
    final RandomAccessFile file;
    final Superblock sb;

    Image(Path path) throws IOException, FfsError {
        file = new RandomAccessFile(path.toFile(), "rw");
        Superblock found = null;
        for (long at : Superblock.SEARCH) {
            byte[] raw = read(at, Superblock.SBLOCKSIZE);
            found = Superblock.parse(raw, at);
            if (found != null) break;
        }
        if (found == null) throw new AssertionError("no superblock in " + path);
        sb = found;
    }

    byte[] read(long off, int len) throws IOException {
        byte[] b = new byte[len];
        file.seek(off);
        file.readFully(b);
        return b;
    }

    void write(long off, byte[] b) throws IOException {
        file.seek(off);
        file.write(b);
    }

    Dinode inode(long ino) throws IOException {
        return Dinode.decode(sb.ufs2, sb.order, read(sb.inodeOffset(ino), sb.inodeSize));
    }

    void putInode(long ino, Dinode d) throws IOException {
        write(sb.inodeOffset(ino), d.encode(sb.order, false));
    }

    /** A 32-bit field at {@code off} in the image's byte order. */
    void putInt(long off, int v) throws IOException {
        write(off, ByteBuffer.allocate(4).order(sb.order).putInt(v).array());
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
