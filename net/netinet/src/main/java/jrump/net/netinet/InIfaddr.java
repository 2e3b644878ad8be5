package jrump.net.netinet;

import jrump.rumpnet.net.Ifnet;
import jrump.rumpnet.net.Route;

/** An IPv4 address of an interface (struct in_ifaddr). */
public record InIfaddr(Ifnet ifp, int addr, int prefixLen) {
    public int netmask() {
        return Route.mask(prefixLen);
    }

    /** The subnet's directed broadcast address. */
    public int broadcast() {
        return addr | ~netmask();
    }

    public boolean onLink(int a) {
        return (a & netmask()) == (addr & netmask());
    }
}
