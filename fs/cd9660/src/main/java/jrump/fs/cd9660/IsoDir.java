package jrump.fs.cd9660;

import java.util.ArrayList;
import java.util.List;

import jrump.rumpkern.Errno;
import jrump.rumpvfs.vnode.VType;

/**
 * Directories (ECMA-119 §6.8.1): records one after another, none crossing a 2048-byte sector (§6.8.1.1:
 * a zero length byte means the rest of the sector is unused), multi-extent files as consecutive records of
 * one name (§6.5.1). A readdir cookie is the offset of an entry's first record within its directory, so it
 * stays valid for the life of the image. Rock Ridge's relocated directories (RE) are hidden where they lie
 * and found through the CL entry at their original place; associated files are not shown.
 */
final class IsoDir {
    /** Extents of one file: enough for 256 TiB in 4 GiB extents; more is damage. */
    static final int MAX_EXTENTS = 1 << 16;
    /** S_IFMT and its types, as Rock Ridge's PX carries them (POSIX st_mode). */
    static final int S_IFMT = 0170000;
    static final int S_IFIFO = 0010000;
    static final int S_IFCHR = 0020000;
    static final int S_IFDIR = 0040000;
    static final int S_IFBLK = 0060000;
    static final int S_IFREG = 0100000;
    static final int S_IFLNK = 0120000;
    static final int S_IFSOCK = 0140000;
    /** NetBSD's cd9660_defattr: r-x for everyone when no Rock Ridge says otherwise. */
    static final int DEFAULT_PERM = 0555;

    private IsoDir() {
    }

    /**
     * One name of a directory; {@code file} is the node of a non-directory (directories load by key), or
     * {@code damage} what is wrong with its records: the name still lists, and only using it fails.
     */
    record Entry(String name, long offset, long next, long key, VType type, IsoNode file, Cd9660Error damage) {
        Entry(String name, long offset, long next, long key, VType type, IsoNode file) {
            this(name, offset, next, key, type, file, null);
        }
    }

    @FunctionalInterface
    interface Visitor {
        /** False stops the scan at this entry. */
        boolean visit(Entry e) throws Cd9660Error;
    }

    /**
     * Visits the entries of {@code dir} from the record at offset {@code from}; returns the offset of the
     * entry the visitor stopped at, or the directory's size when it saw them all.
     */
    static long scan(IsoVolume vol, IsoNode dir, long from, Visitor v) throws Cd9660Error {
        long start = dir.extentStart[0];
        long size = dir.size;
        long off = from;
        byte[] sector = null;
        long sectorNo = -1;
        List<DirRecord> group = new ArrayList<>();
        long groupOff = off;
        while (off < size) {
            long abs = start + off;
            long sec = abs / VolumeDescriptor.SECTOR;
            int within = (int) (abs % VolumeDescriptor.SECTOR);
            if (sec != sectorNo) {
                sector = vol.dev.read(sec * VolumeDescriptor.SECTOR, VolumeDescriptor.SECTOR);
                sectorNo = sec;
            }
            if (sector[within] == 0) {
                off = (sec + 1) * VolumeDescriptor.SECTOR - start; // §6.8.1.1: the rest of the sector is unused
                continue;
            }
            int limit = (int) Math.min(VolumeDescriptor.SECTOR, within + (size - off));
            DirRecord r = DirRecord.parse(sector, within, limit, "directory " + dir.key);
            if (group.isEmpty()) groupOff = off;
            group.add(r);
            off += r.length();
            if (r.continues() && off < size) {
                if (group.size() > MAX_EXTENTS) throw Cd9660Error.corrupt("directory " + dir.key + ": a file of more than " + MAX_EXTENTS + " extents");
                continue;
            }
            Entry e = entry(vol, dir, groupOff, off, group);
            group.clear();
            if (e != null && !v.visit(e)) return groupOff;
        }
        return Math.max(off, from);
    }

    private static Entry entry(IsoVolume vol, IsoNode dir, long off, long next, List<DirRecord> group) throws Cd9660Error {
        DirRecord r = group.get(0);
        if (r.isDot()) return new Entry(".", off, next, dir.key, VType.VDIR, null);
        if (r.isDotDot()) return new Entry("..", off, next, dir.parentKey, VType.VDIR, null);
        if ((r.flags() & DirRecord.ASSOCIATED) != 0) return null;
        RockRidge rr = vol.rockRidge(r);
        if (rr != null && rr.relocated) return null;
        String name = vol.name(r, rr);
        if (name.isEmpty()) return null;
        if (rr != null && rr.childLink >= 0) return new Entry(name, off, next, rr.childLink * vol.lbs, VType.VDIR, null);
        if (r.isDirectory()) return new Entry(name, off, next, (r.extent() + r.xattrLength()) * vol.lbs, VType.VDIR, null);
        long key = dir.extentStart[0] + off;
        try {
            IsoNode n = fileNode(vol, key, group, rr);
            return new Entry(name, off, next, n.key, n.type, n);
        } catch (Cd9660Error e) {
            return new Entry(name, off, next, key, VType.VREG, null, e);
        }
    }

    /**
     * The non-directory whose (first) record is at byte {@code key}, read again from the image (a file
     * handle names only the position): the record and the multi-extent records after it. Null when the
     * position holds no such record.
     */
    static IsoNode fileAt(IsoVolume vol, long key) throws Cd9660Error {
        List<DirRecord> group = new ArrayList<>();
        long at = key;
        while (group.size() <= MAX_EXTENTS) {
            long sec = at / VolumeDescriptor.SECTOR;
            int within = (int) (at % VolumeDescriptor.SECTOR);
            byte[] sector = vol.dev.read(sec * VolumeDescriptor.SECTOR, VolumeDescriptor.SECTOR);
            if (sector[within] == 0) {
                if (group.isEmpty()) return null;
                at = (sec + 1) * VolumeDescriptor.SECTOR; // the next record of the file is in the next sector
                continue;
            }
            DirRecord r = DirRecord.parse(sector, within, VolumeDescriptor.SECTOR, "file at byte " + key);
            if (group.isEmpty() && (r.isDirectory() || r.isDot() || r.isDotDot())) return null;
            group.add(r);
            if (!r.continues()) {
                RockRidge rr = vol.rockRidge(group.get(0));
                return rr != null && (rr.childLink >= 0 || rr.relocated) ? null : fileNode(vol, key, group, rr);
            }
            at += r.length();
        }
        throw Cd9660Error.corrupt("file at byte " + key + ": more than " + MAX_EXTENTS + " extents");
    }

    /** A non-directory from its records (all the extents of a multi-extent file) and its Rock Ridge. */
    static IsoNode fileNode(IsoVolume vol, long key, List<DirRecord> group, RockRidge rr) throws Cd9660Error {
        DirRecord first = group.get(0);
        long[] start = new long[group.size()];
        long[] length = new long[group.size()];
        long size = 0;
        boolean interleaved = first.fileUnitSize() != 0;
        for (int i = 0; i < group.size(); i++) {
            DirRecord r = group.get(i);
            if (r.fileUnitSize() != first.fileUnitSize() || r.interleaveGap() != first.interleaveGap()) {
                throw new Cd9660Error(Errno.EOPNOTSUPP, "file at byte " + key + ": extents interleaved differently");
            }
            start[i] = (r.extent() + r.xattrLength()) * vol.lbs;
            length[i] = r.dataLength();
            // an interleaved extent spans more than its length; its reads check the end themselves
            if (!interleaved && start[i] + length[i] > vol.end) {
                throw Cd9660Error.corrupt("file at byte " + key + ": extent of " + length[i] + " bytes at block " + r.extent()
                        + " runs past the volume's end");
            }
            size += length[i];
        }
        VType type = VType.VREG;
        if (rr != null && rr.px) type = typeOf(rr.mode, VType.VREG);
        if (type == VType.VDIR) type = VType.VREG; // a directory is one by its record's flag, never by PX alone
        String link = type == VType.VLNK ? rr.linkTarget() : null;
        if (type == VType.VLNK && link == null) link = "";
        if (type == VType.VLNK) size = link.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        long rdev = (type == VType.VCHR || type == VType.VBLK) ? rr.rdev() : 0;
        return node(key, type, size, first, rr, start, length, first.fileUnitSize(), first.interleaveGap(), rdev, link, -1);
    }

    /** A directory from its "." and ".." records: size and attributes from ".", the parent from ".." or PL. */
    static IsoNode dirNode(IsoVolume vol, long key) throws Cd9660Error {
        DirRecord dot = vol.firstRecord(key);
        if (!dot.isDot()) throw Cd9660Error.corrupt("directory at byte " + key + ": the first record is not \".\"");
        long size = dot.dataLength();
        if (size < dot.length() || key + size > vol.end) {
            throw Cd9660Error.corrupt("directory at byte " + key + ": size " + size + " outside the volume");
        }
        DirRecord dotdot = vol.firstRecord(key + dot.length());
        if (!dotdot.isDotDot()) throw Cd9660Error.corrupt("directory at byte " + key + ": the second record is not \"..\"");
        RockRidge rr = vol.rockRidge(dot);
        RockRidge prr = vol.rockRidge(dotdot);
        long parent = prr != null && prr.parentLink >= 0 ? prr.parentLink * vol.lbs : (dotdot.extent() + dotdot.xattrLength()) * vol.lbs;
        if (key == vol.rootKey) parent = key;
        return node(key, VType.VDIR, size, dot, rr, new long[] {key}, new long[] {size}, 0, 0, 0, null, parent);
    }

    private static IsoNode node(long key, VType type, long size, DirRecord r, RockRidge rr, long[] start, long[] length, int unit,
            int gap, long rdev, String link, long parent) {
        boolean px = rr != null && rr.px;
        long recorded = r.recorded() == IsoTime.NONE ? 0 : r.recorded();
        long mtime = rr != null && rr.modified != IsoTime.NONE ? rr.modified : recorded;
        long atime = rr != null && rr.accessed != IsoTime.NONE ? rr.accessed : mtime;
        long ctime = rr != null && rr.attributes != IsoTime.NONE ? rr.attributes : mtime;
        long birth = rr != null && rr.created != IsoTime.NONE ? rr.created : ctime;
        return new IsoNode(key, type, px ? (int) (rr.mode & 07777) : DEFAULT_PERM, px ? rr.nlink : 1, px ? rr.uid : 0, px ? rr.gid : 0,
                size, new long[] {atime, mtime, ctime, birth}, rdev, link, start, length, unit, gap, parent);
    }

    /** The vnode type of a POSIX mode; {@code otherwise} for a type the mode does not name. */
    static VType typeOf(long mode, VType otherwise) {
        return switch ((int) mode & S_IFMT) {
            case S_IFREG -> VType.VREG;
            case S_IFDIR -> VType.VDIR;
            case S_IFLNK -> VType.VLNK;
            case S_IFCHR -> VType.VCHR;
            case S_IFBLK -> VType.VBLK;
            case S_IFIFO -> VType.VFIFO;
            case S_IFSOCK -> VType.VSOCK;
            default -> otherwise;
        };
    }
}
