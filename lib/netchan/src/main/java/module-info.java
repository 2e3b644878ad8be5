/**
 * java.nio.channels over one rump kernel's sockets: {@code KernelChannels.provider(rk)} is a
 * {@link java.nio.channels.spi.SelectorProvider} whose SocketChannel, ServerSocketChannel, DatagramChannel,
 * Pipe and Selector are that kernel's descriptors, so ordinary NIO code (Netty's NIO transport, a small HTTP
 * server) runs on the kernel's TCP/IP stack. One provider per kernel; the JVM's default provider is never
 * touched.
 */
module jrump.netchan {
    requires transitive jrump.rumpkern;

    exports jrump.netchan;
    exports jrump.netchan.http;
}
