package jrump.netchan.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One request's head (RFC 9112 section 2-3: request-line, header fields, empty line), parsed from the
 * connection's input. Only what a file server needs is kept: method, target, version and the fields that
 * decide persistence and whether a body follows.
 */
record HttpRequest(String method, String target, int minorVersion, boolean close, boolean hasBody, String host) {
    /** Longest head accepted (the JDK's server and most others cap it near 8 KiB). */
    static final int MAX_HEAD = 8192;

    /** A head that is not HTTP/1.x as RFC 9112 writes it. */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;

        BadRequest(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * Parses a head if {@code in} (flipped: position..limit is unread input) holds a whole one, consuming it;
     * null when more input is needed. Empty lines before the request line are skipped (RFC 9112 section 2.2).
     */
    static HttpRequest parse(ByteBuffer in) throws BadRequest {
        int start = in.position();
        while (start + 1 < in.limit() && in.get(start) == '\r' && in.get(start + 1) == '\n') start += 2;
        int end = -1;
        for (int i = start; i + 3 < in.limit(); i++) {
            if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            if (in.limit() - start > MAX_HEAD) throw new BadRequest("request head too long");
            return null;
        }
        byte[] head = new byte[end - start];
        in.get(start, head);
        in.position(end + 4);
        String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n", -1);
        String[] rl = lines[0].split(" ", -1);
        if (rl.length != 3 || rl[0].isEmpty() || rl[1].isEmpty()) throw new BadRequest("bad request line");
        for (char c : rl[0].toCharArray()) {
            if (c <= ' ' || c >= 127) throw new BadRequest("bad method");
        }
        int minor;
        switch (rl[2]) {
            case "HTTP/1.1" -> minor = 1;
            case "HTTP/1.0" -> minor = 0;
            default -> throw new BadRequest("unsupported version");
        }
        boolean close = minor == 0;
        boolean body = false;
        String host = null;
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i];
            int colon = l.indexOf(':');
            // RFC 9112 5.1: no whitespace between name and colon; obs-fold (5.2) is refused
            if (colon <= 0 || l.charAt(0) == ' ' || l.charAt(0) == '\t' || Character.isWhitespace(l.charAt(colon - 1))) {
                throw new BadRequest("bad header field");
            }
            String name = l.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = l.substring(colon + 1).strip();
            switch (name) {
                case "connection" -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (v.contains("close")) close = true;
                    else if (v.contains("keep-alive")) close = false;
                }
                case "content-length" -> {
                    try {
                        if (Long.parseLong(value) != 0) body = true;
                    } catch (NumberFormatException e) {
                        throw new BadRequest("bad Content-Length");
                    }
                }
                case "transfer-encoding" -> body = true;
                case "host" -> {
                    if (host != null) throw new BadRequest("two Host fields"); // RFC 9112 3.2
                    host = value;
                }
                default -> {
                    // not needed by a file server
                }
            }
        }
        if (minor == 1 && host == null) throw new BadRequest("no Host field"); // RFC 9112 3.2
        return new HttpRequest(rl[0], rl[1], minor, close, body, host);
    }
}
