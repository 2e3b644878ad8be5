package jrump.fs.msdosfs;

import java.io.IOException;

import jrump.rumpvfs.tool.ImageWriter;
import jrump.rumpvfs.tool.NewfsProvider;

/** newfs for ukfs and the NIO provider: FAT of the type and cluster size mkfs.fat would choose for the size. */
public final class MsdosNewfs implements NewfsProvider {
    @Override
    public String type() {
        return "msdos";
    }

    @Override
    public long newfs(Request rq, ImageWriter out) throws IOException {
        // the volume serial number mkfs.fat takes from the clock
        Newfs.Options o = new Newfs.Options(rq.sizeBytes(), 0, 512, 0, rq.label(), (rq.nowNanos() / 1_000_000L) & 0xFFFFFFFFL);
        Newfs.format(o, out);
        return rq.sizeBytes();
    }
}
