package jrump.rumpkern;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A file handle (NetBSD's fhandle_t): names a file by its file system and its identity there, not by a path,
 * for getfh(2), fhopen(2) and fhstat(2). Opaque to users; a kernel rejects handles it did not make (EINVAL)
 * and handles of files that are gone (ESTALE).
 */
public record Fhandle(byte[] bytes) {
    /** NetBSD's FHANDLE_SIZE_MAX: no handle is longer. */
    public static final int SIZE_MAX = 80;

    public Fhandle {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fhandle f && Arrays.equals(bytes, f.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "fhandle(" + HexFormat.of().formatHex(bytes) + ")";
    }
}
