/*
 * nullfs: the fastest FUSE daemon we can write for scripts/bench-fuse's small-file tree, to measure the
 * ceiling of any daemon on this kernel (scripts/bench-fuse-ceiling, BENCHMARKS.md).
 *
 * It serves, from memory and read-only, exactly the tree scripts/bench-fuse copies out of its images:
 * /small/D/F for D in 0..19 and F in 0..999, each file holding "file D/F\n" (mode 0644, directories 0755,
 * uid/gid 0, fixed times). No lookup counts are kept: every inode exists for the daemon's lifetime.
 *
 * It negotiates what jrump's lib/p2k negotiates (FuseSession.init, FuseMount.mount), so that only the daemon's
 * own cost differs: async reads, READDIRPLUS always (not adaptive), max_write and max_pages for 1 MiB,
 * max_background 64, congestion threshold 48, time_gran 1 ns; mount options default_permissions and
 * max_read=1048576; entry and attribute timeouts 1 s. It asks for parallel directory operations too, but
 * libfuse 3.14 does not pass that flag on (seen in its INIT reply); one cp -a never has two requests in one
 * directory at once, so it makes no difference here. The script raises the mount's readahead to 1 MiB, as
 * p2k does after its mounts. OPEN answers ENOSYS, as jrump
 * does on read-only mounts: the kernel then opens files itself and sends no OPEN or RELEASE (fc->no_open).
 * FLUSH is left to libfuse, which answers ENOSYS (jrump answers it ENOSYS too), so the kernel stops sending it.
 *
 * Extended attributes: the file system supports them but has none, like ext4 (GETXATTR answers ENODATA,
 * LISTXATTR a size of 0). With -x both answer ENOSYS instead, after which the kernel stops asking
 * (fc->no_getxattr, fc->no_listxattr): the difference is what the xattr round trips cost per file.
 *
 * -p serves from one thread that polls the device (non-blocking reads in a loop) instead of sleeping in read(2):
 * on a virtual machine whose idle vCPUs halt, waking a sleeping daemon on the other vCPU costs tens of
 * microseconds per request; polling avoids that wake-up on the daemon's side (at the price of a busy core).
 * Measured here it did not help: the client's vCPU still halts while it waits for the reply.
 *
 * -P pushes each file's contents into the kernel's page cache (FUSE_NOTIFY_STORE) once READDIRPLUS has
 * given the kernel its inode: cp -a then reads every file without a READ round trip. The entries of one
 * READDIRPLUS reply are pushed after the next reply of that listing (the kernel links the entries of a reply
 * before it asks for more, so their inodes exist by then); the daemon writes, the reader never waits.
 *
 * Usage: nullfs [-x] [-P] [-p | -t MAX_THREADS] [-s STATS_FILE] [-f] MOUNTPOINT
 * (-t: reader threads, 2 by default as jrump's; -s: request counts written to STATS_FILE at the end;
 * -f: foreground; unmount with umount or fusermount3 -u)
 * Build: gcc -O2 -Wall -o nullfs nullfs.c $(pkg-config --cflags --libs fuse3)
 */
#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
    DIRS = 20,        /* /small/0 .. /small/19 */
    FILES = 1000,     /* /small/D/0 .. /small/D/999 */
    INO_ROOT = 1,     /* FUSE_ROOT_ID */
    INO_SMALL = 2,
    INO_DIR0 = 3,     /* /small/D is INO_DIR0 + D */
    INO_FILE0 = 100,  /* /small/D/F is INO_FILE0 + D * FILES + F */
    CONTENT_MAX = 32,
};

static const double TIMEOUT = 1.0; /* jrump's default entry_timeout and attr_timeout */
static const time_t MTIME = 1700000000;
static int no_xattr;               /* -x: xattr operations answer ENOSYS */
static const char *stats_file;     /* -s FILE: request counts written there when the session ends */
static int spin;                   /* -p: one thread polling the device instead of sleeping in read(2) */
static int push;                   /* -P: file contents pushed into the page cache with NOTIFY_STORE */
static struct fuse_session *session;

/* Requests counted per operation (relaxed atomic increments: a few ns against a round trip of microseconds). */
enum op { OP_LOOKUP, OP_FORGET, OP_GETATTR, OP_OPEN, OP_READ, OP_OPENDIR, OP_READDIR, OP_READDIRPLUS,
          OP_RELEASEDIR, OP_STATFS, OP_GETXATTR, OP_LISTXATTR, OP_COUNT };
static const char *const op_names[OP_COUNT] = {"LOOKUP", "FORGET", "GETATTR", "OPEN", "READ", "OPENDIR",
    "READDIR", "READDIRPLUS", "RELEASEDIR", "STATFS", "GETXATTR", "LISTXATTR"};
static unsigned long op_counts[OP_COUNT];
#define COUNT(op) __atomic_fetch_add(&op_counts[op], 1, __ATOMIC_RELAXED)

/* DESTROY or the end of the loop: the counts, one "NAME COUNT" a line (FLUSH is libfuse's, not counted). */
static void write_stats(void) {
    if (stats_file == NULL) return;
    FILE *f = fopen(stats_file, "w");
    if (f == NULL) return;
    for (int i = 0; i < OP_COUNT; i++) fprintf(f, "%s %lu\n", op_names[i], op_counts[i]);
    fclose(f);
}

static int is_file(fuse_ino_t ino) { return ino >= INO_FILE0 && ino < INO_FILE0 + DIRS * FILES; }
static int is_leaf_dir(fuse_ino_t ino) { return ino >= INO_DIR0 && ino < INO_DIR0 + DIRS; }

/* The file's bytes, the same as scripts/bench-fuse's printf 'file %d/%d\n'. */
static int content(fuse_ino_t ino, char *buf) {
    unsigned n = (unsigned)(ino - INO_FILE0);
    return snprintf(buf, CONTENT_MAX, "file %u/%u\n", n / FILES, n % FILES);
}

/* Fills *st for ino; 0, or ENOENT for a number that names nothing. */
static int attr_of(fuse_ino_t ino, struct stat *st) {
    memset(st, 0, sizeof *st);
    st->st_ino = ino;
    st->st_atime = st->st_mtime = st->st_ctime = MTIME;
    st->st_blksize = 4096;
    if (is_file(ino)) {
        char buf[CONTENT_MAX];
        st->st_mode = S_IFREG | 0644;
        st->st_nlink = 1;
        st->st_size = content(ino, buf);
        st->st_blocks = 8;
    } else if (ino == INO_ROOT || ino == INO_SMALL || is_leaf_dir(ino)) {
        st->st_mode = S_IFDIR | 0755;
        st->st_nlink = 2 + (ino == INO_ROOT ? 1 : ino == INO_SMALL ? DIRS : 0);
        st->st_size = 4096;
        st->st_blocks = 8;
    } else {
        return ENOENT;
    }
    return 0;
}

/* A decimal name in [0, limit) without leading zeros; -1 otherwise. */
static long number(const char *name, long limit) {
    if (name[0] == '\0' || (name[0] == '0' && name[1] != '\0')) return -1;
    long v = 0;
    for (const char *p = name; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        v = v * 10 + (*p - '0');
        if (v >= limit) return -1;
    }
    return v;
}

/* The inode of name in directory parent; 0 if there is none. */
static fuse_ino_t child(fuse_ino_t parent, const char *name) {
    long v;
    if (parent == INO_ROOT) return strcmp(name, "small") == 0 ? INO_SMALL : 0;
    if (parent == INO_SMALL) return (v = number(name, DIRS)) < 0 ? 0 : INO_DIR0 + v;
    if (is_leaf_dir(parent)) return (v = number(name, FILES)) < 0 ? 0 : INO_FILE0 + (parent - INO_DIR0) * FILES + v;
    return 0;
}

static void entry_of(fuse_ino_t ino, struct fuse_entry_param *e) {
    memset(e, 0, sizeof *e);
    e->ino = ino;
    e->attr_timeout = TIMEOUT;
    e->entry_timeout = TIMEOUT;
    attr_of(ino, &e->attr);
}

static void nullfs_init(void *userdata, struct fuse_conn_info *conn) {
    (void)userdata;
    /* exactly jrump's set (libfuse would add auto_inval_data, atomic_o_trunc, readdirplus_auto, ...) */
    conn->want = conn->capable & (FUSE_CAP_ASYNC_READ | FUSE_CAP_READDIRPLUS | FUSE_CAP_PARALLEL_DIROPS);
    conn->max_write = 1 << 20; /* libfuse asks for max_pages = max_write / page size, as jrump */
    conn->max_read = 1 << 20;  /* must agree with the max_read mount option */
    conn->max_background = 64;
    conn->congestion_threshold = 48;
    conn->time_gran = 1;
}

static void nullfs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name) {
    COUNT(OP_LOOKUP);
    fuse_ino_t ino = child(parent, name);
    if (ino == 0) {
        fuse_reply_err(req, ENOENT);
        return;
    }
    struct fuse_entry_param e;
    entry_of(ino, &e);
    fuse_reply_entry(req, &e);
}

static void nullfs_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup) {
    COUNT(OP_FORGET);
    (void)ino, (void)nlookup;
    fuse_reply_none(req);
}

static void nullfs_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets) {
    (void)forgets;
    __atomic_fetch_add(&op_counts[OP_FORGET], count, __ATOMIC_RELAXED); /* one per node, as FORGET */
    fuse_reply_none(req);
}

static void nullfs_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
    COUNT(OP_GETATTR);
    (void)fi;
    struct stat st;
    int err = attr_of(ino, &st);
    if (err) fuse_reply_err(req, err);
    else fuse_reply_attr(req, &st, TIMEOUT);
}

static void nullfs_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
    COUNT(OP_OPEN);
    (void)ino, (void)fi;
    fuse_reply_err(req, ENOSYS); /* as jrump on read-only mounts: no OPEN/RELEASE from now on */
}

static void nullfs_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi) {
    COUNT(OP_READ);
    (void)fi;
    if (!is_file(ino)) {
        fuse_reply_err(req, EISDIR);
        return;
    }
    char buf[CONTENT_MAX];
    off_t len = content(ino, buf);
    if (off >= len) {
        fuse_reply_buf(req, NULL, 0);
        return;
    }
    size_t n = (size_t)(len - off) < size ? (size_t)(len - off) : size;
    fuse_reply_buf(req, buf + off, n);
}

/* -P: entries [start, end) of a listing, returned by the last READDIRPLUS reply and not pushed yet. */
struct batch {
    int start, end;
};

static void nullfs_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
    COUNT(OP_OPENDIR);
    struct stat st;
    if (attr_of(ino, &st) || !S_ISDIR(st.st_mode)) {
        fuse_reply_err(req, ENOTDIR);
        return;
    }
    fi->fh = 0;
    if (push) {
        struct batch *b = calloc(1, sizeof *b); /* the previous READDIRPLUS reply's entries, to push */
        if (b == NULL) {
            fuse_reply_err(req, ENOMEM);
            return;
        }
        fi->fh = (uint64_t)(uintptr_t)b;
    }
    fuse_reply_open(req, fi);
}

static void nullfs_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
    COUNT(OP_RELEASEDIR);
    (void)ino;
    free((void *)(uintptr_t)fi->fh);
    fuse_reply_err(req, 0);
}

/* NOTIFY_STORE of the contents of the files among entries [start, end) of directory dir. */
static void push_batch(fuse_ino_t dir, const struct batch *b);

/* How many entries directory ino has, "." and ".." included; the name and inode of entry i. */
static int entries(fuse_ino_t ino) {
    return 2 + (ino == INO_ROOT ? 1 : ino == INO_SMALL ? DIRS : FILES);
}

static fuse_ino_t entry_at(fuse_ino_t dir, int i, char *name) {
    if (i == 0) {
        strcpy(name, ".");
        return dir;
    }
    if (i == 1) {
        strcpy(name, "..");
        return dir == INO_ROOT ? INO_ROOT : dir == INO_SMALL ? INO_ROOT : INO_SMALL;
    }
    if (dir == INO_ROOT) {
        strcpy(name, "small");
        return INO_SMALL;
    }
    snprintf(name, 16, "%d", i - 2);
    return dir == INO_SMALL ? (fuse_ino_t)INO_DIR0 + (i - 2) : INO_FILE0 + (dir - INO_DIR0) * FILES + (i - 2);
}

/* READDIR and READDIRPLUS: entries from offset off (the index of the next one) into at most size bytes. */
static void list(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, int plus, struct batch *pending) {
    char *buf = malloc(size);
    if (buf == NULL) {
        fuse_reply_err(req, ENOMEM);
        return;
    }
    size_t used = 0;
    int i;
    for (i = (int)off; i < entries(ino); i++) {
        char name[16];
        fuse_ino_t child_ino = entry_at(ino, i, name);
        size_t n;
        if (plus) {
            struct fuse_entry_param e;
            entry_of(child_ino, &e);
            if (i < 2) e.ino = 0; /* "." and "..": no attributes, no lookup count (the kernel skips them) */
            n = fuse_add_direntry_plus(req, buf + used, size - used, name, &e, i + 1);
        } else {
            struct stat st;
            attr_of(child_ino, &st);
            n = fuse_add_direntry(req, buf + used, size - used, name, &st, i + 1);
        }
        if (n > size - used) break;
        used += n;
    }
    /* the previous reply's entries are linked now: push them after this reply, remember this one's (before
     * the reply: once it is sent, RELEASEDIR may free the record on another thread) */
    struct batch previous = {0, 0};
    if (pending != NULL) {
        previous = *pending;
        pending->start = (int)off;
        pending->end = i;
    }
    fuse_reply_buf(req, buf, used);
    free(buf);
    push_batch(ino, &previous);
}

static void nullfs_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi) {
    COUNT(OP_READDIR);
    (void)fi;
    list(req, ino, size, off, 0, NULL);
}

static void nullfs_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi) {
    COUNT(OP_READDIRPLUS);
    (void)fi;
    list(req, ino, size, off, 1, push ? (struct batch *)(uintptr_t)fi->fh : NULL);
}

static void push_batch(fuse_ino_t dir, const struct batch *b) {
    for (int i = b->start; i < b->end; i++) {
        char name[16], data[CONTENT_MAX];
        fuse_ino_t ino = entry_at(dir, i, name);
        if (!is_file(ino)) continue;
        struct fuse_bufvec v = FUSE_BUFVEC_INIT((size_t)content(ino, data));
        v.buf[0].mem = data;
        fuse_lowlevel_notify_store(session, ino, 0, &v, 0);
    }
}

static void nullfs_statfs(fuse_req_t req, fuse_ino_t ino) {
    COUNT(OP_STATFS);
    (void)ino;
    struct statvfs v;
    memset(&v, 0, sizeof v);
    v.f_bsize = v.f_frsize = 4096;
    v.f_blocks = 65536;
    v.f_files = v.f_favail = 65536;
    v.f_ffree = 65536 - (INO_DIR0 + DIRS + DIRS * FILES);
    v.f_namemax = 255;
    fuse_reply_statfs(req, &v);
}

static void nullfs_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size) {
    COUNT(OP_GETXATTR);
    (void)ino, (void)name, (void)size;
    fuse_reply_err(req, no_xattr ? ENOSYS : ENODATA);
}

static void nullfs_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size) {
    COUNT(OP_LISTXATTR);
    (void)ino;
    if (no_xattr) fuse_reply_err(req, ENOSYS);
    else if (size == 0) fuse_reply_xattr(req, 0);
    else fuse_reply_buf(req, NULL, 0);
}

static void nullfs_destroy(void *userdata) {
    (void)userdata;
    write_stats();
}

static const struct fuse_lowlevel_ops ops = {
    .init = nullfs_init,
    .destroy = nullfs_destroy,
    .lookup = nullfs_lookup,
    .forget = nullfs_forget,
    .forget_multi = nullfs_forget_multi,
    .getattr = nullfs_getattr,
    .open = nullfs_open,
    .read = nullfs_read,
    .opendir = nullfs_opendir,
    .readdir = nullfs_readdir,
    .readdirplus = nullfs_readdirplus,
    .releasedir = nullfs_releasedir,
    .statfs = nullfs_statfs,
    .getxattr = nullfs_getxattr,
    .listxattr = nullfs_listxattr,
};

static void usage(void) {
    fprintf(stderr, "usage: nullfs [-x] [-P] [-p | -t MAX_THREADS] [-s STATS_FILE] [-f] MOUNTPOINT\n");
    exit(2);
}

/* -p: receive with O_NONBLOCK and retry at once on EAGAIN; 0 when the session ends by unmounting. */
static int spin_loop(struct fuse_session *se) {
    int fd = fuse_session_fd(se);
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) return 1;
    struct fuse_buf buf = {.mem = NULL};
    int res = 0;
    while (!fuse_session_exited(se)) {
        res = fuse_session_receive_buf(se, &buf);
        if (res == -EAGAIN || res == -EINTR) continue;
        if (res <= 0) break; /* 0: unmounted (ENODEV) */
        fuse_session_process_buf(se, &buf);
    }
    free(buf.mem);
    return res < 0;
}

int main(int argc, char **argv) {
    int foreground = 0, threads = 2, opt; /* 2 readers, as jrump's default */
    while ((opt = getopt(argc, argv, "xPpft:s:")) != -1) {
        switch (opt) {
        case 'x': no_xattr = 1; break;
        case 'f': foreground = 1; break;
        case 's': stats_file = optarg; break;
        case 'p': spin = 1; break;
        case 'P': push = 1; break;
        case 't': threads = atoi(optarg); if (threads < 1) usage(); break;
        default: usage();
        }
    }
    if (optind != argc - 1) usage();
    const char *mountpoint = argv[optind];

    /* the mount options jrump's FuseMount gives the kernel on a read-only mount */
    char *fargv[] = {argv[0], "-o", "ro,default_permissions,max_read=1048576,fsname=nullfs,subtype=nullfs", NULL};
    struct fuse_args args = FUSE_ARGS_INIT(3, fargv);
    struct fuse_session *se = fuse_session_new(&args, &ops, sizeof ops, NULL);
    if (se == NULL) return 1;
    session = se;
    int rc = 1;
    if (fuse_set_signal_handlers(se) != 0) goto out_destroy;
    if (fuse_session_mount(se, mountpoint) != 0) goto out_signals;
    fuse_daemonize(foreground);
    if (spin) {
        rc = spin_loop(se);
    } else {
        struct fuse_loop_config *config = fuse_loop_cfg_create();
        fuse_loop_cfg_set_max_threads(config, threads);
        fuse_loop_cfg_set_idle_threads(config, threads);
        rc = fuse_session_loop_mt(se, config) != 0;
        fuse_loop_cfg_destroy(config);
    }
    write_stats(); /* a plain mount gets no DESTROY on umount (only fuseblk does) */
    fuse_session_unmount(se);
out_signals:
    fuse_remove_signal_handlers(se);
out_destroy:
    fuse_session_destroy(se);
    return rc;
}
