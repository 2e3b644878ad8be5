package jrump.cli;

/** A failure the command reports as one line on stderr with exit status 1 (a user's mistake, a bad image). */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message, null, false, false);
    }
}
