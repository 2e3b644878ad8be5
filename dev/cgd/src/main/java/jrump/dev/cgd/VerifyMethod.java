package jrump.dev.cgd;

/** cgdconfig(8)'s verify_method: how a passphrase is checked against what the decrypted disk holds. */
public enum VerifyMethod {
    /** No check: any key configures the disk (the file system's own mount check is all there is). */
    NONE("none"),
    /** A BSD disklabel must be in the decrypted disk's label sector (disklabel(5)). */
    DISKLABEL("disklabel"),
    /** An FFS superblock must be at one of the standard places. */
    FFS("ffs"),
    /** An MBR's boot signature must end sector 0. */
    MBR("mbr"),
    /** A GPT header must be at sector 1. */
    GPT("gpt"),
    /** The passphrase is asked twice (nothing on the disk is checked). */
    REENTER("re-enter");

    final String keyword;

    VerifyMethod(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    static VerifyMethod of(String word) throws ParamsException {
        for (VerifyMethod m : values()) if (m.keyword.equals(word)) return m;
        throw new ParamsException("verify_method " + word + ": unknown (none, disklabel, ffs, mbr, gpt, re-enter)");
    }
}
