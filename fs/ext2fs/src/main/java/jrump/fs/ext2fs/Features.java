package jrump.fs.ext2fs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The superblock's feature flags (Documentation/filesystems/ext4/super.rst, s_feature_compat/_incompat/
 * _ro_compat) and which of them jrump handles. An unknown incompatible feature refuses the mount; an
 * unknown read-only-compatible one allows only a read-only mount.
 */
final class Features {
    // s_feature_compat
    static final int COMPAT_DIR_PREALLOC = 0x0001;
    static final int COMPAT_IMAGIC_INODES = 0x0002;
    static final int COMPAT_HAS_JOURNAL = 0x0004;
    static final int COMPAT_EXT_ATTR = 0x0008;
    static final int COMPAT_RESIZE_INODE = 0x0010;
    static final int COMPAT_DIR_INDEX = 0x0020;
    static final int COMPAT_SPARSE_SUPER2 = 0x0200;
    static final int COMPAT_FAST_COMMIT = 0x0400;
    static final int COMPAT_STABLE_INODES = 0x0800;
    static final int COMPAT_ORPHAN_FILE = 0x1000;

    // s_feature_incompat
    static final int INCOMPAT_COMPRESSION = 0x0001;
    static final int INCOMPAT_FILETYPE = 0x0002;
    static final int INCOMPAT_RECOVER = 0x0004;
    static final int INCOMPAT_JOURNAL_DEV = 0x0008;
    static final int INCOMPAT_META_BG = 0x0010;
    static final int INCOMPAT_EXTENTS = 0x0040;
    static final int INCOMPAT_64BIT = 0x0080;
    static final int INCOMPAT_MMP = 0x0100;
    static final int INCOMPAT_FLEX_BG = 0x0200;
    static final int INCOMPAT_EA_INODE = 0x0400;
    static final int INCOMPAT_DIRDATA = 0x1000;
    static final int INCOMPAT_CSUM_SEED = 0x2000;
    static final int INCOMPAT_LARGEDIR = 0x4000;
    static final int INCOMPAT_INLINE_DATA = 0x8000;
    static final int INCOMPAT_ENCRYPT = 0x10000;
    static final int INCOMPAT_CASEFOLD = 0x20000;

    // s_feature_ro_compat
    static final int RO_COMPAT_SPARSE_SUPER = 0x0001;
    static final int RO_COMPAT_LARGE_FILE = 0x0002;
    static final int RO_COMPAT_BTREE_DIR = 0x0004;
    static final int RO_COMPAT_HUGE_FILE = 0x0008;
    static final int RO_COMPAT_GDT_CSUM = 0x0010;
    static final int RO_COMPAT_DIR_NLINK = 0x0020;
    static final int RO_COMPAT_EXTRA_ISIZE = 0x0040;
    static final int RO_COMPAT_QUOTA = 0x0100;
    static final int RO_COMPAT_BIGALLOC = 0x0200;
    static final int RO_COMPAT_METADATA_CSUM = 0x0400;
    static final int RO_COMPAT_READONLY = 0x1000;
    static final int RO_COMPAT_PROJECT = 0x2000;
    static final int RO_COMPAT_ORPHAN_PRESENT = 0x10000;

    /** Incompatible features jrump reads. */
    static final int INCOMPAT_SUPPORTED = INCOMPAT_FILETYPE | INCOMPAT_RECOVER | INCOMPAT_META_BG | INCOMPAT_EXTENTS
            | INCOMPAT_64BIT | INCOMPAT_MMP | INCOMPAT_FLEX_BG | INCOMPAT_CSUM_SEED | INCOMPAT_LARGEDIR
            | INCOMPAT_INLINE_DATA;
    /** Read-only-compatible features jrump understands (it may write with them). */
    static final int RO_COMPAT_SUPPORTED = RO_COMPAT_SPARSE_SUPER | RO_COMPAT_LARGE_FILE | RO_COMPAT_BTREE_DIR
            | RO_COMPAT_HUGE_FILE | RO_COMPAT_GDT_CSUM | RO_COMPAT_DIR_NLINK | RO_COMPAT_EXTRA_ISIZE
            | RO_COMPAT_QUOTA | RO_COMPAT_METADATA_CSUM | RO_COMPAT_PROJECT | RO_COMPAT_ORPHAN_PRESENT;

    private static final Map<Integer, String> INCOMPAT_NAMES = Map.ofEntries(
            Map.entry(INCOMPAT_COMPRESSION, "compression"), Map.entry(INCOMPAT_FILETYPE, "filetype"),
            Map.entry(INCOMPAT_RECOVER, "needs_recovery"), Map.entry(INCOMPAT_JOURNAL_DEV, "journal_dev"),
            Map.entry(INCOMPAT_META_BG, "meta_bg"), Map.entry(INCOMPAT_EXTENTS, "extent"),
            Map.entry(INCOMPAT_64BIT, "64bit"), Map.entry(INCOMPAT_MMP, "mmp"), Map.entry(INCOMPAT_FLEX_BG, "flex_bg"),
            Map.entry(INCOMPAT_EA_INODE, "ea_inode"), Map.entry(INCOMPAT_DIRDATA, "dirdata"),
            Map.entry(INCOMPAT_CSUM_SEED, "metadata_csum_seed"), Map.entry(INCOMPAT_LARGEDIR, "large_dir"),
            Map.entry(INCOMPAT_INLINE_DATA, "inline_data"), Map.entry(INCOMPAT_ENCRYPT, "encrypt"),
            Map.entry(INCOMPAT_CASEFOLD, "casefold"));
    private static final Map<Integer, String> RO_COMPAT_NAMES = Map.ofEntries(
            Map.entry(RO_COMPAT_SPARSE_SUPER, "sparse_super"), Map.entry(RO_COMPAT_LARGE_FILE, "large_file"),
            Map.entry(RO_COMPAT_BTREE_DIR, "btree_dir"), Map.entry(RO_COMPAT_HUGE_FILE, "huge_file"),
            Map.entry(RO_COMPAT_GDT_CSUM, "uninit_bg"), Map.entry(RO_COMPAT_DIR_NLINK, "dir_nlink"),
            Map.entry(RO_COMPAT_EXTRA_ISIZE, "extra_isize"), Map.entry(0x80, "snapshot"),
            Map.entry(RO_COMPAT_QUOTA, "quota"), Map.entry(RO_COMPAT_BIGALLOC, "bigalloc"),
            Map.entry(RO_COMPAT_METADATA_CSUM, "metadata_csum"), Map.entry(0x800, "replica"),
            Map.entry(RO_COMPAT_READONLY, "read-only"), Map.entry(RO_COMPAT_PROJECT, "project"),
            Map.entry(0x4000, "shared_blocks"), Map.entry(0x8000, "verity"),
            Map.entry(RO_COMPAT_ORPHAN_PRESENT, "orphan_present"));

    private static final Map<Integer, String> COMPAT_NAMES = Map.ofEntries(
            Map.entry(COMPAT_DIR_PREALLOC, "dir_prealloc"), Map.entry(COMPAT_IMAGIC_INODES, "imagic_inodes"),
            Map.entry(COMPAT_HAS_JOURNAL, "has_journal"), Map.entry(COMPAT_EXT_ATTR, "ext_attr"),
            Map.entry(COMPAT_RESIZE_INODE, "resize_inode"), Map.entry(COMPAT_DIR_INDEX, "dir_index"),
            Map.entry(0x0040, "lazy_bg"), Map.entry(0x0100, "snapshot_bitmap"), Map.entry(COMPAT_SPARSE_SUPER2, "sparse_super2"),
            Map.entry(COMPAT_FAST_COMMIT, "fast_commit"), Map.entry(COMPAT_STABLE_INODES, "stable_inodes"),
            Map.entry(COMPAT_ORPHAN_FILE, "orphan_file"));

    private Features() {
    }

    /** Every feature of a superblock by its e2fsprogs name, in dumpe2fs's order (compat, incompat, ro_compat). */
    static List<String> all(int compat, int incompat, int roCompat) {
        List<String> out = new ArrayList<>();
        for (int bit = 0; bit < 32; bit++) {
            int f = 1 << bit;
            if ((compat & f) != 0) out.add(COMPAT_NAMES.getOrDefault(f, "FEATURE_C" + bit));
        }
        out.addAll(names(incompat, true));
        out.addAll(names(roCompat, false));
        return out;
    }

    /** The e2fsprogs names of the bits set in {@code flags} (unknown ones as FEATURE_I31 style numbers). */
    static List<String> names(int flags, boolean incompat) {
        List<String> out = new ArrayList<>();
        for (int bit = 0; bit < 32; bit++) {
            int f = 1 << bit;
            if ((flags & f) == 0) continue;
            String n = (incompat ? INCOMPAT_NAMES : RO_COMPAT_NAMES).get(f);
            out.add(n != null ? n : (incompat ? "FEATURE_I" : "FEATURE_R") + bit);
        }
        return out;
    }
}
