package dev.fleetrun.records;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Makes independent DynamoDB calls side by side, at most {@value #WIDTH} at once: a run's leases and plan
 * for 1,000 nodes are 10 transactions and 40 batch writes, each waiting mostly on the network, so one after
 * another they would take as many round trips. The calls must not depend on each other; each still retries
 * on its own. Platform threads, kept for the life of the process (a Lambda's execution environment): the
 * SDK's HTTP client blocks inside synchronized code, which would pin Java 21's virtual threads.
 */
final class SideBySide {
    static final int WIDTH = 4;

    private static final ExecutorService CALLERS = Executors.newFixedThreadPool(WIDTH, runnable -> {
        Thread thread = new Thread(runnable, "fleetrun-dynamodb");
        thread.setDaemon(true);
        return thread;
    });

    private SideBySide() {
    }

    /**
     * {@code call} applied to each input, side by side; the results in input order. Every call runs to its end
     * even when another fails; then the first failure (in input order) is thrown.
     */
    static <T, R> List<R> map(List<T> inputs, Function<T, R> call) {
        if (inputs.size() <= 1) {
            return inputs.stream().map(call).toList();
        }
        List<Future<R>> pending = new ArrayList<>();
        for (T input : inputs) {
            pending.add(CALLERS.submit(() -> call.apply(input)));
        }
        List<R> results = new ArrayList<>();
        RuntimeException failure = null;
        for (Future<R> future : pending) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                results.add(null);
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException runtime ? runtime
                            : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pending.forEach(f -> f.cancel(true));
                throw new IllegalStateException("interrupted while writing to DynamoDB", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }

    /** {@code list} in consecutive pieces of at most {@code size}. */
    static <T> List<List<T>> chunks(List<T> list, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < list.size(); from += size) {
            chunks.add(list.subList(from, Math.min(list.size(), from + size)));
        }
        return chunks;
    }
}
