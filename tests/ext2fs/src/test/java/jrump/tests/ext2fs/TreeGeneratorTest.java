package jrump.tests.ext2fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jrump.tests.ext2fs.TreeComparator.Node;
import jrump.tests.ext2fs.TreeComparator.Options;
import jrump.tests.ext2fs.TreeComparator.Type;

/** The generated tree has what the ext2fs tests rely on, and one seed always makes the same tree. */
class TreeGeneratorTest {
    @Test
    void sameSeedMakesTheSameTreeAndAnotherSeedAnotherTree(@TempDir Path tmp) {
        var a = TreeComparator.host(TreeGenerator.generate(tmp.resolve("a"), 77, TreeGenerator.Spec.small()).root());
        var b = TreeComparator.host(TreeGenerator.generate(tmp.resolve("b"), 77, TreeGenerator.Spec.small()).root());
        var c = TreeComparator.host(TreeGenerator.generate(tmp.resolve("c"), 78, TreeGenerator.Spec.small()).root());
        // everything the comparator looks at, root included: names, contents, owners, modes, times, links
        assertThat(TreeComparator.differences(a, b, Options.exact())).isEmpty();
        assertThat(TreeComparator.differences(a, c, Options.exact())).isNotEmpty();
    }

    @Test
    void fullTreeHasEveryKindOfEntryTheReaderMustHandle() {
        TreeGenerator.Tree tree = ImageCache.tree(TreeGenerator.Spec.full());
        Collection<Node> nodes = ImageCache.host(TreeGenerator.Spec.full()).nodes().values();
        String seed = tree.describe();

        assertThat(nodes.stream().mapToInt(n -> n.path().split("/").length).max().orElse(0)).as(seed).isGreaterThanOrEqualTo(22);
        Map<String, Integer> children = new HashMap<>();
        for (Node n : nodes) {
            int slash = n.path().lastIndexOf('/');
            if (!n.path().isEmpty()) children.merge(slash < 0 ? "" : n.path().substring(0, slash), 1, Integer::sum);
        }
        assertThat(children.values().stream().mapToInt(i -> i).max().orElse(0)).as(seed).isGreaterThanOrEqualTo(10_000);

        assertThat(nodes).as(seed).anyMatch(n -> n.type() == Type.FILE && n.size() > 4L << 20);
        assertThat(nodes).as(seed).anyMatch(n -> n.type() == Type.FILE && n.size() == 0);
        assertThat(nodes).as(seed).anyMatch(n -> n.type() == Type.SYMLINK && n.size() < 60);
        assertThat(nodes).as(seed).anyMatch(n -> n.type() == Type.SYMLINK && n.size() > 60);
        assertThat(nodes).as(seed).anyMatch(n -> n.type() == Type.FIFO);
        assertThat(nodes).as(seed).anyMatch(n -> n.type() == Type.CHAR);
        assertThat(nodes).as(seed).anyMatch(n -> n.type() == Type.BLOCK && n.rdev() > 0xffff); // past the old 16-bit encoding

        assertThat(nodes).as("hard links").anyMatch(n -> n.type() == Type.FILE && n.nlink() >= 100);
        // no hard-linked symlink: mke2fs -d cannot keep one (TreeGenerator)
        assertThat(nodes).as("no hard-linked symlink").noneMatch(n -> n.type() == Type.SYMLINK && n.nlink() > 1);
        assertThat(nodes).as("hard-linked FIFO").anyMatch(n -> n.type() == Type.FIFO && n.nlink() == 2);

        assertThat(nodes).as("255-byte name").anyMatch(n -> lastName(n).getBytes(StandardCharsets.UTF_8).length == 255);
        assertThat(nodes).as("multi-byte name").anyMatch(n -> lastName(n).chars().anyMatch(ch -> ch > 0x7f));
        assertThat(nodes).as("name with a newline").anyMatch(n -> lastName(n).contains("\n"));

        assertThat(nodes).as("setuid file").anyMatch(n -> n.type() == Type.FILE && (n.perms() & 04000) != 0);
        assertThat(nodes).as("setgid directory").anyMatch(n -> n.type() == Type.DIR && (n.perms() & 02000) != 0);
        assertThat(nodes).as("sticky directory").anyMatch(n -> n.type() == Type.DIR && (n.perms() & 01000) != 0);
        assertThat(nodes).as("32-bit uid").anyMatch(n -> Integer.toUnsignedLong(n.uid()) > 65535);

        assertThat(nodes.stream().filter(n -> !n.xattrs().isEmpty()).count()).as("user attributes").isGreaterThan(20);
        assertThat(nodes).as("empty attribute").anyMatch(n -> n.xattrs().containsValue("0x"));

        assertThat(nodes).as("nanoseconds").anyMatch(n -> n.mtimeNsec() != 0);
        assertThat(nodes).as("before 1970").anyMatch(n -> n.mtimeSec() < 0);
        assertThat(nodes).as("after 2106").anyMatch(n -> n.mtimeSec() > 1L << 32);
    }

    @Test
    void sparseFilesHaveHolesOnTheHost() {
        TreeGenerator.Tree tree = ImageCache.tree(TreeGenerator.Spec.full());
        for (String name : new String[] {"sparse/far", "sparse/all-hole", "sparse/hole-first", "sparse/hole-last"}) {
            String[] blocksAndSize = Tools.run("stat", "-c", "%b %B %s", tree.root().resolve(name).toString()).expect(0)
                    .out().trim().split(" ");
            long allocated = Long.parseLong(blocksAndSize[0]) * Long.parseLong(blocksAndSize[1]);
            assertThat(allocated).as(name + " allocated bytes").isLessThan(Long.parseLong(blocksAndSize[2]) / 2);
        }
    }

    private static String lastName(Node n) {
        return n.path().substring(n.path().lastIndexOf('/') + 1);
    }
}
