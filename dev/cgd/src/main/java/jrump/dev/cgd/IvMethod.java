package jrump.dev.cgd;

/**
 * cgd(4)'s IV methods for CBC. Both encrypt the sector number (64 bits little-endian, zero-padded) with the
 * disk's key in CBC mode from a zero IV and use the last cipher block as the sector's IV. The buffer was
 * meant to be one block; the original code took the cipher's block size in bits for bytes, so "encblkno8"
 * (the original, also spelled "encblkno") runs over 128 bytes — the sector number encrypted eight times
 * over — and "encblkno1" (the default since NetBSD 5.0) over the intended 16. XTS takes the sector number
 * itself as its tweak input whatever the method says.
 */
public enum IvMethod {
    ENCBLKNO1("encblkno1", 16),
    ENCBLKNO8("encblkno8", 128);

    final String keyword;
    /** Bytes of the sector-number buffer that CBC encrypts to make the IV. */
    final int bufferBytes;

    IvMethod(String keyword, int bufferBytes) {
        this.keyword = keyword;
        this.bufferBytes = bufferBytes;
    }

    public String keyword() {
        return keyword;
    }

    static IvMethod of(String word) throws ParamsException {
        return switch (word) {
            case "encblkno1" -> ENCBLKNO1;
            case "encblkno8", "encblkno" -> ENCBLKNO8;
            default -> throw new ParamsException("iv-method " + word + ": unknown (encblkno1, encblkno8)");
        };
    }
}
