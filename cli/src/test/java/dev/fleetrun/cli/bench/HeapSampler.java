package dev.fleetrun.cli.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Peak heap of the whole process (runtime, handlers, DynamoDB Local's Java side) while one scenario runs:
 * the used heap sampled every 10 ms, and, as a check, the sum of the heap pools' own peaks (an upper bound,
 * since the pools need not peak together). Starting one collects garbage first and resets the pools' peaks,
 * so what an earlier scenario left behind is not counted.
 */
final class HeapSampler implements AutoCloseable {
    private static final long SAMPLE_MILLIS = 10;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final long gcMillisAtStart;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakUsed;

    private HeapSampler() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        gcMillisAtStart = gcMillis();
        peakUsed = memory.getHeapMemoryUsage().getUsed();
        thread = Thread.ofPlatform().daemon().name("heap-sampler").start(this::sample);
    }

    static HeapSampler start() {
        return new HeapSampler();
    }

    private void sample() {
        while (running) {
            long used = memory.getHeapMemoryUsage().getUsed();
            if (used > peakUsed) {
                peakUsed = used;
            }
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The figures since {@link #start()}. */
    Figures figures() {
        long poolPeaks = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.getPeakUsage() != null)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return new Figures(peakUsed, poolPeaks, Runtime.getRuntime().maxMemory(), gcMillis() - gcMillisAtStart);
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }

    /**
     * @param sampledPeak  the largest used heap seen by the sampler
     * @param poolPeakSum  the sum of the heap pools' peaks (an upper bound of the true peak)
     * @param maxHeap      the JVM's maximum heap (-Xmx)
     * @param gcMillis     time spent collecting garbage meanwhile
     */
    record Figures(long sampledPeak, long poolPeakSum, long maxHeap, long gcMillis) {
    }
}
