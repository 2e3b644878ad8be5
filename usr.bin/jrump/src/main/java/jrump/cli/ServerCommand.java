package jrump.cli;

import java.nio.ByteBuffer;
import java.util.concurrent.Callable;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.SockaddrIn;
import jrump.rumpkern.SockaddrStorage;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jrump server}: a kernel with interfaces, addresses, routes and services, until interrupted (rump_server). */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Boot a rump kernel with network interfaces and services and run until interrupted.")
final class ServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    NetOptions net;

    @Option(names = "--ncpu", description = "virtual CPUs (default: ${DEFAULT-VALUE})", defaultValue = "2")
    String ncpu;

    @Option(names = "--echo", description = "serve the echo protocol (RFC 862) on TCP and UDP port 7")
    boolean echo;

    @Option(names = "--http", paramLabel = "DIR", description = "serve DIR's files over HTTP/1.1 on port 80 (--http-port) from the kernel's TCP")
    java.nio.file.Path http;

    @Option(names = "--http-port", paramLabel = "PORT", description = "the port of --http (default: ${DEFAULT-VALUE})", defaultValue = "80")
    int httpPort;

    @Override
    public Integer call() {
        RumpKernel rk = RumpKernel.boot(RumpConfig.builder().ncpu(ncpu).build());
        try {
            net.configure(rk);
            if (echo) startEcho(rk.syscalls());
            if (http != null) startHttp(rk);
            spec.commandLine().getOut().printf("jrump server: %s ready%n", rk.hostname());
            spec.commandLine().getOut().flush();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // interrupted: halt
            }
            return 0;
        } finally {
            rk.halt();
        }
    }

    /** The HTTP file server on the kernel's own sockets (lib/netchan); it stops when the kernel halts. */
    private void startHttp(RumpKernel rk) {
        if (!java.nio.file.Files.isDirectory(http)) throw new CliException("--http " + http + ": not a directory");
        try {
            jrump.netchan.http.HttpFileServer.start(jrump.netchan.KernelChannels.provider(rk),
                    new java.net.InetSocketAddress(java.net.InetAddress.getByAddress(new byte[4]), httpPort), http);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new CliException("--http " + http + ": " + e.getMessage());
        }
    }

    private static void startEcho(Syscalls sys) {
        int tcp = sys.socket(Sys.PF_INET, Sys.SOCK_STREAM, 0);
        sys.bind(tcp, new SockaddrIn(0, 7));
        sys.listen(tcp, Sys.SOMAXCONN);
        int udp = sys.socket(Sys.PF_INET, Sys.SOCK_DGRAM, 0);
        sys.bind(udp, new SockaddrIn(0, 7));
        Thread.ofVirtual().name("echo-tcp").start(() -> {
            try {
                while (true) {
                    int c = sys.accept(tcp);
                    Thread.ofVirtual().start(() -> echoStream(sys, c));
                }
            } catch (RumpException e) {
                // the kernel is halting
            }
        });
        Thread.ofVirtual().name("echo-udp").start(() -> {
            ByteBuffer b = ByteBuffer.allocate(65536);
            SockaddrStorage from = new SockaddrStorage();
            try {
                while (true) {
                    b.clear();
                    sys.recvfrom(udp, b, 0, from);
                    b.flip();
                    sys.sendto(udp, b, 0, from.get());
                }
            } catch (RumpException e) {
                // the kernel is halting
            }
        });
    }

    private static void echoStream(Syscalls sys, int c) {
        ByteBuffer b = ByteBuffer.allocate(16384);
        try {
            while (true) {
                b.clear();
                if (sys.read(c, b) == 0) break;
                b.flip();
                while (b.hasRemaining()) sys.write(c, b);
            }
        } catch (RumpException e) {
            // reset by the peer or halting
        } finally {
            try {
                sys.close(c);
            } catch (RumpException e) {
                // already gone
            }
        }
    }
}
