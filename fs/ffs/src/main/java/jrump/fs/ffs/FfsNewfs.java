package jrump.fs.ffs;

import java.io.IOException;

import jrump.rumpvfs.tool.ImageWriter;
import jrump.rumpvfs.tool.NewfsProvider;

/** newfs for ukfs and the NIO provider: UFS2, little-endian, with newfs' default block and fragment sizes. */
public final class FfsNewfs implements NewfsProvider {
    @Override
    public String type() {
        return "ffs";
    }

    @Override
    public long newfs(Request rq, ImageWriter out) throws IOException {
        Newfs.Options o = new Newfs.Options(rq.sizeBytes(), true, 0, 0, 0, false, rq.nowNanos() / 1_000_000_000L);
        return Newfs.format(o, out).sizeBytes();
    }
}
