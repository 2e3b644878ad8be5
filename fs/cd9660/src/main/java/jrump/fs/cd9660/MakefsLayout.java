package jrump.fs.cd9660;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jrump.rumpvfs.tool.ImageWriter;
import jrump.rumpvfs.tool.MakefsTree;

/**
 * Where everything of a {@link Makefs} image goes, then the writing. Sectors in order: the system area
 * (0-15), the volume descriptors (primary, boot record, Joliet, terminator), the boot catalogue, the path
 * tables (ECMA-119 §9.4; type L and M, for each hierarchy), the primary directories (in path-table
 * order), the SUSP continuation areas, the Joliet directories, then file data, each file's once however
 * many names it has (hard links share an extent), and 150 sectors of padding.
 */
final class MakefsLayout {
    static final int SECTOR = VolumeDescriptor.SECTOR;
    /**
     * Zero sectors at the end, inside the volume, as mkisofs' -pad: readers probe ahead of the descriptors
     * (libarchive wants 48 KiB before it believes an image is one) and old drives read ahead past the end.
     */
    static final int PADDING = 150;

    /** One name of the tree, in the primary hierarchy, the Joliet one or both. */
    static final class Item {
        final String name;
        final MakefsTree.Node node;
        final Item parent;
        final List<Item> children = new ArrayList<>();
        final List<Item> jolietChildren = new ArrayList<>();
        byte[] isoId;
        byte[] jolietId;
        /** Rock Ridge of the record naming this item; a directory's "." record has {@code dotSu}. */
        SuspWriter.Placement su;
        SuspWriter.Placement dotSu;
        long extent;
        long size;
        long jolietExtent;
        long jolietSize;
        int number;
        int jolietNumber;

        Item(String name, MakefsTree.Node node, Item parent) {
            this.name = name;
            this.node = node;
            this.parent = parent;
        }

        boolean isDir() {
            return node instanceof MakefsTree.Dir;
        }
    }

    private final Makefs.Options o;
    /** The longest extent a record describes; longer files take several records (§6.5.1). */
    final long maxExtent;
    private final Item root;
    private final Map<MakefsTree.Node, Integer> links = new IdentityHashMap<>();
    /** Each file's extent, by node: hard links write their data once. */
    private final Map<MakefsTree.Node, Long> dataAt = new IdentityHashMap<>();
    private final List<Item> dirs = new ArrayList<>();
    private final List<Item> jolietDirs = new ArrayList<>();
    private final List<SuspWriter.Placement> placements = new ArrayList<>();
    private final List<Item> files = new ArrayList<>();
    private long bootRecord = -1;
    private long jolietDescriptor = -1;
    private long catalog = -1;
    private long pathTables;
    private int pathTableSize;
    private long jolietPathTables;
    private int jolietPathTableSize;
    private long sectors;
    private MakefsTree.File bootFile;

    MakefsLayout(MakefsTree.Dir tree, Makefs.Options o, long maxExtent) throws IOException {
        this.o = o;
        this.maxExtent = maxExtent;
        count(tree);
        this.root = new Item("", tree, null);
        build(root);
        numberDirectories();
        if (o.rockRidge()) rockRidge(root);
        if (o.bootImage() != null) bootFile = findBootImage(tree, o.bootImage());
        allocate();
    }

    private void count(MakefsTree.Node n) {
        links.merge(n, 1, Integer::sum);
        if (links.get(n) == 1 && n instanceof MakefsTree.Dir d) for (var e : d.entries()) count(e.getValue());
    }

    /** The items of a directory: identifiers unique per hierarchy, children in identifier order (§9.3). */
    private void build(Item dir) {
        Set<String> taken = new HashSet<>();
        Set<String> jolietTaken = new HashSet<>();
        for (var e : ((MakefsTree.Dir) dir.node).entries()) {
            MakefsTree.Node n = e.getValue();
            boolean plainType = n instanceof MakefsTree.Dir || n instanceof MakefsTree.File;
            if (!plainType && !o.rockRidge()) continue; // links and devices need Rock Ridge
            Item it = new Item(e.getKey(), n, dir);
            it.isoId = IsoNames.identifier(e.getKey(), it.isDir(), taken);
            dir.children.add(it);
            if (o.joliet() && plainType) {
                it.jolietId = jolietIdentifier(e.getKey(), jolietTaken);
                dir.jolietChildren.add(it);
            }
            if (it.isDir()) build(it);
        }
        dir.children.sort(Comparator.comparing(i -> i.isoId, Arrays::compareUnsigned));
        dir.jolietChildren.sort(Comparator.comparing(i -> i.jolietId, Arrays::compareUnsigned));
    }

    private static byte[] jolietIdentifier(String name, Set<String> taken) {
        byte[] id = Joliet.encode(name);
        String s = new String(id, StandardCharsets.UTF_16BE);
        for (int n = 1; !taken.add(s); n++) {
            String suffix = "~" + n;
            String cut = s.length() + suffix.length() > Joliet.MAX_CHARS ? s.substring(0, Joliet.MAX_CHARS - suffix.length()) : s;
            s = cut + suffix;
            id = s.getBytes(StandardCharsets.UTF_16BE);
        }
        return id;
    }

    /** Directory numbers in path-table order (§9.4: by level, then parent number, then identifier). */
    private void numberDirectories() {
        ArrayDeque<Item> queue = new ArrayDeque<>(List.of(root));
        while (!queue.isEmpty()) {
            Item d = queue.poll();
            dirs.add(d);
            d.number = dirs.size();
            for (Item c : d.children) if (c.isDir()) queue.add(c);
        }
        if (!o.joliet()) return;
        queue.add(root);
        while (!queue.isEmpty()) {
            Item d = queue.poll();
            jolietDirs.add(d);
            d.jolietNumber = jolietDirs.size();
            for (Item c : d.jolietChildren) if (c.isDir()) queue.add(c);
        }
    }

    private void rockRidge(Item dir) {
        for (Item c : dir.children) {
            List<byte[]> entries = new ArrayList<>(attributes(c));
            entries.addAll(SuspWriter.nm(c.name));
            if (c.node instanceof MakefsTree.Symlink l) entries.addAll(SuspWriter.sl(l.target()));
            c.su = place(entries, SuspWriter.MAX_RECORD - recordBase(c.isoId));
            if (c.isDir()) rockRidge(c);
        }
        List<byte[]> dot = new ArrayList<>();
        if (dir == root) dot.add(SuspWriter.sp());
        dot.addAll(attributes(dir));
        if (dir == root) dot.add(SuspWriter.er());
        dir.dotSu = place(dot, SuspWriter.MAX_RECORD - recordBase(new byte[1]));
    }

    private SuspWriter.Placement place(List<byte[]> entries, int space) {
        SuspWriter.Placement p = SuspWriter.place(entries, space);
        if (!p.areas.isEmpty()) placements.add(p);
        return p;
    }

    private List<byte[]> attributes(Item it) {
        MakefsTree.Attrs a = it.node.attrs();
        List<byte[]> out = new ArrayList<>();
        int type = switch (it.node) {
            case MakefsTree.Dir d -> IsoDir.S_IFDIR;
            case MakefsTree.File f -> IsoDir.S_IFREG;
            case MakefsTree.Symlink s -> IsoDir.S_IFLNK;
            case MakefsTree.Special s -> s.type();
        };
        long nlink = it.isDir() ? 2 + it.children.stream().filter(Item::isDir).count() : links.get(it.node);
        out.add(SuspWriter.px(type | (a.perm() & 07777), nlink, a.uid(), a.gid()));
        out.add(SuspWriter.tf(a.mtime(), a.atime(), a.ctime()));
        if (it.node instanceof MakefsTree.Special s && (s.type() == IsoDir.S_IFCHR || s.type() == IsoDir.S_IFBLK)) {
            out.add(SuspWriter.pn(s.major(), s.minor()));
        }
        return out;
    }

    /** A record's length before its system use area (ECMA-119 §9.1: 33 bytes, the identifier, a pad byte). */
    static int recordBase(byte[] id) {
        return DirRecord.FIXED + id.length + ((id.length & 1) == 0 ? 1 : 0);
    }

    private static MakefsTree.File findBootImage(MakefsTree.Dir tree, String path) throws IOException {
        MakefsTree.Node n = tree;
        for (String part : path.split("/")) {
            if (part.isEmpty()) continue;
            if (!(n instanceof MakefsTree.Dir d)) throw new IOException("boot image " + path + ": not in the tree");
            n = d.entries().stream().filter(e -> e.getKey().equals(part)).map(Map.Entry::getValue).findFirst()
                    .orElseThrow(() -> new IOException("boot image " + path + ": not in the tree"));
        }
        if (!(n instanceof MakefsTree.File f)) throw new IOException("boot image " + path + ": not a regular file");
        return f;
    }

    // --- allocation -----------------------------------------------------------------------------

    private void allocate() throws IOException {
        long next = VolumeDescriptor.FIRST_SECTOR + 1; // the primary descriptor
        if (bootFile != null) bootRecord = next++;
        if (o.joliet()) jolietDescriptor = next++;
        next++; // the terminator
        if (bootFile != null) catalog = next++;
        pathTableSize = pathTableSize(dirs, false);
        pathTables = next;
        next += 2 * sectorsOf(pathTableSize);
        if (o.joliet()) {
            jolietPathTableSize = pathTableSize(jolietDirs, true);
            jolietPathTables = next;
            next += 2 * sectorsOf(jolietPathTableSize);
        }
        for (Item d : dirs) {
            d.size = directorySize(d, false);
            d.extent = next;
            next += d.size / SECTOR;
        }
        long at = next * SECTOR;
        for (SuspWriter.Placement p : placements) {
            p.areaAt = new long[p.areas.size()];
            for (int i = 0; i < p.areas.size(); i++) {
                int len = p.areaBytes(i);
                if (at % SECTOR + len > SECTOR) at = (at / SECTOR + 1) * SECTOR; // an area never crosses a sector
                p.areaAt[i] = at;
                at += len;
            }
        }
        next = sectorsOf(at);
        // the Joliet directories after the continuation areas: libarchive reads Rock Ridge's areas in
        // image order and wants them before anything it has not read yet
        for (Item d : jolietDirs) {
            d.jolietSize = directorySize(d, true);
            d.jolietExtent = next;
            next += d.jolietSize / SECTOR;
        }
        next = allocateData(root, next);
        // empty files, links and devices point at the zeros after the data: readers that stream the image in
        // extent order (libarchive) must meet every continuation area before such an entry's "data"
        emptyAt(root, next);
        next += PADDING;
        if (next > 0xffffffffL) throw new IOException("an image of " + next + " sectors: more than ISO 9660 can address");
        sectors = next;
    }

    private long allocateData(Item dir, long next) {
        for (Item c : dir.children) {
            if (c.isDir()) {
                next = allocateData(c, next);
            } else if (c.node instanceof MakefsTree.File f) {
                Long at = dataAt.get(f);
                if (at == null) {
                    at = next;
                    dataAt.put(f, at);
                    next += sectorsOf(f.size());
                    files.add(c);
                }
                c.extent = at;
                c.size = f.size();
            }
        }
        return next;
    }

    private static void emptyAt(Item dir, long sector) {
        for (Item c : dir.children) {
            if (c.isDir()) emptyAt(c, sector);
            else if (c.size == 0) c.extent = sector;
        }
    }

    private static long sectorsOf(long bytes) {
        return (bytes + SECTOR - 1) / SECTOR;
    }

    private static int pathTableSize(List<Item> ds, boolean joliet) {
        int n = 0;
        for (Item d : ds) {
            int len = d.parent == null ? 1 : (joliet ? d.jolietId : d.isoId).length;
            n += 8 + len + (len & 1);
        }
        return n;
    }

    /** Records packed into sectors, none crossing one (§6.8.1.1); whole sectors. */
    private long directorySize(Item d, boolean joliet) {
        long pos = 0;
        for (int len : recordLengths(d, joliet)) {
            if (pos % SECTOR + len > SECTOR) pos = (pos / SECTOR + 1) * SECTOR;
            pos += len;
        }
        return sectorsOf(pos) * SECTOR;
    }

    private List<Integer> recordLengths(Item d, boolean joliet) {
        List<Integer> out = new ArrayList<>();
        out.add(recordBase(new byte[1]) + (joliet || d.dotSu == null ? 0 : d.dotSu.recordBytes()));
        out.add(recordBase(new byte[1]));
        for (Item c : joliet ? d.jolietChildren : d.children) {
            int len = recordBase(joliet ? c.jolietId : c.isoId) + (joliet || c.su == null ? 0 : c.su.recordBytes());
            for (int i = 0; i < extents(c); i++) out.add(len);
        }
        return out;
    }

    private int extents(Item c) {
        if (!(c.node instanceof MakefsTree.File f) || f.size() == 0) return 1;
        return (int) ((f.size() + maxExtent - 1) / maxExtent);
    }

    // --- writing --------------------------------------------------------------------------------

    Makefs.Result write(ImageWriter out) throws IOException {
        MakefsWriter w = new MakefsWriter(o, out, maxExtent);
        w.descriptors(this);
        if (catalog >= 0) w.sector(catalog, ElTorito.catalog(dataAt.get(bootFile), 4));
        w.pathTables(pathTables, pathTableSize, dirs, false);
        if (o.joliet()) w.pathTables(jolietPathTables, jolietPathTableSize, jolietDirs, true);
        for (Item d : dirs) w.directory(d, false);
        for (Item d : jolietDirs) w.directory(d, true);
        for (SuspWriter.Placement p : placements) {
            for (int i = 0; i < p.areas.size(); i++) out.write(p.areaAt[i], ByteBuffer.wrap(p.area(i)));
        }
        for (Item f : files) w.data((MakefsTree.File) f.node, f.extent);
        out.write(sectors * SECTOR - 1, ByteBuffer.allocate(1)); // the image is whole sectors long
        return new Makefs.Result(sectors, dirs.size(), files.size());
    }

    Item root() {
        return root;
    }

    long sectors() {
        return sectors;
    }

    long bootRecord() {
        return bootRecord;
    }

    long catalog() {
        return catalog;
    }

    long jolietDescriptor() {
        return jolietDescriptor;
    }

    long pathTables() {
        return pathTables;
    }

    int pathTableSize() {
        return pathTableSize;
    }

    long jolietPathTables() {
        return jolietPathTables;
    }

    int jolietPathTableSize() {
        return jolietPathTableSize;
    }
}
