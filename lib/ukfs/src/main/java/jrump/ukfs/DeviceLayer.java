package jrump.ukfs;

import java.io.IOException;
import java.nio.ByteBuffer;

import jrump.rumpkern.RumpConfig;

/**
 * A block device between the image and its file system (a cgd(4)), set up in the private kernel: ukfs
 * boots the kernel with {@link #configure}, puts the image at a device path, {@link #attach}es the layer
 * over it, detects the file system through {@link #read} and mounts from the path attach returned. Closing
 * the Ukfs unmounts, then closes the layer.
 */
public interface DeviceLayer extends AutoCloseable {
    /** Adds what the layer needs to the kernel's configuration (its component). */
    RumpConfig.Builder configure(RumpConfig.Builder config);

    /** Layers over the block device at {@code lowerPath}; returns the path of the device to mount from. */
    String attach(String lowerPath, boolean readOnly) throws IOException;

    /** The layered device's bytes at {@code offset} into {@code dst}: the count, fewer at its end. */
    int read(long offset, ByteBuffer dst) throws IOException;

    /** The layered device's size in bytes. */
    long size();

    /** Takes the layer away (its keys with it). */
    @Override
    void close();
}
