package jrump.cli;

import java.util.ArrayList;
import java.util.List;

import jrump.rumpkern.RumpException;
import jrump.rumpkern.RumpKernel;
import picocli.CommandLine.Option;

/** The interface, address and route options of {@code jrump server} and {@code jrump ping}. */
final class NetOptions {
    @Option(names = "--if", paramLabel = "IF=LINK", description = {"an interface on a shmif bus: shmif0=/tmp/bus,",
            "or on a host tap device (root: created when missing): virt0=tap:TAPNAME[,mtu=N,loss=P,dup=P,reorder=P,seed=N]"})
    List<String> interfaces = new ArrayList<>();

    @Option(names = "--addr", paramLabel = "IF=ADDR/PREFIX", description = "an IPv4 address: shmif0=10.0.0.1/24")
    List<String> addrs = new ArrayList<>();

    @Option(names = "--route", paramLabel = "DEST=GATEWAY", description = "a route: 10.1.0.0/16=10.0.0.254 or default=10.0.0.254")
    List<String> routes = new ArrayList<>();

    private static String[] pair(String s, String what) {
        int eq = s.indexOf('=');
        if (eq <= 0 || eq == s.length() - 1) throw new CliException(what + " must be NAME=VALUE: " + s);
        return new String[] {s.substring(0, eq), s.substring(eq + 1)};
    }

    /** What to do about a tap that could not be opened (virtif passes the host's errno up). */
    private static String hint(String ifname, RumpException e) {
        if (!ifname.startsWith("virt")) return "";
        return switch (e.errno()) {
            case EPERM, EACCES -> " (creating or attaching a tap needs root or CAP_NET_ADMIN)";
            case EBUSY -> " (another process has the tap open)";
            case ENOENT, ENODEV -> " (no /dev/net/tun: the host has no tun driver)";
            case EINVAL -> " (the link is tap:TAPNAME[,mtu=N,loss=P,dup=P,reorder=P,seed=N]; a device of that name that is not a tap is refused)";
            default -> "";
        };
    }

    /** Creates the interfaces, then the addresses, then the routes, through the kernel's rump_pub calls. */
    void configure(RumpKernel rk) {
        for (String s : interfaces) {
            String[] p = pair(s, "--if");
            try {
                rk.pub().netifCreate(p[0], p[1]);
            } catch (RumpException e) {
                throw new CliException("--if " + s + ": " + e.getMessage() + hint(p[0], e));
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
