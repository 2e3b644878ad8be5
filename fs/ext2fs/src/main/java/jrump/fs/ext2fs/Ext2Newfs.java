package jrump.fs.ext2fs;

import java.io.IOException;
import java.util.List;

import jrump.rumpvfs.tool.ImageWriter;
import jrump.rumpvfs.tool.MakefsTree;
import jrump.rumpvfs.tool.NewfsProvider;

/** newfs for ukfs and the NIO provider: an empty ext4 with mke2fs's default features, 4 KiB blocks. */
public final class Ext2Newfs implements NewfsProvider {
    @Override
    public String type() {
        return "ext2fs";
    }

    @Override
    public long newfs(Request rq, ImageWriter out) throws IOException {
        long now = rq.nowNanos();
        MakefsTree.Dir root = new MakefsTree.Dir(new MakefsTree.Attrs(0755, 0, 0, now, now, now), List.of());
        Makefs.Options o = new Makefs.Options(Makefs.Flavor.EXT4, 4096, rq.sizeBytes(), 0, rq.label(), null, rq.seed(), now);
        Makefs.Result r = Makefs.build(root, o, out);
        return r.blocks() * r.blockSize();
    }
}
