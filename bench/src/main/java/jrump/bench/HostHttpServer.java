package jrump.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Path;

import jrump.netchan.http.HttpFileServer;

/**
 * lib/netchan's HttpFileServer on the host's own stack (the JDK's default SelectorProvider), dual-stack on
 * [::]:PORT: the reference scripts/bench-http loads beside {@code jrump server --http}. Runs until killed.
 * Usage: HostHttpServer DIR PORT
 */
public final class HostHttpServer {
    private HostHttpServer() {
    }

    public static void main(String[] args) throws Exception {
        HttpFileServer s = HttpFileServer.start(SelectorProvider.provider(),
                new InetSocketAddress(InetAddress.getByName("::"), Integer.parseInt(args[1])), Path.of(args[0]));
        System.out.println("host http server ready on " + s.address());
        Thread.sleep(Long.MAX_VALUE);
    }
}
