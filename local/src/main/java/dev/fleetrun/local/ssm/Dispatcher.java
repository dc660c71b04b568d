package dev.fleetrun.local.ssm;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Moves the simulated commands through their lives, as SSM's service side does, and announces every
 * change as the EventBridge event SSM would emit. Every method expects the simulated SSM's lock held.
 *
 * <ul>
 *   <li><b>Rate control</b>: a command's invocations are sent in target order, at most
 *       MaxConcurrency at a time (a slot is held from the send until the invocation is terminal),
 *       after a ramp-up: one node first, two more once it acknowledged, then four, ...
 *       ({@link CommandRun#rampAllows}); an invocation waits, Pending, while its node is unreachable,
 *       without holding a slot. A node whose platform the document does not run on fails at once
 *       (InvalidPlatform), one the caller may not use too (AccessDenied).</li>
 *   <li><b>Delivery attempts</b>: a send to a node that does not answer (a delayed or undeliverable
 *       profile) leaves the invocation Delayed, holding its slot; SSM tries again every
 *       {@link #DELIVERY_RETRY} (simulated), and after {@link #DELIVERY_ATTEMPTS} failed attempts the
 *       invocation ends Undeliverable (Failed, ResponseCode -1; not an error for MaxErrors). AWS does
 *       not document its retry schedule; this one is the simulation's.</li>
 *   <li><b>MaxErrors</b>: when the errors (Failed, ExecutionTimedOut) exceed it, nothing more is
 *       sent and the invocations not sent yet end Terminated; the ones in flight finish.</li>
 *   <li><b>Delivery timeout</b>: at RequestedDateTime + TimeoutSeconds, invocations that have not
 *       started end DeliveryTimedOut (TimedOut, ResponseCode -1). At ExpiresAfter (+ the execution
 *       timeout) whatever is still not terminal (a node that went offline mid-run, or reboots for
 *       ever) ends DeliveryTimedOut too.</li>
 *   <li><b>Cancel</b>: invocations not started end Cancelled at once; running ones are killed and
 *       end Cancelled (Cancelling meanwhile); terminal ones keep their status.</li>
 *   <li><b>Events</b>: an invocation event when an invocation starts (InProgress) and when it ends;
 *       a command event whenever the command's status changes to InProgress or a terminal one
 *       (Pending and Cancelling are not announced, as SNS does not announce them either).</li>
 * </ul>
 */
final class Dispatcher {
    private static final Set<String> ANNOUNCED = Set.of("InProgress", "Success", "Failed", "TimedOut", "Cancelled");
    /** How long SSM waits before it tries again to deliver to a node that did not answer (simulated time). */
    static final Duration DELIVERY_RETRY = Duration.ofSeconds(30);
    /** How many failed delivery attempts make an invocation Undeliverable. */
    static final int DELIVERY_ATTEMPTS = 3;

    private final Object lock;
    private final SsmTime time;
    private final SsmEvents events;
    private final EventOutbox outbox;
    private final Map<String, NodeAgent> agents;
    private final Map<String, CommandRun> runs = new LinkedHashMap<>();
    private final ScheduledThreadPoolExecutor timers;
    private boolean closed;

    /** @param agents the fleet's agents by node id, shared with (and filled by) the simulated SSM */
    Dispatcher(Object lock, SsmTime time, SsmEvents events, EventOutbox outbox, Map<String, NodeAgent> agents) {
        this.lock = lock;
        this.time = time;
        this.events = events;
        this.outbox = outbox;
        this.agents = agents;
        this.timers = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "ssm-timers");
            thread.setDaemon(true);
            return thread;
        });
        timers.setRemoveOnCancelPolicy(true);
    }

    /** Takes a command SendCommand just accepted and starts sending it. */
    void start(SsmCommand command) {
        CommandRun run = new CommandRun(command);
        runs.put(command.commandId(), run);
        if (run.deliveries().isEmpty()) {
            announce(run);
            return;
        }
        schedule(run, command.requestedAt().plusSeconds(command.timeoutSeconds()), () -> deliveryTimeout(run));
        schedule(run, command.expiresAfter(), () -> expire(run));
        dispatch(run);
    }

    /** Sends what the command's rate control and its nodes' reachability allow now. */
    void dispatch(CommandRun run) {
        if (run.stopped()) {
            return;
        }
        for (Delivery delivery : run.deliveries()) {
            if (delivery.phase != Delivery.Phase.WAITING) {
                continue;
            }
            NodeAgent agent = agents.get(delivery.instanceId());
            String denied = agent.accessDenied();
            String unsupported = agent.cannotRun(run.command().document());
            if (denied != null) {
                finish(delivery, InvocationOutcome.accessDenied(denied));
            } else if (unsupported != null) {
                finish(delivery, InvocationOutcome.invalidPlatform(unsupported));
            } else if (run.hasFreeSlot() && agent.reachable() && run.rampAllows()) {
                run.takeSlot();
                run.markSent();
                attempt(delivery, agent);
            }
        }
    }

    /** One attempt to deliver to the node: it takes the invocation, or the attempt fails (Delayed, or Undeliverable). */
    private void attempt(Delivery delivery, NodeAgent agent) {
        if (!agent.failsDelivery()) {
            delivery.run.move(delivery, Delivery.Phase.QUEUED);
            agent.enqueue(delivery);
            return;
        }
        delivery.failedAttempts++;
        delivery.run.move(delivery, Delivery.Phase.DELAYED); // it holds the slot it was sent with
        if (delivery.failedAttempts >= DELIVERY_ATTEMPTS) {
            finish(delivery, InvocationOutcome.undeliverable());
            return;
        }
        delivery.invocation.apply(InvocationOutcome.delayed(), time.now());
        CommandRun run = delivery.run;
        schedule(run, time.now().plus(DELIVERY_RETRY), () -> {
            if (delivery.phase == Delivery.Phase.DELAYED) {
                attempt(delivery, agents.get(delivery.instanceId()));
                announce(run);
            }
        });
        announce(run);
    }

    /** Sends what can be sent now for every command (a node became reachable). */
    void dispatchAll() {
        for (CommandRun run : runs.values()) {
            if (!run.command().rollup().terminal()) {
                dispatch(run);
            }
        }
    }

    /** The node took the delivery up: InProgress. */
    void started(Delivery delivery) {
        delivery.run.move(delivery, Delivery.Phase.STARTED);
        if (!"InProgress".equals(delivery.invocation.status())) {
            delivery.invocation.apply(InvocationOutcome.inProgress(), time.now());
            outbox.emit(events.invocationEvent(delivery.run.command(), delivery.invocation, time.now()));
            announce(delivery.run);
        }
        dispatch(delivery.run);
    }

    /** Ends a delivery with a terminal outcome (nothing happens if it already ended). */
    void finish(Delivery delivery, InvocationOutcome outcome) {
        if (delivery.done()) {
            return;
        }
        CommandRun run = delivery.run;
        boolean heldSlot = delivery.phase == Delivery.Phase.QUEUED || delivery.phase == Delivery.Phase.DELAYED
                || delivery.phase == Delivery.Phase.STARTED;
        if (delivery.phase == Delivery.Phase.QUEUED) {
            agents.get(delivery.instanceId()).dequeue(delivery);
        }
        run.move(delivery, Delivery.Phase.DONE);
        delivery.invocation.apply(outcome, time.now());
        outbox.emit(events.invocationEvent(run.command(), delivery.invocation, time.now()));
        if (heldSlot) {
            run.releaseSlot();
        }
        if (!run.stopped() && CommandRollup.isError(delivery.invocation)
                && run.command().rateControl().exceeded(run.command().rollup().errorCount(), run.deliveries().size())) {
            run.stop();
            for (Delivery other : run.deliveries()) {
                if (other.phase == Delivery.Phase.WAITING) {
                    finish(other, InvocationOutcome.terminated());
                }
            }
        }
        announce(run);
        if (heldSlot) {
            dispatch(run);
        }
        if (run.command().rollup().terminal()) {
            run.cancelTimers();
        }
        lock.notifyAll();
    }

    /** CancelCommand on these nodes of the command. */
    void cancel(SsmQueries.CancelRequest request) {
        request.command().requestCancel();
        CommandRun run = runs.get(request.command().commandId());
        for (String instanceId : request.instanceIds()) {
            Delivery delivery = run.delivery(instanceId);
            switch (delivery.phase) {
                case WAITING, QUEUED, DELAYED -> finish(delivery, InvocationOutcome.cancelled());
                case STARTED -> {
                    if (!delivery.cancelRequested) {
                        delivery.cancelRequested = true;
                        delivery.invocation.apply(
                                new InvocationOutcome("Cancelling", "Cancelling", -1, "", ""), time.now());
                        if (delivery.process != null) {
                            delivery.process.kill();
                        }
                    }
                }
                case DONE -> { }
            }
        }
        announce(run);
        lock.notifyAll();
    }

    /** Waits until the command is terminal; its final status, or null when {@code timeout} passed first. */
    CommandRollup awaitTerminal(String commandId, Duration timeout) throws InterruptedException {
        CommandRun run = runs.get(commandId);
        if (run == null) {
            throw new IllegalArgumentException("no command " + commandId + " was sent to the simulated SSM; sent: "
                    + runs.keySet());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!run.command().rollup().terminal()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            lock.wait(Math.max(1, left / 1_000_000));
        }
        return run.command().rollup();
    }

    boolean closed() {
        return closed;
    }

    /** Stops the timers and kills every script still running; the agents' workers end. */
    void close() {
        closed = true;
        timers.shutdownNow();
        for (CommandRun run : runs.values()) {
            for (Delivery delivery : run.deliveries()) {
                if (delivery.process != null) {
                    delivery.process.kill();
                }
            }
        }
        lock.notifyAll();
    }

    private void deliveryTimeout(CommandRun run) {
        for (Delivery delivery : run.deliveries()) {
            if (delivery.phase == Delivery.Phase.WAITING || delivery.phase == Delivery.Phase.QUEUED
                    || delivery.phase == Delivery.Phase.DELAYED) {
                finish(delivery, InvocationOutcome.deliveryTimedOut());
            }
        }
    }

    private void expire(CommandRun run) {
        for (Delivery delivery : run.deliveries()) {
            if (!delivery.done()) {
                if (delivery.process != null) {
                    delivery.process.kill();
                }
                finish(delivery, InvocationOutcome.deliveryTimedOut());
            }
        }
    }

    private void announce(CommandRun run) {
        String status = run.command().rollup().status();
        if (run.statusChanged(status) && ANNOUNCED.contains(status)) {
            outbox.emit(events.commandEvent(run.command(), time.now()));
        }
    }

    private void schedule(CommandRun run, Instant at, Runnable action) {
        run.addTimer(timers.schedule(() -> {
            synchronized (lock) {
                if (!closed) {
                    action.run();
                }
            }
        }, time.realNanosUntil(at), TimeUnit.NANOSECONDS));
    }
}
