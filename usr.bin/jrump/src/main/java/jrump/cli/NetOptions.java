package jrump.cli;

import java.util.ArrayList;
import java.util.List;

import jrump.rumpkern.Errno;
import jrump.rumpkern.RumpException;
import jrump.rumpkern.SockaddrIn6;
import jrump.rumpkern.Sys;
import jrump.rumpkern.Syscalls;
import jrump.rumpkern.RumpKernel;
import picocli.CommandLine.Option;

/** The interface, address and route options of {@code jrump server} and {@code jrump ping}. */
final class NetOptions {
    @Option(names = "--if", paramLabel = "IF=BUSFILE", description = "an interface on a shmif bus: shmif0=/tmp/bus")
    List<String> interfaces = new ArrayList<>();

    @Option(names = "--addr", paramLabel = "IF=ADDR/PREFIX", description = "an IPv4 or IPv6 address: shmif0=10.0.0.1/24, shmif0=fd00::1/64")
    List<String> addrs = new ArrayList<>();

    @Option(names = "--route", paramLabel = "DEST=GATEWAY",
            description = "a route: 10.1.0.0/16=10.0.0.254, default=10.0.0.254, fd01::/64=fd00::fe")
    List<String> routes = new ArrayList<>();

    /** How long duplicate address detection may take: a random delay up to 1 s, then RetransTimer (RFC 4862 5.4). */
    private static final long DAD_WAIT_NANOS = 5_000_000_000L;

    /**
     * IPv6 addresses are tentative until duplicate address detection passes (RFC 4862 5.4) and cannot be
     * bound or used before: waits until each binds (EADDRNOTAVAIL until then), or fails when DAD found a
     * duplicate or took too long.
     */
    private void awaitIpv6Addresses(RumpKernel rk) {
        for (String s : addrs) {
            String[] p = pair(s, "--addr");
            if (p[1].indexOf(':') < 0) continue;
            String a = p[1].replaceAll("/.*$", "");
            Syscalls sys = rk.syscalls();
            int fd = sys.socket(Sys.PF_INET6, Sys.SOCK_DGRAM, 0);
            try {
                long deadline = System.nanoTime() + DAD_WAIT_NANOS;
                while (true) {
                    try {
                        sys.bind(fd, SockaddrIn6.of(a, 0));
                        break;
                    } catch (RumpException e) {
                        if (e.errno() != Errno.EADDRNOTAVAIL) throw new CliException("--addr " + s + ": " + e.getMessage());
                        if (System.nanoTime() > deadline) throw new CliException("--addr " + s + ": duplicate address (DAD)");
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                            throw new CliException("interrupted");
                        }
                    } catch (IllegalArgumentException e) {
                        throw new CliException("--addr " + s + ": " + e.getMessage());
                    }
                }
            } finally {
                sys.close(fd);
            }
        }
    }

    private static String[] pair(String s, String what) {
        int eq = s.indexOf('=');
        if (eq <= 0 || eq == s.length() - 1) throw new CliException(what + " must be NAME=VALUE: " + s);
        return new String[] {s.substring(0, eq), s.substring(eq + 1)};
    }

    /** Creates the interfaces, then the addresses, then the routes, through the kernel's rump_pub calls. */
    void configure(RumpKernel rk) {
        for (String s : interfaces) {
            String[] p = pair(s, "--if");
            try {
                rk.pub().netifCreate(p[0], p[1]);
            } catch (RumpException e) {
                throw new CliException("--if " + s + ": " + e.getMessage());
            }
        }
        for (String s : addrs) {
            String[] p = pair(s, "--addr");
            try {
                rk.pub().netifAddr(p[0], p[1]);
            } catch (RumpException e) {
                throw new CliException("--addr " + s + ": " + e.getMessage());
            }
        }
        awaitIpv6Addresses(rk);
        for (String s : routes) {
            String[] p = pair(s, "--route");
            try {
                rk.pub().routeAdd(p[0], p[1]);
            } catch (RumpException e) {
                throw new CliException("--route " + s + ": " + e.getMessage());
            }
        }
    }
}
