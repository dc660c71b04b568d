package dev.fleetrun.local.lambda;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One function's execution environments, as Lambda keeps them: at most {@code max} handle events at once
 * (the function's reserved concurrency), each takes one event after another and stays warm in between
 * (its thread, with what the JDK and the SDK keep per thread: MAC and digest instances, buffers), and one
 * left idle for a minute goes away. Work beyond {@code max} waits its turn, as Lambda queues throttled
 * asynchronous events. The handler object itself is shared by all environments, so what it caches is
 * shared too (and must be thread-safe), unlike Lambda's one copy per environment.
 *
 * <p>The work must not wait on the engine's clock: a {@code VirtualClock} counts the callers waiting here as
 * busy, not the environments' threads, so it would never move on.
 */
final class ExecutionEnvironments {
    static final long IDLE_SECONDS = 60;

    private final ThreadPoolExecutor pool;
    private final int max;

    ExecutionEnvironments(String function, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("function " + function + " needs at least 1 execution environment, was "
                    + max);
        }
        this.max = max;
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(max, max, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, "lambda-" + function + "-env-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    int max() {
        return max;
    }

    /** Takes no more work; what is queued or running still runs, then the threads end. */
    void retire() {
        pool.shutdown();
    }

    /** Cancels the work still queued (its callers get a CancellationException) and interrupts what runs. */
    void stop() {
        for (Runnable queued : pool.shutdownNow()) {
            if (queued instanceof Future<?> future) {
                future.cancel(false);
            }
        }
    }

    /** Runs {@code work} in a free environment once there is one and returns what it returned or threw. */
    <T> T run(Supplier<T> work) throws InterruptedException {
        Future<T> result = pool.submit(work::get);
        try {
            return result.get();
        } catch (InterruptedException e) {
            result.cancel(true); // a queued event does not run after its caller gave up; a running one is interrupted
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
