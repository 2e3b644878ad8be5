package jrump.rumpkern;

/**
 * struct sockaddr: a socket address of one family. The length field of C's sockaddr is left out: each
 * record knows its family and size.
 */
public sealed interface Sockaddr permits SockaddrIn, SockaddrUn {
    /** The address family (Sys.AF_INET, Sys.AF_LOCAL). */
    int family();
}
