package jrump.rumpcrypto;

/** Comparisons of secrets whose time does not depend on where they differ (consttime_memequal(3)). */
public final class ConstantTime {
    private ConstantTime() {
    }

    /** Whether a and b are equal; the time depends only on the lengths. */
    public static boolean equals(byte[] a, byte[] b) {
        if (a.length != b.length) return false;
        int diff = 0;
        for (int i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
        return diff == 0;
    }
}
