package dev.fleetrun.local.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hands the SSM events to the sink one at a time, in the order they were emitted, on a thread of its
 * own. The simulation emits while holding its lock; delivering from here means a sink that reacts by
 * calling SSM back (an EventBridge rule invoking a Lambda that calls GetCommandInvocation) never
 * deadlocks with it. A sink that throws does not stop the others: the failure is kept
 * ({@link #failures()}) and the next event is delivered.
 */
final class EventOutbox implements AutoCloseable {
    private final Consumer<JsonNode> sink;
    private final Deque<JsonNode> queue = new ArrayDeque<>();
    private final List<RuntimeException> failures = new ArrayList<>();
    private Thread worker;
    private boolean delivering;
    private boolean closed;

    EventOutbox(Consumer<JsonNode> sink) {
        this.sink = sink;
    }

    synchronized void emit(JsonNode event) {
        if (closed) {
            return;
        }
        queue.add(event);
        if (worker == null) {
            worker = Thread.ofVirtual().name("ssm-events").start(this::deliver);
        }
        notifyAll();
    }

    /** Waits until every event emitted so far was handed to the sink; false if {@code timeout} passed first. */
    synchronized boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!queue.isEmpty() || delivering) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(left / 1_000_000, (int) (left % 1_000_000));
        }
        return true;
    }

    /** What the sink threw, in order. */
    synchronized List<RuntimeException> failures() {
        return List.copyOf(failures);
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    private void deliver() {
        while (true) {
            JsonNode event;
            synchronized (this) {
                delivering = false;
                notifyAll();
                while (queue.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (queue.isEmpty()) {
                    worker = null;
                    return;
                }
                event = queue.poll();
                delivering = true;
            }
            try {
                sink.accept(event);
            } catch (RuntimeException e) {
                synchronized (this) {
                    failures.add(e);
                }
            }
        }
    }
}
