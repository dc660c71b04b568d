package dev.fleetrun.local.ssm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * One command's rate-controlled dispatch: its deliveries in target order, how many hold a
 * concurrency slot (sent and not finished), how far its ramp-up has come, whether MaxErrors stopped it, the last command status
 * announced, and its delivery and expiry timers. Guarded by the simulated SSM's lock.
 */
final class CommandRun {
    private final SsmCommand command;
    private final List<Delivery> deliveries = new ArrayList<>();
    private final int concurrency;
    private int inFlight;
    private int sent;
    private int queued;
    private int rampLimit = 1;
    private boolean stopped;
    private String lastStatus = "Pending";
    private final List<Future<?>> timers = new ArrayList<>();

    CommandRun(SsmCommand command) {
        this.command = command;
        command.invocations().forEach(invocation -> deliveries.add(new Delivery(this, invocation)));
        this.concurrency = command.rateControl().concurrency(deliveries.size());
    }

    SsmCommand command() {
        return command;
    }

    List<Delivery> deliveries() {
        return deliveries;
    }

    Delivery delivery(String instanceId) {
        return deliveries.stream().filter(d -> d.instanceId().equals(instanceId)).findFirst().orElse(null);
    }

    boolean hasFreeSlot() {
        return inFlight < concurrency;
    }

    void takeSlot() {
        inFlight++;
    }

    void releaseSlot() {
        inFlight--;
    }

    /**
     * SSM's ramp-up: the command goes to one node first, and only once every node it was sent to has
     * acknowledged it (taken it up, or failed to be reached) to two more, then four more, and so on,
     * until MaxConcurrency caps it (shared/reference/ssm-run-command.md §2).
     */
    boolean rampAllows() {
        if (sent >= rampLimit && queued == 0) {
            rampLimit = (int) Math.min(Integer.MAX_VALUE, 2L * rampLimit + 1);
        }
        return sent < rampLimit;
    }

    void markSent() {
        sent++;
    }

    /** Moves a delivery to {@code next}, keeping count of those sent and not acknowledged yet (QUEUED). */
    void move(Delivery delivery, Delivery.Phase next) {
        if (delivery.phase == Delivery.Phase.QUEUED) {
            queued--;
        }
        if (next == Delivery.Phase.QUEUED) {
            queued++;
        }
        delivery.phase = next;
    }

    /** MaxErrors was exceeded: nothing more is sent. */
    boolean stopped() {
        return stopped;
    }

    void stop() {
        stopped = true;
    }

    /**
     * Records the command's status now; true when it differs from the last one recorded (a status
     * change to announce).
     */
    boolean statusChanged(String status) {
        if (status.equals(lastStatus)) {
            return false;
        }
        lastStatus = status;
        return true;
    }

    void addTimer(Future<?> timer) {
        timers.add(timer);
    }

    void cancelTimers() {
        timers.forEach(timer -> timer.cancel(false));
        timers.clear();
    }
}
