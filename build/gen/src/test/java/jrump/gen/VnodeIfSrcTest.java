package jrump.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class VnodeIfSrcTest {
    private static final List<String> LOOKUP = List.of(
            "# comment",
            "#% lookup\tdvp\tL L L",
            "#% lookup\tvpp\t- U -",
            "#! lookup\tcnp\tLOOKUP",
            "vop_lookup {",
            "\tVERSION 2",
            "\tIN LOCKED=YES struct vnode *dvp;",
            "\tOUT WILLMAKE struct vnode **vpp;",
            "\tIN struct componentname *cnp;",
            "};",
            "#% remove\tdvp\tL U U",
            "vop_remove {",
            "\tIN LOCKED=YES WILLPUT struct vnode *dvp;",
            "\tIN LOCKED=YES WILLPUT struct vnode *vp;",
            "\tIN struct componentname *cnp;",
            "};");

    @Test
    void parsesOpsArgumentsAndLockLines() {
        var ops = VnodeIfSrc.parse(LOOKUP);
        assertThat(ops).extracting(VnodeIfSrc.Op::name).containsExactly("vop_lookup", "vop_remove");
        var lookup = ops.getFirst();
        assertThat(lookup.version()).isEqualTo(2);
        assertThat(lookup.args()).extracting(VnodeIfSrc.Arg::name).containsExactly("dvp", "vpp", "cnp");
        assertThat(lookup.args().get(1).willMake()).isTrue();
        assertThat(lookup.args().get(1).pointers()).isEqualTo(2);
        assertThat(lookup.locks().get("vpp")).isEqualTo(new VnodeIfSrc.LockSpec('-', 'U', '-'));
        assertThat(lookup.nameiFlags()).containsEntry("cnp", "LOOKUP");
        assertThat(ops.get(1).args().getFirst().release()).isEqualTo("WILLPUT");
    }

    @Test
    void generatesRecordsDispatchAndCheckedWrappers() {
        var files = new VnodeIfGen(VnodeIfSrc.parse(LOOKUP), "vnode_if.src", "0").generate();
        String args = files.get("jrump/rumpvfs/vnode/VopArgs.java");
        assertThat(args).contains("record Lookup(Vnode dvp, Out<Vnode> vpp, ComponentName cnp) implements VopArgs")
                .contains("new VopDesc.VnodeArg(\"vpp\", '-', 'U', '-', VopDesc.Release.NONE, true)")
                .contains("new VopDesc.VnodeArg(\"dvp\", 'L', 'U', 'U', VopDesc.Release.WILLPUT, false)");
        String ops = files.get("jrump/rumpvfs/vnode/VnodeOps.java");
        assertThat(ops).contains("default int lookup(VopArgs.Lookup a)").contains("case VopArgs.Remove x -> ops.remove(x);");
        String vop = files.get("jrump/rumpvfs/vnode/Vop.java");
        assertThat(vop).contains("public static int lookup(Vnode dvp, Out<Vnode> vpp, ComponentName cnp)")
                .contains("VnodeLockCheck.check(VopArgs.Lookup.DESC, 0, false, 0, dvp, vpp.get());")
                .contains("VnodeLockCheck.check(VopArgs.Lookup.DESC, 1, true, error, dvp, vpp.get());");
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> VnodeIfSrc.parse(List.of("#% lookup dvp L Q L"))).hasMessageContaining("line 1");
        assertThatThrownBy(() -> VnodeIfSrc.parse(List.of("vop_x {", "IN int a;", "};"))).hasMessageContaining("vnode first");
        assertThatThrownBy(() -> VnodeIfSrc.parse(List.of("vop_x {", "IN struct vnode *vp;"))).hasMessageContaining("not closed");
        assertThatThrownBy(() -> VnodeIfSrc.parse(List.of("#% x nosuch L L L", "vop_x {", "IN struct vnode *vp;", "};")))
                .hasMessageContaining("names no argument nosuch");
        assertThatThrownBy(() -> VnodeIfSrc.parse(List.of("vop_x {", "SIDEWAYS struct vnode *vp;", "};")))
                .hasMessageContaining("IN, OUT or INOUT");
        var bad = VnodeIfSrc.parse(List.of("vop_x {", "IN struct vnode *vp;", "IN struct weird *w;", "};"));
        assertThatThrownBy(() -> new VnodeIfGen(bad, "t", "0").generate()).hasMessageContaining("no Java mapping for struct weird");
    }
}
