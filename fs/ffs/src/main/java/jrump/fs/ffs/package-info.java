/**
 * FFS (UFS1 and UFS2) for rump kernels. Most users need only the "ffs" file-system type this module's
 * component registers ({@code mount("ffs", dir, flags, "/dev/...")}); the tools use {@link jrump.fs.ffs.Newfs}
 * (an empty file system) and {@link jrump.fs.ffs.Fsck} (a read-only check in fsck_ffs' five phases).
 */
package jrump.fs.ffs;
