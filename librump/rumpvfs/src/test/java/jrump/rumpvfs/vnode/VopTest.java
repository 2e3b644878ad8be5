package jrump.rumpvfs.vnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jrump.rumpkern.Errno;
import jrump.rumpkern.KernelPanic;
import jrump.rumpkern.RumpConfig;
import jrump.rumpkern.RumpKernel;
import jrump.rumpkern.kernel.KCred;
import jrump.rumpkern.kernel.Kernel;
import jrump.rumpkern.kernel.Out;

/** The generated VOP layer: dispatch to a file system's operations and the lock-protocol checks. */
class VopTest {
    private RumpKernel rk;
    private Kernel kernel;

    /** A toy directory file system: names to vnodes; lookup returns the child unlocked, as the spec says. */
    private final class ToyFs implements VnodeOps {
        final Map<String, Vnode> children = new HashMap<>();
        boolean returnLocked;

        @Override
        public int lookup(VopArgs.Lookup a) {
            Vnode v = children.get(a.cnp().name());
            if (v == null) return Errno.ENOENT.number();
            if (returnLocked) v.lock(true);
            a.vpp().set(v);
            return 0;
        }
    }

    @BeforeEach
    void boot() {
        Kernel[] captured = new Kernel[1];
        rk = RumpKernel.boot(RumpConfig.builder().diagnostic(true).addComponent(TestComponents.vfs("test_capture", k -> captured[0] = k)).build());
        kernel = captured[0];
    }

    @AfterEach
    void halt() {
        rk.halt();
    }

    private ComponentName cn(String name) {
        return new ComponentName(ComponentName.LOOKUP, ComponentName.ISLASTCN, KCred.ROOT, name);
    }

    @Test
    void lookup_dispatchesToTheFileSystem() {
        ToyFs fs = new ToyFs();
        Vnode dir = new Vnode(kernel, fs, VType.VDIR, "root");
        Vnode file = new Vnode(kernel, fs, VType.VREG, "file");
        fs.children.put("file", file);
        dir.lock(true);
        Out<Vnode> vpp = new Out<>();
        assertThat(Vop.lookup(dir, vpp, cn("file"))).isZero();
        assertThat(vpp.get()).isSameAs(file);
        assertThat(Vop.lookup(dir, new Out<>(), cn("nothere"))).isEqualTo(Errno.ENOENT.number());
        dir.unlock();
    }

    @Test
    void lookup_onAnUnlockedDirectory_panics() {
        ToyFs fs = new ToyFs();
        Vnode dir = new Vnode(kernel, fs, VType.VDIR, "root");
        assertThatThrownBy(() -> Vop.lookup(dir, new Out<>(), cn("x"))).isInstanceOf(KernelPanic.class)
                .hasMessageContaining("VOP_LOOKUP: dvp").hasMessageContaining("must be locked on entry");
    }

    @Test
    void lookup_returningALockedVnode_panics() {
        ToyFs fs = new ToyFs();
        fs.returnLocked = true;
        Vnode dir = new Vnode(kernel, fs, VType.VDIR, "root");
        fs.children.put("f", new Vnode(kernel, fs, VType.VREG, "f"));
        dir.lock(true);
        assertThatThrownBy(() -> Vop.lookup(dir, new Out<>(), cn("f"))).isInstanceOf(KernelPanic.class)
                .hasMessageContaining("vpp").hasMessageContaining("must be unlocked on return");
    }

    @Test
    void unimplementedOperations_answerEopnotsupp_andUnlockedOnesAreNotChecked() {
        Vnode v = new Vnode(kernel, new ToyFs(), VType.VREG, "f");
        // ioctl is U U U: called unlocked
        assertThat(Vop.ioctl(v, 0, null, 0, KCred.ROOT)).isEqualTo(Errno.EOPNOTSUPP.number());
        v.lock(true);
        assertThat(Vop.fsync(v, KCred.ROOT, 0, 0, 0)).isEqualTo(Errno.EOPNOTSUPP.number());
        v.unlock();
    }

    @Test
    void everyOperationHasADescriptorAndADispatchCase() {
        assertThat(VopArgs.ALL).hasSizeGreaterThanOrEqualTo(40);
        assertThat(VopArgs.ALL).extracting(VopDesc::name).doesNotHaveDuplicates()
                .contains("lookup", "create", "rename", "readdir", "inactive", "reclaim", "getextattr");
        for (int i = 0; i < VopArgs.ALL.size(); i++) assertThat(VopArgs.ALL.get(i).index()).isEqualTo(i);
        VnodeOps none = new VnodeOps() {
        };
        Vnode v = new Vnode(kernel, none, VType.VREG, "f");
        assertThat(VnodeOps.dispatch(none, new VopArgs.Print(v))).isEqualTo(Errno.EOPNOTSUPP.number());
    }
}
