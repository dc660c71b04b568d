package dev.fleetrun.records;

import dev.fleetrun.domain.Phase;
import java.time.Instant;
import java.util.Objects;

/**
 * A wave item: its size, how many of its nodes reached a terminal status ({@code done}) and with
 * which status, and the task token the workflow waits on.
 *
 * @param wave           numbered from 1 within its phase
 * @param size           nodes in the wave
 * @param done           nodes of the wave with a terminal status
 * @param counts         those nodes per terminal status
 * @param taskToken      the token of the current wait, or null before the wave is sent
 * @param completedToken the token that was completed (claimed) last, or null
 * @param sentAt         when the first token was registered, or null
 * @param deadline       epoch seconds after which the wait is reconciled by polling; 0 when not sent
 * @param concurrency    the most nodes of the wave that run at once (SSM MaxConcurrency)
 * @param batchCount     SendCommand calls the wave takes (at most 50 nodes each); under a strict error budget, the
 *                       calls of the rounds sent so far
 * @param dispatched     nodes of the wave in its batches: all of them ({@code size}) when the wave's batches are
 *                       planned at the start; under a strict error budget, the nodes of the rounds sent so far
 *                       (see {@link dev.fleetrun.domain.BudgetMode#STRICT}). The current wait is over when
 *                       {@code done} reaches it.
 */
public record WaveRecord(
        Phase phase,
        int wave,
        int size,
        int done,
        StatusCounts counts,
        String taskToken,
        String completedToken,
        WaveStatus status,
        Instant sentAt,
        long deadline,
        int concurrency,
        int batchCount,
        int dispatched) {

    public WaveRecord {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(status, "status");
        counts = counts == null ? StatusCounts.empty() : counts;
    }

    /** A wave as planned, its batches with it: nothing sent, nothing done. */
    public static WaveRecord planned(Phase phase, int wave, int size, int concurrency, int batchCount) {
        return new WaveRecord(phase, wave, size, 0, StatusCounts.empty(), null, null, WaveStatus.PLANNED,
                null, 0, concurrency, batchCount, size);
    }

    /**
     * A wave sent in rounds under a strict error budget: planned without batches, each round's batches added when
     * the round is sent.
     */
    public static WaveRecord plannedInRounds(Phase phase, int wave, int size, int concurrency) {
        return new WaveRecord(phase, wave, size, 0, StatusCounts.empty(), null, null, WaveStatus.PLANNED,
                null, 0, concurrency, 0, 0);
    }

    /** Every node dispatched so far (the current round, or the whole wave) has a terminal status. */
    public boolean roundDone() {
        return dispatched > 0 && done >= dispatched;
    }

    /** Every node of the wave has a terminal status. */
    public boolean complete() {
        return done >= size;
    }
}
