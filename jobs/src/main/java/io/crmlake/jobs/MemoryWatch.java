package io.crmlake.jobs;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * How much memory a job took: the peak of the used heap while it ran (the JVM's own pool peaks,
 * reset when a job starts) and the process's peak resident set so far (Linux's VmHWM). The heap
 * peak is what a job needed at most under the JVM's -Xmx, the garbage not yet collected included;
 * the resident peak is what the machine had to give the driver, Spark's off-heap buffers included.
 */
final class MemoryWatch {
    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    private MemoryWatch() {}

    /** Starts a new peak: the next {@link #peakHeapBytes()} covers only what follows. */
    static void reset() {
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** The sum of the heap pools' peaks since the last reset (each pool peaks on its own, so an upper bound). */
    static long peakHeapBytes() {
        return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    /** The process's peak resident set since it started, where the system says it (Linux); empty elsewhere. */
    static OptionalLong peakResidentBytes() {
        try {
            for (String line : Files.readAllLines(PROC_STATUS)) {
                if (line.startsWith("VmHWM:")) { // "VmHWM:   123456 kB"
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) { // not Linux, or no procfs: the figure is optional
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
    }
}
