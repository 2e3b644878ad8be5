/** The jrump command: fs-utils, mtools and rump_server in one program. */
module jrump.cli {
    requires jrump.rumpkern;
    requires jrump.rumpvfs;
    requires jrump.fs.tmpfs;
    requires jrump.fs.ext2fs;
    requires jrump.ukfs;
    requires jrump.p2k;
    requires jrump.fs.msdosfs;
    requires jrump.fs.cd9660;
    requires info.picocli;

    opens jrump.cli to info.picocli;
}
