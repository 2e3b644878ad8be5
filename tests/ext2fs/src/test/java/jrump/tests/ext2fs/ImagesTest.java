package jrump.tests.ext2fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import jrump.tests.ext2fs.TreeComparator.Mtimes;
import jrump.tests.ext2fs.TreeComparator.Node;

/**
 * The images are what the ext2fs tests take them for, judged by e2fsprogs alone: e2fsck finds them clean,
 * they have the features of their variant, every name of the tree is in them, the big directory is an
 * htree, and the modification times (with the nanoseconds debugfs wrote) are the host's. Every variant is
 * checked on the small tree (mke2fs copies the full one in seconds per variant, too slow for every build);
 * one variant on the full tree shows its 10,000-entry directory becomes a two-level htree.
 */
class ImagesTest {
    static List<Images.Variant> variants() {
        return Images.all();
    }

    private static final Pattern FEATURES = Pattern.compile("(?m)^Filesystem features:\\s+(.*)$");
    private static final Pattern MTIME = Pattern.compile("(?m)^\\s*mtime: 0x([0-9a-f]+)(?::([0-9a-f]+))? -- ");
    private static final Pattern FLAGS = Pattern.compile("Flags: 0x([0-9a-f]+)");

    private static final int EXT4_INDEX_FL = 0x1000;
    private static final int EXT4_EXTENTS_FL = 0x80000;
    private static final int EXT4_INLINE_DATA_FL = 0x10000000;

    @ParameterizedTest
    @MethodSource("variants")
    void imageIsCleanAndHasItsVariantsFeatures(Images.Variant v) {
        Images.Image image = ImageCache.image(TreeGenerator.Spec.small(), v);
        assertThat(Tools.run("e2fsck", "-fn", image.file().toString()).exit()).as(image.toString()).isZero();
        String header = Images.header(image.file());
        Matcher m = FEATURES.matcher(header);
        assertThat(m.find()).as(header).isTrue();
        Set<String> features = new HashSet<>(List.of(m.group(1).trim().split("\\s+")));
        assertThat(header).contains("Block size:               " + v.blockSize());
        if (v.name().equals("ext2-rev0")) {
            // revision 0 has 128-byte inodes and no features, and dumpe2fs prints no inode size
            assertThat(header).contains("Filesystem revision #:    0");
            assertThat(features).containsExactly("(none)");
            return;
        }
        assertThat(header).containsPattern("Inode size:\\s+" + v.inodeSize());
        assertThat(features).contains("filetype", "dir_index", "ext_attr", "sparse_super", "large_file");
        assertThat(features.contains("has_journal")).isEqualTo(!v.fsType().equals("ext2"));
        boolean ext4 = v.fsType().equals("ext4");
        assertThat(features.contains("extent")).isEqualTo(ext4 && !v.name().endsWith("no-extent"));
        assertThat(features.contains("64bit")).isEqualTo(ext4 && !v.name().endsWith("no-extent"));
        assertThat(features.contains("metadata_csum")).isEqualTo(ext4 && !v.name().endsWith("no-csum"));
        assertThat(features.contains("inline_data")).isEqualTo(v.name().endsWith("inline"));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void everyNameOfTheTreeIsInTheImage(Images.Variant v) {
        Images.Image image = ImageCache.image(TreeGenerator.Spec.small(), v);
        Set<String> host = ImageCache.host(TreeGenerator.Spec.small()).nodes().keySet();
        Set<String> inImage = new HashSet<>(Images.inodeNumbers(image.file()).keySet());
        inImage.add(""); // ncheck does not list the root
        assertThat(inImage).as(image.toString()).containsAll(host);
        inImage.removeAll(host);
        assertThat(inImage).as("only mke2fs's own").containsExactly("lost+found");
    }

    @ParameterizedTest
    @MethodSource("variants")
    void bigDirectoryIsAnHtreeWhereTheFeatureAllowsIt(Images.Variant v) {
        Images.Image image = ImageCache.image(TreeGenerator.Spec.small(), v);
        long big = Images.inodeNumbers(image.file()).get("big");
        assertThat((flags(image, big) & EXT4_INDEX_FL) != 0).as("htree flag of /big in " + image).isEqualTo(v.dirIndex());
    }

    @Test
    void fullTreesTenThousandEntryDirectoryIsATwoLevelHtree() {
        Images.Image image = ImageCache.image(TreeGenerator.Spec.full(), Images.named("ext3-1k"));
        Map<String, Long> ino = Images.inodeNumbers(image.file());
        long big = ino.get("big");
        assertThat(flags(image, big) & EXT4_INDEX_FL).as("htree flag of /big in " + image).isNotZero();
        // 10,000 names fill more leaf blocks than one 1 KiB index block points to: two levels
        String dump = Images.debugfs(image.file(), false, "htree_dump <" + big + ">\n").out();
        assertThat(dump).as(image.toString()).containsPattern("Indirect levels: [1-9]");
        // the generator's 10,000 plus the hard link the "hard" section puts there
        assertThat(ino.keySet().stream().filter(p -> p.startsWith("big/") && p.indexOf('/', 4) < 0).count())
                .isEqualTo(TreeGenerator.Spec.full().bigDirEntries() + 1);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void blockMappingFlagsAreTheVariants(Images.Variant v) {
        Images.Image image = ImageCache.image(TreeGenerator.Spec.small(), v);
        Map<String, Long> ino = Images.inodeNumbers(image.file());
        int large = flags(image, ino.get("files/large-0"));
        boolean extents = v.fsType().equals("ext4") && !v.name().endsWith("no-extent");
        assertThat((large & EXT4_EXTENTS_FL) != 0).as("extents of a large file in " + image).isEqualTo(extents);
        int small = flags(image, ino.get("files/size-59"));
        assertThat((small & EXT4_INLINE_DATA_FL) != 0).as("inline data of a 59-byte file in " + image)
                .isEqualTo(v.name().endsWith("inline"));
        if (v.xattrs()) {
            String eas = Images.debugfs(image.file(), false, "ea_list <" + ino.get("xattrs/several") + ">\n").out();
            assertThat(eas).contains("user.attr0", "user.attr4");
        }
    }

    /** The modification times in the image decode to the host's (or to its 32-bit seconds). */
    @ParameterizedTest
    @MethodSource("variants")
    void modificationTimesInTheImageAreTheHosts(Images.Variant v) {
        Images.Image image = ImageCache.image(TreeGenerator.Spec.small(), v);
        Map<String, Long> ino = Images.inodeNumbers(image.file());
        Map<String, Node> host = ImageCache.host(TreeGenerator.Spec.small()).nodes();
        List<String> paths = ino.keySet().stream().filter(p -> p.startsWith("times/") || p.startsWith("files/")).toList();
        Map<Long, String> stats = Images.debugfsEach(image.file(), "stat", paths.stream().map(ino::get).toList());
        for (String path : paths) {
            String stat = stats.get(ino.get(path));
            Matcher m = MTIME.matcher(stat);
            assertThat(m.find()).as("debugfs stat of %s in %s: %s", path, image, stat).isTrue();
            long lo = Long.parseLong(m.group(1), 16);
            Node h = host.get(path);
            if (v.mtimes() == Mtimes.NANOSECONDS) {
                long extra = Long.parseLong(m.group(2), 16);
                long sec = (int) lo + ((extra & 3) << 32);
                assertThat(sec + "." + (extra >>> 2)).as(path + " in " + image).isEqualTo(h.mtimeSec() + "." + h.mtimeNsec());
            } else {
                assertThat(m.group(2)).as("128-byte inodes have no extra time").isNull();
                assertThat((int) lo).as(path + " in " + image).isEqualTo((int) h.mtimeSec());
            }
        }
        assertThat(paths).hasSizeGreaterThan(20);
    }

    private static int flags(Images.Image image, long ino) {
        String stat = Images.debugfs(image.file(), false, "stat <" + ino + ">\n").out();
        Matcher m = FLAGS.matcher(stat);
        assertThat(m.find()).as(stat).isTrue();
        return Integer.parseUnsignedInt(m.group(1), 16);
    }
}
