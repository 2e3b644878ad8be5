package jrump.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import jrump.dev.cgd.EncryptingWriter;
import jrump.dev.cgd.SectorCipher;

/**
 * An image file newfs or makefs writes from scratch: plain, or through a cgd's encryption (--cgd), where
 * every sector not written is filled with encrypted zeros at the end.
 */
final class ImageOutput implements AutoCloseable {
    private final FileChannel ch;
    private final SectorCipher cipher;
    private final EncryptingWriter encrypting;

    ImageOutput(Path image, CgdOptions cgd) throws IOException {
        this.cipher = cgd != null && cgd.active() ? cgd.cipher(image) : null;
        this.ch = FileChannel.open(image, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        ch.truncate(0);
        this.encrypting = cipher == null ? null : new EncryptingWriter(cipher, new EncryptingWriter.Raw() {
            @Override
            public void write(long offset, ByteBuffer data) throws IOException {
                raw(offset, data);
            }

            @Override
            public int read(long offset, ByteBuffer dst) throws IOException {
                return ch.read(dst, offset);
            }
        });
    }

    /** Writes all of {@code data} at {@code offset} of the (decrypted) disk. */
    void write(long offset, ByteBuffer data) throws IOException {
        if (encrypting != null) encrypting.write(offset, data);
        else raw(offset, data);
    }

    private void raw(long offset, ByteBuffer data) throws IOException {
        int start = data.position();
        while (data.hasRemaining()) ch.write(data, offset + data.position() - start);
    }

    /** Makes the image exactly {@code size} bytes. */
    void finish(long size) throws IOException {
        if (encrypting != null) encrypting.finish(size);
        if (ch.size() < size) ch.write(ByteBuffer.allocate(1), size - 1);
        ch.truncate(size);
    }

    @Override
    public void close() throws IOException {
        try {
            ch.close();
        } finally {
            if (cipher != null) cipher.close();
        }
    }
}
