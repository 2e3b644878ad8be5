package jrump.rumpvfs.vnode;

import java.util.List;

/**
 * A vnode operation's descriptor (struct vnodeop_desc): its index and name, and for each vnode argument
 * the lock states the spec requires on entry, on success and on error, and what the callee releases.
 */
public record VopDesc(int index, String name, List<VnodeArg> vnodeArgs) {

    /** What the callee does with an argument's reference and lock (vnode_if.src's WILLxxx). */
    public enum Release { NONE, WILLRELE, WILLUNLOCK, WILLPUT }

    /** States: 'L' locked, 'U' unlocked, 'X' locked if not null, '=' unchanged, '-' not checked. */
    public record VnodeArg(String name, char entry, char exit, char error, Release release, boolean willMake) {
    }
}
