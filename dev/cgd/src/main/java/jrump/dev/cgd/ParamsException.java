package jrump.dev.cgd;

/** A parameters file that cannot be used: unknown, missing, repeated or malformed statements (with the line). */
public final class ParamsException extends Exception {
    public ParamsException(String message) {
        super(message);
    }
}
