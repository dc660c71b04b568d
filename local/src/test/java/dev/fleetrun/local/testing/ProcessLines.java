package dev.fleetrun.local.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;

/** The lines a process prints on standard output, as they come, for a test that waits for one (a ready line). */
public final class ProcessLines {
    private ProcessLines() {
    }

    /** A queue that a virtual thread fills with each line of {@code process}'s standard output until it ends. */
    public static LinkedBlockingQueue<String> of(Process process) {
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                reader.lines().forEach(lines::add);
            } catch (IOException e) {
                // the process ended
            }
        });
        return lines;
    }
}
