package jrump.rumpkern.kernel;

import java.nio.channels.WritableByteChannel;

/**
 * rump_pub_fd_sendfile's implementation, installed by the VFS faction at boot: descriptors of files are
 * the VFS's. Returns an errno.
 */
public interface SendfileProvider {
    int sendfile(KLwp l, int fd, long offset, long count, WritableByteChannel chan);
}
