package jrump.dev.cgd;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

/**
 * cgdconfig's bit strings in parameters files (salts, stored keys): base64 of a 32-bit length in bits, in
 * network byte order, followed by the bytes (the "length-encoded base64 string" of cgdconfig(8)).
 */
final class Bits {
    private Bits() {
    }

    static String encode(byte[] bytes, int bits) {
        ByteBuffer b = ByteBuffer.allocate(4 + bytes.length).putInt(bits).put(bytes);
        return Base64.getEncoder().encodeToString(b.array());
    }

    /** The bytes of a length-encoded string: exactly ceil(bits / 8) of them must follow the length. */
    static byte[] decode(String base64, String what) throws ParamsException {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ParamsException(what + ": not base64: " + e.getMessage());
        }
        if (raw.length < 4) throw new ParamsException(what + ": too short for its length field");
        long bits = ByteBuffer.wrap(raw).getInt() & 0xffffffffL;
        long bytes = (bits + 7) / 8;
        if (bits == 0 || bytes != raw.length - 4) {
            throw new ParamsException(what + ": says " + bits + " bits but holds " + (raw.length - 4) + " bytes");
        }
        byte[] out = Arrays.copyOfRange(raw, 4, raw.length);
        Arrays.fill(raw, (byte) 0);
        return out;
    }
}
