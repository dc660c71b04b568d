package dev.fleetrun.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of this process and of the child processes it has waited for (the nodes' bash scripts), so
 * that a scenario's wall time can be set against how busy the machine's cores were. Read from
 * {@code /proc/self/stat} on Linux (clock ticks of 10 ms); elsewhere the JVM's own time only.
 *
 * @param selfSeconds       user + system time of this JVM
 * @param selfSystemSeconds the system (kernel) part of it, or 0 where unknown
 * @param childrenSeconds   user + system time of the reaped child processes, or 0 where unknown
 */
record CpuTime(double selfSeconds, double selfSystemSeconds, double childrenSeconds) {
    private static final double TICKS_PER_SECOND = 100.0;

    static CpuTime now() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
            double self = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
            double system = Long.parseLong(f[12]) / TICKS_PER_SECOND;
            double children = (Long.parseLong(f[13]) + Long.parseLong(f[14])) / TICKS_PER_SECOND;
            return new CpuTime(self, system, children);
        } catch (IOException | RuntimeException e) {
            var os = ManagementFactory.getOperatingSystemMXBean();
            long nanos = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
            return new CpuTime(nanos / 1e9, 0, 0);
        }
    }

    CpuTime minus(CpuTime earlier) {
        return new CpuTime(selfSeconds - earlier.selfSeconds, selfSystemSeconds - earlier.selfSystemSeconds,
                childrenSeconds - earlier.childrenSeconds);
    }
}
