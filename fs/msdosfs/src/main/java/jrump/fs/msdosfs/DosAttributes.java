package jrump.fs.msdosfs;

import java.nio.charset.StandardCharsets;

import jrump.rumpkern.Errno;
import jrump.rumpkern.Sys;

/**
 * The DOS attribute view: the entry's read-only, hidden, system and archive bits as the extended attribute
 * "user.DOSATTRIB", its value the attribute byte in hex ("0x21"), the form Samba keeps DOS attributes in
 * on POSIX file systems. Setting it changes those four bits (the directory and volume bits are the
 * file system's); reading needs read permission, setting write permission, as for any user attribute.
 */
final class DosAttributes {
    static final String NAME = "DOSATTRIB";
    /** The bits the view may change. */
    static final int SETTABLE = DirEntry.ATTR_READ_ONLY | DirEntry.ATTR_HIDDEN | DirEntry.ATTR_SYSTEM | DirEntry.ATTR_ARCHIVE;

    private DosAttributes() {
    }

    static boolean isView(int namespace, String name) {
        return namespace == Sys.EXTATTR_NAMESPACE_USER && NAME.equals(name);
    }

    static byte[] value(DirEntry e) {
        return ("0x" + Integer.toHexString(e.attr & (SETTABLE | DirEntry.ATTR_DIRECTORY))).getBytes(StandardCharsets.US_ASCII);
    }

    /** The attribute byte {@code raw} asks for, applied to {@code e}; EINVAL for anything but "0x" and hex digits. */
    static void apply(DirEntry e, byte[] raw) throws FatError {
        String v = new String(raw, StandardCharsets.US_ASCII).strip();
        if (v.endsWith("\0")) v = v.substring(0, v.length() - 1);
        int bits;
        try {
            if (!v.startsWith("0x") || v.length() > 4) throw new NumberFormatException(v);
            bits = Integer.parseInt(v.substring(2), 16);
        } catch (NumberFormatException ex) {
            throw new FatError(Errno.EINVAL, NAME + " '" + v + "': the attribute byte as 0x and hex digits");
        }
        e.attr = (e.attr & ~SETTABLE) | (bits & SETTABLE);
    }
}
