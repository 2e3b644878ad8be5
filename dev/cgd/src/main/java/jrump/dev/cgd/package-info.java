/**
 * cgd(4) and cgdconfig(8)'s parameters files: {@link jrump.dev.cgd.CgdParams} (parse, format, the key from
 * a passphrase), {@link jrump.dev.cgd.Cgd#configure} (a device in a kernel), {@link jrump.dev.cgd.CgdLayer}
 * (the same for a kernel about to boot), {@link jrump.dev.cgd.SectorCipher} (sector encryption on its own,
 * for tools that write images), {@link jrump.dev.cgd.Verify} (verification methods).
 */
package jrump.dev.cgd;
