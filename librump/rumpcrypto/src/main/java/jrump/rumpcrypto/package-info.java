/**
 * The kernel's cryptographic routines: {@link jrump.rumpcrypto.Crypto} looks algorithms up by name and
 * opens sessions ({@link jrump.rumpcrypto.CipherSession}, {@link jrump.rumpcrypto.DigestSession}); {@link
 * jrump.rumpcrypto.Pbkdf2}, {@link jrump.rumpcrypto.KernelRandom} and {@link jrump.rumpcrypto.ConstantTime}
 * are what key handling needs.
 */
package jrump.rumpcrypto;
