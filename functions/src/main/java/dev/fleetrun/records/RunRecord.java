package dev.fleetrun.records;

import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * The run item: the request as received, the plan figures, the status and the counters. The
 * counters are kept by the store ({@link RunStore#recordNodeStatus}); what a caller puts in them
 * when creating a run is replaced by the counts of the nodes it plans.
 *
 * @param runId        the execution name
 * @param requestJson  the run request (version 1) as JSON text
 * @param finishedAt   set with a terminal status, else null
 * @param waveCount    waves of the main phase (wave 0, the skipped nodes, not counted)
 * @param rollbackWaveCount waves of the rollback phase, 0 until a rollback is planned
 * @param targeted     nodes the plan sends to (skipped ones not included): what a percentage maxErrors is of
 * @param concurrency  the most nodes that run the command at once
 * @param allowance    how many main-phase errors the run tolerates (maxErrors as a count)
 * @param mainCounts   main-phase nodes per terminal status
 * @param rollbackCounts rollback-phase nodes per terminal status
 * @param errors       main-phase nodes that count against {@code allowance}
 * @param breachJson   why the run breached (JSON), first breach only, or null
 * @param approvalToken the task token of a pending approval, or null
 * @param summaryJson  the run summary (the execution output) once finished, or null
 * @param leasesUntil  when the run's leases on its nodes end, as last taken or renewed (to the second), or null
 *                     when not recorded: then the next renewal renews them all
 */
public record RunRecord(
        String runId,
        String name,
        RunStatus status,
        String requestJson,
        String documentsJson,
        String executionArn,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt,
        int waveCount,
        int rollbackWaveCount,
        int targeted,
        int concurrency,
        int allowance,
        StatusCounts mainCounts,
        StatusCounts rollbackCounts,
        int errors,
        String breachJson,
        String approvalToken,
        String summaryJson,
        Instant leasesUntil) {

    public RunRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        updatedAt = updatedAt == null ? createdAt : updatedAt;
        mainCounts = mainCounts == null ? StatusCounts.empty() : mainCounts;
        rollbackCounts = rollbackCounts == null ? StatusCounts.empty() : rollbackCounts;
        leasesUntil = leasesUntil == null ? null : leasesUntil.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /** A run as StartRun creates it: RUNNING, no counters, no rollback planned. */
    public static RunRecord started(String runId, String name, String requestJson, String documentsJson,
                                    String executionArn, Instant createdAt, int waveCount, int targeted,
                                    int concurrency, int allowance) {
        return new RunRecord(runId, name, RunStatus.RUNNING, requestJson, documentsJson, executionArn, createdAt, createdAt, null,
                waveCount, 0, targeted, concurrency, allowance, StatusCounts.empty(), StatusCounts.empty(), 0,
                null, null, null, null);
    }

    /** This run with its leases ending at {@code until}. */
    public RunRecord withLeasesUntil(Instant until) {
        return new RunRecord(runId, name, status, requestJson, documentsJson, executionArn, createdAt, updatedAt,
                finishedAt, waveCount, rollbackWaveCount, targeted, concurrency, allowance, mainCounts, rollbackCounts,
                errors, breachJson, approvalToken, summaryJson, until);
    }

    public StatusCounts counts(Phase phase) {
        return phase == Phase.MAIN ? mainCounts : rollbackCounts;
    }

    public int waveCount(Phase phase) {
        return phase == Phase.MAIN ? waveCount : rollbackWaveCount;
    }
}
