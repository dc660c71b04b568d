package dev.fleetrun.local.sfn.time;

import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Simulated time for tests: it stands still while any engine thread is busy, and when every engine thread
 * is waiting it jumps to the earliest deadline among them. A Wait of a day, a retry back-off or a heartbeat
 * timeout therefore costs no real time, happens in a repeatable order, and the history still shows the
 * simulated timestamps.
 *
 * <p>A thread outside the engine (a test that wants to answer a task token before its timeout) can stop time
 * from moving with {@link #hold()}, and find out with {@link #awaitIdle()} when every engine thread is
 * waiting.
 */
public final class VirtualClock extends EngineClock {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Waiter> sleepers = new PriorityQueue<>();
    private final java.util.Map<Thread, Waiter> waiting = new java.util.HashMap<>();
    private Instant now;
    private int busy;
    private int holds;
    private long sequence;

    /** A clock that starts at {@code start}. */
    public VirtualClock(Instant start) {
        this.now = start;
    }

    /** A clock that starts at 2024-01-01T00:00:00Z. */
    public VirtualClock() {
        this(Instant.parse("2024-01-01T00:00:00Z"));
    }

    @Override
    public Instant now() {
        lock.lock();
        try {
            return now;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Thread start(String name, Runnable body) {
        lock.lock();
        try {
            busy++;
        } finally {
            lock.unlock();
        }
        try {
            return Thread.ofVirtual().name(name).start(() -> {
                try {
                    body.run();
                } finally {
                    lock.lock();
                    try {
                        busy--;
                        changed.signalAll();
                        advanceIfIdle();
                    } finally {
                        lock.unlock();
                    }
                }
            });
        } catch (RuntimeException | Error e) {
            lock.lock();
            try {
                busy--;
                advanceIfIdle();
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    @Override
    public boolean await(Signal signal, Instant deadline) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            if (signal.fired) {
                signal.fired = false;
                return true;
            }
            if (deadline != null && !deadline.isAfter(now)) {
                return false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            Waiter waiter = new Waiter(signal, deadline, sequence++);
            signal.waiter = waiter;
            waiting.put(Thread.currentThread(), waiter);
            if (deadline != null) {
                sleepers.add(waiter);
            }
            busy--;
            changed.signalAll();
            advanceIfIdle();
            try {
                while (!waiter.woken) {
                    changed.await();
                }
                if (waiter.interrupted) {
                    Thread.interrupted();
                    throw new InterruptedException();
                }
            } catch (InterruptedException e) {
                if (!waiter.woken) {
                    waiter.woken = true;
                    sleepers.remove(waiter);
                    busy++;
                }
                throw e;
            } finally {
                signal.waiter = null;
                waiting.remove(Thread.currentThread());
            }
            if (waiter.signalled) {
                signal.fired = false;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    void fire(Signal signal) {
        lock.lock();
        try {
            signal.fired = true;
            if (signal.waiter instanceof Waiter waiter && !waiter.woken) {
                waiter.woken = true;
                waiter.signalled = true;
                sleepers.remove(waiter);
                busy++;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void interrupt(Thread thread) {
        lock.lock();
        try {
            Waiter waiter = waiting.get(thread);
            if (waiter != null && !waiter.woken) {
                waiter.woken = true;
                waiter.interrupted = true;
                sleepers.remove(waiter);
                busy++;
                changed.signalAll();
            }
            thread.interrupt();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops time from moving until the returned hold is closed, so that a test can act (answer a task token,
     * stop an execution) before any deadline passes.
     */
    public Hold hold() {
        lock.lock();
        try {
            holds++;
        } finally {
            lock.unlock();
        }
        return () -> {
            lock.lock();
            try {
                holds--;
                advanceIfIdle();
            } finally {
                lock.unlock();
            }
        };
    }

    /**
     * Blocks the calling thread (which must not be an engine thread) until every engine thread is waiting:
     * with time held, everything that can happen before the next deadline has happened.
     */
    public void awaitIdle() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (busy > 0) {
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Moves time forward by hand (while held, for instance); waiters whose deadline passes wake up. */
    public void advanceTo(Instant target) {
        lock.lock();
        try {
            if (target.isAfter(now)) {
                now = target;
            }
            while (!sleepers.isEmpty() && !sleepers.peek().deadline.isAfter(now)) {
                wake(sleepers.poll());
            }
        } finally {
            lock.unlock();
        }
    }

    private void advanceIfIdle() {
        if (busy == 0 && holds == 0 && !sleepers.isEmpty()) {
            Waiter next = sleepers.poll();
            if (next.deadline.isAfter(now)) {
                now = next.deadline;
            }
            wake(next);
        }
    }

    private void wake(Waiter waiter) {
        waiter.woken = true;
        busy++;
        changed.signalAll();
    }

    /** A hold on a {@link VirtualClock}: time moves again when it is closed. */
    @FunctionalInterface
    public interface Hold extends AutoCloseable {
        @Override
        void close();
    }

    private static final class Waiter implements Comparable<Waiter> {
        final Signal signal;
        final Instant deadline;
        final long order;
        boolean woken;
        boolean signalled;
        boolean interrupted;

        Waiter(Signal signal, Instant deadline, long order) {
            this.signal = signal;
            this.deadline = deadline;
            this.order = order;
        }

        @Override
        public int compareTo(Waiter other) {
            int byDeadline = deadline.compareTo(other.deadline);
            return byDeadline != 0 ? byDeadline : Long.compare(order, other.order);
        }
    }
}
