/**
 * Build-time generators: they turn the spec files (syscalls.master, *.ifspec) into Java sources.
 * Run by the build of the kernel modules; nothing here is loaded by a running kernel.
 */
module jrump.gen {
    exports jrump.gen;
}
