package jrump.rumpnet.socket;

/** A protocol family (struct domain) with its protocol switch: it makes the control block of a new socket. */
public interface Domain {
    /** The address family (Sys.AF_INET...). */
    int family();

    /**
     * pr_attach: a control block for a new socket of {@code type} and {@code protocol} (0: the default),
     * stored in {@code out[0]}; returns an errno (EPROTONOSUPPORT, EPROTOTYPE, ESOCKTNOSUPPORT).
     */
    int attach(SocketEvents so, int type, int protocol, ProtoSocket[] out);
}
