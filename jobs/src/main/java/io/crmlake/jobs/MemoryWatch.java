package io.crmlake.jobs;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * How much memory a job took, from the garbage collector's own reports: the most heap in use at
 * once (just before a collection, or now) and the most heap still in use just after a collection,
 * which is what the job really held and what a driver must at least be given. Also the process's
 * peak resident set (Linux's VmHWM), Spark's off-heap buffers included. One job runs at a time in
 * a JVM, so one pair of counters, reset when a job starts, serves.
 */
final class MemoryWatch {
    private static final Path PROC_STATUS = Path.of("/proc/self/status");
    private static final AtomicLong PEAK_USED = new AtomicLong();
    private static final AtomicLong PEAK_LIVE = new AtomicLong();
    private static final List<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).toList();
    private static boolean listening;

    /** A job's heap figures: the most in use at once, and the most left after a collection. */
    record Heap(long peakUsedBytes, long peakLiveBytes) {}

    private MemoryWatch() {}

    /** Starts a new pair of peaks: the next {@link #heap()} covers only what follows. */
    static synchronized void reset() {
        listen();
        PEAK_USED.set(heapUsedNow());
        PEAK_LIVE.set(0);
    }

    /** The peaks since the last reset, today's usage included. */
    static Heap heap() {
        return new Heap(Math.max(PEAK_USED.get(), heapUsedNow()), PEAK_LIVE.get());
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

    /**
     * The heap this JVM may grow to, as -Xmx (or the JVM's default) set it. Runtime.maxMemory()
     * is not that figure: with some collectors it leaves out a survivor space whose size the
     * collector keeps changing, so two readings in one run differ.
     */
    static long maxHeapBytes() {
        try {
            var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return Long.parseLong(hotspot.getVMOption("MaxHeapSize").getValue());
        } catch (RuntimeException e) { // not a HotSpot JVM: the nearest figure it gives
            return Runtime.getRuntime().maxMemory();
        }
    }

    private static long heapUsedNow() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void listen() {
        if (listening) {
            return;
        }
        listening = true;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
                        PEAK_USED.accumulateAndGet(used(info.getMemoryUsageBeforeGc()), Math::max);
                        PEAK_LIVE.accumulateAndGet(used(info.getMemoryUsageAfterGc()), Math::max);
                    }
                }, null, null);
            }
        }
    }

    /** Heap in use across a GC report's pools: the heap pools only (a report also lists Metaspace and the code cache). */
    private static long used(Map<String, MemoryUsage> pools) {
        return HEAP_POOLS.stream().map(pools::get).filter(java.util.Objects::nonNull).mapToLong(MemoryUsage::getUsed).sum();
    }
}
