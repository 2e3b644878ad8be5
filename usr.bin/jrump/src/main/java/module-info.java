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
    requires jrump.dev.cgd;
    requires jrump.fs.ffs;
    requires jrump.net.shmif;
    requires jrump.netchan;
    requires jrump.net.sockin;
    requires info.picocli;
    requires me.tongfei.progressbar;

    opens jrump.cli to info.picocli;
}
