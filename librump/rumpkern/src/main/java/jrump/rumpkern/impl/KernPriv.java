package jrump.rumpkern.impl;

import jrump.rumpkern.Cred;
import jrump.rumpkern.Errno;
import jrump.rumpkern.Lwp;
import jrump.rumpkern.Sys;
import jrump.rumpkern.kernel.KCred;
import jrump.rumpkern.kernel.KLwp;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.RumpkernPriv;

/** The private rumpkern interfaces (rumppriv_*): lwproc and credentials. Callers hold a virtual CPU. */
final class KernPriv implements RumpkernPriv {
    private final Kernel kernel;

    KernPriv(Kernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public int lwprocRfork(int flags) {
        if ((flags & ~(Sys.RUMP_RFFDG | Sys.RUMP_RFCFDG)) != 0) return Errno.EINVAL.number();
        if (flags == (Sys.RUMP_RFFDG | Sys.RUMP_RFCFDG)) return Errno.EINVAL.number();
        return kernel.lwprocRfork(flags, flags == Sys.RUMP_RFFD_SHARE, flags == Sys.RUMP_RFFDG);
    }

    @Override
    public int lwprocNewlwp(int pid) {
        return kernel.lwprocNewlwp(pid);
    }

    @Override
    public void lwprocSwitch(Lwp l) {
        if (l == null) {
            kernel.lwprocSwitch(null);
            return;
        }
        if (!(l instanceof KLwp k) || !ours(k)) throw kernel.panic("lwproc_switch: " + l + " is not an lwp of this kernel");
        kernel.lwprocSwitch(k);
    }

    private boolean ours(KLwp k) {
        return kernel.procs().find(k.pid()) == k.proc();
    }

    @Override
    public void lwprocReleaselwp() {
        kernel.lwprocReleaselwp();
    }

    @Override
    public Lwp lwprocCurlwp() {
        return kernel.lwprocCurlwp();
    }

    @Override
    public Cred credCreate(int uid, int gid, int ngroups, int[] groups) {
        if (ngroups > Sys.NGROUPS_MAX) throw kernel.panic("cred_create: " + ngroups + " groups > NGROUPS_MAX");
        return new KCred(uid, uid, uid, gid, gid, gid, groups);
    }

    @Override
    public void credPut(Cred cred) {
        // credentials are immutable values: nothing to release
    }

    @Override
    public int etfsRegister(String key, String hostpath, int ftype) {
        return etfsRegisterWithsize(key, hostpath, ftype, 0, Sys.RUMP_ETFS_SIZE_ENDOFF);
    }

    @Override
    public int etfsRegisterWithsize(String key, String hostpath, int ftype, long begin, long size) {
        if (key == null || hostpath == null) return Errno.EFAULT.number();
        var etfs = kernel.etfs();
        return etfs == null ? Errno.ENOSYS.number() : etfs.register(key, hostpath, ftype, begin, size);
    }

    @Override
    public int etfsRemove(String key) {
        if (key == null) return Errno.EFAULT.number();
        var etfs = kernel.etfs();
        return etfs == null ? Errno.ENOSYS.number() : etfs.remove(key);
    }

    @Override
    public int fdSendfile(int fd, long offset, long count, java.nio.channels.WritableByteChannel chan) {
        if (chan == null) return Errno.EFAULT.number();
        var provider = kernel.sendfile();
        return provider == null ? Errno.ENOSYS.number() : provider.sendfile(kernel.curlwp(), fd, offset, count, chan);
    }

    @Override
    public int netifCreate(String ifname, String linkstr) {
        if (ifname == null || linkstr == null) return Errno.EFAULT.number();
        var n = kernel.netconf();
        return n == null ? Errno.ENOSYS.number() : n.ifCreate(ifname, linkstr);
    }

    @Override
    public int netifAddr(String ifname, String cidr) {
        if (ifname == null || cidr == null) return Errno.EFAULT.number();
        var n = kernel.netconf();
        return n == null ? Errno.ENOSYS.number() : n.ifAddr(ifname, cidr);
    }

    @Override
    public int routeAdd(String dest, String gateway) {
        if (dest == null || gateway == null) return Errno.EFAULT.number();
        var n = kernel.netconf();
        return n == null ? Errno.ENOSYS.number() : n.routeAdd(dest, gateway);
    }

    @Override
    public int lwprocSetcred(Cred cred) {
        if (!(cred instanceof KCred k)) return Errno.EINVAL.number();
        kernel.curlwp().proc().setCred(k, false);
        return 0;
    }
}
