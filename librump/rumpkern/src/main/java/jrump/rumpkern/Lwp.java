package jrump.rumpkern;

/**
 * A light-weight process of a rump kernel (rump_lwproc(3)): what {@link RumpkernPub#lwprocCurlwp()} returns
 * and {@link RumpkernPub#lwprocSwitch(Lwp)} takes. An opaque handle; only its kernel can use it.
 */
public interface Lwp {
    /** The process id of the process the lwp belongs to. */
    int pid();

    /** The lwp id, unique within its process. */
    int lid();
}
