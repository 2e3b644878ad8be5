package jrump.rumpkern.kernel;

/**
 * Network configuration (rump_pub_netif_create, _addr, route_add) as the networking component installs it at
 * boot: the kernel core only dispatches to it. Methods return errnos.
 */
public interface NetconfProvider {
    int ifCreate(String ifname, String linkstr);

    int ifAddr(String ifname, String cidr);

    int routeAdd(String dest, String gateway);
}
