package jrump.netchan;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Address literals for the tests (no lookups: literals only). */
final class Addrs {
    private Addrs() {
    }

    static InetAddress of(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
