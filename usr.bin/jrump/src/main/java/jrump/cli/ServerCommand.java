package jrump.cli;

import java.nio.ByteBuffer;
import java.util.concurrent.Callable;

import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.SockaddrStorage;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.net.sockin.SockinComponent;
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

    @Option(names = "--echo-port", paramLabel = "PORT", description = "the echo service's port (default: ${DEFAULT-VALUE})",
            defaultValue = "7")
    int echoPort;

    @Option(names = "--sockin", description = "carry the kernel's PF_INET sockets on the host's network (sockin) instead of its own TCP/IP stack")
    boolean sockin;

    @Option(names = "--discard", description = "serve discard (RFC 863) on TCP port 9 and chargen (RFC 864) on TCP port 19, for measuring links")
    boolean bulk;

    @Override
    public Integer call() {
        if (echoPort < 1 || echoPort > 65535) throw new CliException("--echo-port must be 1..65535, not " + echoPort);
        // kernel threads on platform threads: a tap's reader then blocks in poll(2) itself, one wake-up per frame
        RumpConfig.Builder config = RumpConfig.builder().ncpu(ncpu)
                .hypervisor(p -> new jrump.rumpuser.host.HostHypercalls(p, false, null));
        if (sockin) {
            if (!net.interfaces.isEmpty() || !net.addrs.isEmpty() || !net.routes.isEmpty()) {
                throw new CliException("--sockin uses the host's interfaces: no --if, --addr or --route with it");
            }
            config.with(SockinComponent.NAME).without("rumpnet_netinet", "rumpnet_shmif", "rumpnet_virtif");
        }
        RumpKernel rk = RumpKernel.boot(config.build());
        try {
            net.configure(rk);
            if (echo) {
                try {
                    startEcho(rk.syscalls(), echoPort);
                } catch (RumpException e) {
                    throw new CliException("--echo on port " + echoPort + ": " + e.getMessage());
                }
            }
            if (bulk) {
                BulkServices.startDiscard(rk.syscalls());
                BulkServices.startChargen(rk.syscalls());
            }
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
                    // "::" (dual-stack: IPv4 clients too) where the kernel has IPv6
                    new java.net.InetSocketAddress(java.net.InetAddress.getByAddress(new byte[DualStack.hasIpv6(rk.syscalls()) ? 16 : 4]), httpPort), http);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new CliException("--http " + http + ": " + e.getMessage());
        }
    }

    private static void startEcho(Syscalls sys, int port) {
        int tcp = DualStack.bound(sys, Sys.SOCK_STREAM, port);
        sys.listen(tcp, Sys.SOMAXCONN);
        int udp = DualStack.bound(sys, Sys.SOCK_DGRAM, port);
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
