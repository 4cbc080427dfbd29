package org.edgegate.metrics.internal;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;

/** The Java VM's memory, memory pools, threads, garbage collections and uptime, from its MXBeans. */
final class JvmMetrics {
    private JvmMetrics() {
    }

    static void collect(Registry r) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Registry.Family used = r.gauge("jvm_memory_used_bytes", "Memory in use, by area");
        Registry.Family committed = r.gauge("jvm_memory_committed_bytes", "Memory the VM holds from the system, by area");
        Registry.Family max = r.gauge("jvm_memory_max_bytes", "Most memory the area may grow to (-1: no limit)");
        usage(memory.getHeapMemoryUsage(), "heap", used, committed, max);
        usage(memory.getNonHeapMemoryUsage(), "nonheap", used, committed, max);

        Registry.Family poolUsed = r.gauge("jvm_memory_pool_used_bytes", "Memory in use, by pool");
        Registry.Family poolMax = r.gauge("jvm_memory_pool_max_bytes", "Most memory the pool may grow to (-1: no limit)");
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = pool.getUsage();
            if (u != null) {
                poolUsed.add(u.getUsed(), "pool", pool.getName());
                poolMax.add(u.getMax(), "pool", pool.getName());
            }
        }

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        r.gauge("jvm_threads_current", "Live threads").add(threads.getThreadCount());
        r.gauge("jvm_threads_daemon", "Live daemon threads").add(threads.getDaemonThreadCount());
        r.gauge("jvm_threads_peak", "Most live threads at once since the VM started").add(threads.getPeakThreadCount());
        r.counter("jvm_threads_started_total", "Threads started since the VM started")
                .add(threads.getTotalStartedThreadCount());

        Registry.Family collections = r.counter("jvm_gc_collections_total", "Garbage collections, by collector");
        Registry.Family gcTime = r.counter("jvm_gc_collection_seconds_total",
                "Time spent in garbage collections, by collector");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc.getCollectionCount() >= 0) {
                collections.add(gc.getCollectionCount(), "gc", gc.getName());
                gcTime.add(gc.getCollectionTime() / 1000.0, "gc", gc.getName());
            }
        }

        RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
        r.gauge("process_start_time_seconds", "When the gateway's process started (Unix time)")
                .add(runtime.getStartTime() / 1000.0);
        r.gauge("jvm_info", "The Java VM, as labels").add(1, "version", runtime.getSpecVersion(),
                "vendor", runtime.getVmVendor(), "runtime", runtime.getVmName());
        r.gauge("jvm_available_processors", "Processors the VM may use")
                .add(Runtime.getRuntime().availableProcessors());
    }

    private static void usage(MemoryUsage u, String area, Registry.Family used, Registry.Family committed,
            Registry.Family max) {
        used.add(u.getUsed(), "area", area);
        committed.add(u.getCommitted(), "area", area);
        max.add(u.getMax(), "area", area);
    }
}
