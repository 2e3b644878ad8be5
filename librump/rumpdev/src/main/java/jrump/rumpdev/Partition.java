package jrump.rumpdev;

/**
 * One entry of a device's partition table: where it lies on its device, in bytes. Numbers follow the
 * convention of Linux and sfdisk: MBR primaries are 1-4 by their slot, logical partitions 5 and up in the
 * order of their EBR chain; GPT entries are their index in the entry array plus one.
 */
public sealed interface Partition permits MbrPartition, GptPartition {
    /** The partition's number on its device, as {@link BlockDevice#partition(int)} takes it. */
    int number();

    /** Byte offset of the partition's first sector on its device. */
    long offset();

    /** Length in bytes. */
    long size();
}
