package jrump.gen;

/** A spec file that does not parse: the message names the line. */
public final class SpecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SpecException(String message) {
        super(message);
    }
}
