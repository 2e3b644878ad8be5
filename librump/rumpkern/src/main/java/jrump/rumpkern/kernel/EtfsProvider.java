package jrump.rumpkern.kernel;

/**
 * The etfs implementation (rump_etfs(3)) the VFS faction installs at boot: the kernel core only
 * dispatches to it, since keys live in the VFS's namespace. Methods return errnos.
 */
public interface EtfsProvider {
    int register(String key, String hostpath, int ftype, long begin, long size);

    int remove(String key);
}
