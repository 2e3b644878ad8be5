package jrump.rumpkern;

/**
 * struct sockaddr: a socket address of one family. The length field of C's sockaddr is left out: each
 * record knows its family and size.
 */
public sealed interface Sockaddr permits SockaddrIn, SockaddrIn6, SockaddrUn {
    /** The address family (Sys.AF_INET, Sys.AF_INET6, Sys.AF_LOCAL). */
    int family();
}
