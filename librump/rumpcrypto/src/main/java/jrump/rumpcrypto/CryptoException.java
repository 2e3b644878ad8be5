package jrump.rumpcrypto;

/** An algorithm this framework does not have, or a key it cannot take: the message says which and why. */
public final class CryptoException extends Exception {
    public CryptoException(String message) {
        super(message);
    }
}
