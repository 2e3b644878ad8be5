package jrump.fs.ext2fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every image of e2fsprogs' regression corpus (../shared/corpus/e2fsprogs-tests, mostly damaged on
 * purpose) through {@link Fsck} and through e2fsck -fn: ours always ends in a report (never an exception,
 * never a hang, never a write), and it calls clean no damaged image beyond the known gaps listed here:
 * damage it does not look for yet (htree index checks, xattr checksums and hashes, duplicate names,
 * quota, orphan lists, interior extent checks, backup superblocks...). A new miss fails the test; closing
 * a gap means deleting its line.
 */
class FsckCorpusTest {
    static final Path CORPUS = corpus().resolve("e2fsprogs-tests");

    /**
     * The shared corpus: -Djrump.corpus, else $JRUMP_CORPUS, else a "shared/corpus" beside the checkout or
     * one of its parents, else /work/shared/corpus. Missing, the test fails: it never skips.
     */
    static Path corpus() {
        String prop = System.getProperty("jrump.corpus", System.getenv("JRUMP_CORPUS"));
        if (prop != null) return Path.of(prop);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolveSibling("shared").resolve("corpus");
            if (Files.isDirectory(c)) return c;
        }
        return Path.of("/work/shared/corpus");
    }

    @TempDir
    Path tmp;

    /** Damage e2fsck -fn reports and jrump's check does not see yet. */
    static final java.util.Set<String> KNOWN_GAPS = java.util.Set.of(
            "d_corrupt_journal_nr_users", "f_bad_local_jnl", "f_badbblocks", "f_badprimary", "f_badtable",
            "f_clear_xattr", "f_deleted_inode_bad_csum", "f_ea_value_crash",
            "f_extent_interior_start_lblk",
            "f_h_badnode", "f_h_badroot", "f_h_reindex", "f_inlinedata_flags", "f_inlinedir_bad_symlink",
            "f_invalid_extent_symlink", "f_jnl_64bit",
            "f_preen_htree_csum", "f_quota", "f_quota_deallocate_inode", "f_quota_invalid_inum");

    /** The case's image, decompressed into the temporary folder, or null if it has none we can read. */
    static Path image(Path caseDir, Path tmp) throws IOException, InterruptedException {
        Path gz = caseDir.resolve("image.gz");
        Path plain = caseDir.resolve("image");
        Path bz = caseDir.resolve("image.bz2");
        Path out = tmp.resolve(caseDir.getFileName() + ".img");
        if (Files.exists(gz)) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                Files.copy(in, out);
            }
        } else if (Files.exists(plain)) {
            Files.copy(plain, out);
        } else if (Files.exists(bz)) {
            Process p = new ProcessBuilder("bzip2", "-dc", bz.toString()).redirectOutput(out.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
        } else {
            return null;
        }
        return out;
    }

    /** e2fsck -fn's exit status, or -1 when it does not finish in a minute (some damaged images make it loop). */
    private static int e2fsck(Path img) throws Exception {
        Process p = new ProcessBuilder("e2fsck", "-fn", img.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            return -1;
        }
        return p.exitValue();
    }

    @Test
    void everyCorpusImage_endsInAReport_andNoDamagedImageIsCalledClean() throws Exception {
        assertThat(CORPUS).as("the corpus (set -Djrump.corpus)").isDirectory();
        List<Path> cases;
        try (var s = Files.list(CORPUS)) {
            cases = s.filter(Files::isDirectory).sorted().toList();
        }
        List<String> missed = new ArrayList<>();
        int checked = 0;
        int agree = 0;
        for (Path c : cases) {
            Path img = image(c, tmp);
            if (img == null) continue;
            byte[] before = Files.readAllBytes(img);
            Fsck.Report r = CompletableFuture.supplyAsync(() -> {
                try {
                    return FsckTest.fsck(img);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(30, TimeUnit.SECONDS);
            assertThat(Files.readAllBytes(img)).as("%s: the check wrote", c.getFileName()).isEqualTo(before);
            int theirs = e2fsck(img);
            checked++;
            if (theirs < 0) {
                System.out.printf("%-40s e2fsck did not finish  jrump %d%n", c.getFileName(), r.exitStatus());
                Files.delete(img);
                continue;
            }
            boolean theyFind = theirs != 0;
            boolean weFind = r.exitStatus() != Fsck.EXIT_CLEAN;
            if (theyFind == weFind) agree++;
            if (theyFind && !weFind && !KNOWN_GAPS.contains(c.getFileName().toString())) missed.add(c.getFileName() + " (e2fsck " + theirs + ")");
            System.out.printf("%-40s e2fsck %d  jrump %d  %s%n", c.getFileName(), theirs, r.exitStatus(),
                    r.problems().isEmpty() ? "" : r.problems().get(0).lines().findFirst().orElse(""));
            Files.delete(img);
        }
        System.out.printf("corpus: %d images, %d verdicts agree; damage e2fsck finds and jrump does not: %s%n", checked, agree, missed);
        assertThat(checked).isGreaterThan(100);
        assertThat(missed).as("damaged images called clean").isEmpty();
    }
}
