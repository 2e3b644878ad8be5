/**
 * rumpcrypto: the kernel's cryptographic routines (NetBSD's sys/crypto and opencrypto, what cgd(4) and
 * cgdconfig(8) use), over the JDK's JCA providers. Algorithms are looked up by name and used through
 * sessions that own their keys and wipe them when closed:
 * {@code try (CipherSession s = Crypto.newCipher("aes-xts", key)) { s.encrypt(iv, buf, 0, 512); }}.
 * Names: ciphers "aes-xts" (IEEE 1619, 256- or 512-bit keys), "aes-cbc" and "aes-ecb" (128, 192, 256);
 * digests "sha1", "sha224", "sha256", "sha384", "sha512"; MACs "hmac-" and a digest name. {@link
 * jrump.rumpcrypto.Pbkdf2} derives keys from passphrases (RFC 8018, and cgdconfig's historical variant),
 * {@link jrump.rumpcrypto.KernelRandom} takes random bytes from the hypercall layer, and {@link
 * jrump.rumpcrypto.ConstantTime} compares secrets.
 */
module jrump.rumpcrypto {
    requires transitive jrump.rumpkern;

    exports jrump.rumpcrypto;
}
