package dev.fleetrun.local.sfn.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.errors.AslError;
import dev.fleetrun.local.sfn.errors.ExecutionCancelled;
import dev.fleetrun.local.sfn.time.Signal;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the branches of a Parallel state or the iterations of a Map state concurrently, at most
 * {@code maxConcurrency} at a time, each in a child branch with its own cancellation scope and variables.
 * When more jobs fail than tolerated, the others are cancelled (their states record Aborted events) and the
 * state waits for them to stop before it reports the failure.
 */
public final class Fanout {

    /** One branch or iteration. */
    @FunctionalInterface
    public interface Job {
        /** Runs job {@code index} in {@code branch}; an {@link AslError} is its failure. */
        JsonNode run(int index, BranchContext branch);
    }

    /**
     * What the jobs did.
     *
     * @param outputs  each job's output ({@code null} for a job that failed or did not run)
     * @param errors   each job's error ({@code null} for a job that did not fail)
     * @param failures how many jobs failed
     * @param fatal    the failure that went past the tolerance, or {@code null}
     */
    public record Result(JsonNode[] outputs, AslError[] errors, int failures, AslError fatal) {
    }

    private Fanout() {
    }

    /** The state itself was cancelled: its workers are being cancelled too; let them record their aborts first. */
    private static void awaitWorkersAfterCancel(StateContext context, Signal changed, AtomicInteger workersLeft) {
        while (workersLeft.get() > 0) {
            try {
                context.clock().await(changed, null);
            } catch (InterruptedException again) {
                // already cancelled; keep waiting for the workers to stop
            }
        }
        Thread.currentThread().interrupt();
    }

    /**
     * Runs {@code count} jobs.
     *
     * @param maxConcurrency at most this many at once; 0 for no limit
     * @param tolerated      how many failures are tolerated before the rest are cancelled
     */
    public static Result run(StateContext context, String name, int count, int maxConcurrency, int tolerated, Job job) {
        JsonNode[] outputs = new JsonNode[count];
        AslError[] errors = new AslError[count];
        if (count == 0) {
            return new Result(outputs, errors, 0, null);
        }
        BranchContext parent = context.branch();
        CancellationScope scope = parent.scope().child();
        Signal changed = context.clock().newSignal();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger workersLeft = new AtomicInteger();
        AslError[] fatal = new AslError[1];
        long fromEventId = parent.lastEventId();
        int workers = maxConcurrency <= 0 ? count : Math.min(maxConcurrency, count);
        workersLeft.set(workers);
        for (int w = 0; w < workers; w++) {
            context.clock().start(name + "-worker-" + w, () -> {
                scope.enter();
                try {
                    while (!scope.isCancelled()) {
                        int index = next.getAndIncrement();
                        if (index >= count) {
                            break;
                        }
                        JsonNode kept = parent.journal().succeededBefore(index);
                        if (kept != null) {
                            // Redriven: this branch or iteration succeeded before and is not run again.
                            outputs[index] = kept;
                            parent.journal().succeeded(index, kept);
                            continue;
                        }
                        BranchContext branch = parent.child(scope, fromEventId, index);
                        try {
                            outputs[index] = job.run(index, branch);
                            parent.journal().succeeded(index, outputs[index]);
                        } catch (AslError error) {
                            errors[index] = error;
                            if (failures.incrementAndGet() > tolerated) {
                                synchronized (fatal) {
                                    if (fatal[0] == null) {
                                        fatal[0] = error;
                                    }
                                }
                                scope.cancel("a sibling branch failed with " + error.name());
                            }
                        } catch (ExecutionCancelled cancelled) {
                            Thread.interrupted();
                            break;
                        }
                    }
                } finally {
                    scope.leave();
                    Thread.interrupted();
                    workersLeft.decrementAndGet();
                    changed.fire();
                }
            });
        }
        try {
            while (workersLeft.get() > 0) {
                context.await(changed, null);
            }
        } catch (ExecutionCancelled cancelled) {
            awaitWorkersAfterCancel(context, changed, workersLeft);
            throw cancelled;
        }
        scope.detach();
        synchronized (fatal) {
            return new Result(outputs, errors, failures.get(), fatal[0]);
        }
    }
}
