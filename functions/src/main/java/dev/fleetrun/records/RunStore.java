package dev.fleetrun.records;

import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where fleetrun keeps its runs, waves, batches, nodes, commands and leases: the port the
 * handlers use. Every write is safe to repeat (Lambda retries, repeated and late SSM events), and
 * a node's status only moves forward. {@link DynamoRunStore} is the DynamoDB adapter.
 */
public interface RunStore {

    // ---- runs -------------------------------------------------------------------------------

    /**
     * Writes a new run with its plan: the waves, batches and nodes of the main phase (and the
     * skipped nodes, wave 0). Safe to retry: if the run already exists (a retried StartRun), nothing
     * is written and the answer is false. The run's and the waves' counters are computed from the
     * nodes' statuses.
     *
     * @return true if this call created the run
     * @throws IllegalArgumentException if the plan does not add up (a wave's size is not its number
     *                                  of nodes, a node names a wave that is not planned, ...)
     * @throws IllegalStateException    if the run id exists for another execution
     */
    boolean createRun(RunRecord run, List<WaveRecord> waves, List<BatchRecord> batches, List<NodeRecord> nodes);

    /**
     * Adds the rollback phase's plan to a run (its waves, batches and PLANNED nodes) and records its
     * wave count. Call it before any rollback wave is sent; repeating it before then is harmless.
     */
    void planRollback(String runId, List<WaveRecord> waves, List<BatchRecord> batches, List<NodeRecord> nodes);

    Optional<RunRecord> getRun(String runId);

    /** The run's status alone, read consistently: cheap enough to check before every SendCommand. */
    Optional<RunStatus> runStatus(String runId);

    /** The run with all its waves, batches and nodes, from one (paginated) query; empty if no such run. */
    Optional<RunView> loadRun(String runId);

    /** The latest runs, newest first. */
    List<RunRecord> recentRuns(int limit);

    /** One node's records across runs, newest run first (a run's rollback before its main phase). */
    List<NodeRecord> nodeHistory(String instanceId, int limit);

    /** The batches of one wave, by batch number. */
    List<BatchRecord> batches(String runId, Phase phase, int wave);

    /** The nodes of one wave, by instance id. */
    List<NodeRecord> nodes(String runId, Phase phase, int wave);

    /**
     * The records of some nodes of one wave, read consistently in one call per 100 nodes, in no particular
     * order; a node the wave does not have is left out.
     */
    List<NodeRecord> nodes(String runId, Phase phase, int wave, Collection<String> instanceIds);

    /** The nodes of one phase, by wave then instance id. */
    List<NodeRecord> nodes(String runId, Phase phase);

    /**
     * Moves a non-terminal run from {@code from} to {@code to}.
     *
     * @return false (and nothing written) when the run's status is not {@code from}, or {@code from}
     *         is terminal: a final status never changes
     */
    boolean updateRunStatus(String runId, RunStatus from, RunStatus to);

    /** Pause, promote and the approval gate's answers, kept on the run item (see {@link RunControls}). */
    RunControls controls();

    /** Records the task token of a pending approval; null clears it. */
    void setApprovalToken(String runId, String approvalToken);

    /**
     * Records why the run breached. Only the first breach is kept.
     *
     * @return true if this call recorded it
     */
    boolean setBreach(String runId, String breachJson);

    /**
     * Gives a running run its final status and summary and clears any approval token.
     *
     * @return false (and nothing written) if the run already has a final status
     */
    boolean finishRun(String runId, RunStatus status, String summaryJson);

    /**
     * Resume: a run that ended FAILED on a workflow error goes back to RUNNING for redrive number
     * {@code redriveCount} of its execution (its final date and summary cleared, its leases to be taken again
     * by the next SendWave), once per redrive.
     *
     * @return false (and nothing written) if the run is not FAILED or this redrive (or a later one) reopened it
     */
    boolean reopenRun(String runId, int redriveCount);

    /** How many times the run was resumed (the redrive count of its execution when it last was), 0 if never. */
    int redriveCount(String runId);

    // ---- leases -----------------------------------------------------------------------------

    /**
     * Takes a lease on every node until {@code until}, or on none. A lease is free when there is
     * none, when it expired, or when this run holds it (then it is renewed). If another run holds
     * any of the nodes, the leases this call took are released and the conflicts are returned:
     * afterwards the run holds none of these nodes, not even one it held before the call.
     */
    LeaseResult acquireLeases(String runId, String executionArn, Collection<String> instanceIds, Instant until);

    /**
     * Records on the run when its leases end (after they were taken or renewed until then), so that a wave
     * need not renew leases that have long to run. Only moves forward: an earlier time changes nothing.
     */
    void recordLeasesUntil(String runId, Instant until);

    /**
     * Extends this run's leases to {@code until} (taking back any that expired and are free). Leases
     * that another run took meanwhile are returned as conflicts; the others are renewed regardless.
     */
    LeaseResult renewLeases(String runId, String executionArn, Collection<String> instanceIds, Instant until);

    /** Deletes the leases this run holds on these nodes; leases held by other runs are left alone. */
    void releaseLeases(String runId, Collection<String> instanceIds);

    /**
     * Deletes every lease this run holds, without knowing its nodes: for a run whose StartRun was killed after
     * taking its leases and before writing its record. Leases are found through an eventually consistent index, so
     * one taken a moment ago may be missed; leases held by other runs are left alone.
     *
     * @return how many leases were found for the run
     */
    int releaseRunLeases(String runId);

    /** Who holds a node, if anyone (an expired lease holds nothing). */
    Optional<Lease> leaseHolder(String instanceId);

    // ---- batches and commands ---------------------------------------------------------------

    /**
     * Claims a batch for one SendWave attempt before it calls SendCommand.
     *
     * @throws IllegalStateException if the batch was never planned
     */
    BatchClaim claimBatch(String runId, Phase phase, int wave, int batch, String attemptId);

    /**
     * Records that SendCommand returned for a batch, in one transaction: the batch gets the command
     * id, and the command item (command id to run, wave, batch and token) is written. The batch's nodes
     * are left as they are: one still PLANNED reads as SENT in {@link #loadRun}. Repeating it is harmless.
     *
     * @throws IllegalStateException if another attempt holds the claim or another command is recorded
     */
    void recordBatchSent(CommandRecord command, String attemptId);

    /**
     * Adds the next round of a wave sent under a strict error budget: its batches, numbered after the wave's
     * others, and the wave's count of dispatched nodes, in one transaction, provided the wave still has
     * {@code dispatchedBefore} nodes dispatched.
     *
     * @return false (nothing written) when another attempt added a round first
     */
    boolean addRound(String runId, Phase phase, int wave, int dispatchedBefore, List<BatchRecord> round);

    Optional<CommandRecord> findCommand(String commandId);

    // ---- waves ------------------------------------------------------------------------------

    /** Stores the task token the workflow now waits on for this wave, and its deadline; marks it SENT. */
    void setWaveToken(String runId, Phase phase, int wave, String taskToken, long deadlineEpochSeconds);

    Optional<WaveRecord> getWave(String runId, Phase phase, int wave);

    /**
     * Claims the right to complete the wave's wait (SendTaskSuccess) for this token. True exactly
     * once per token, and only when the token is the wave's current one and every node dispatched so far (the
     * whole wave, or a strict budget's round) is done.
     */
    boolean claimWaveCompletion(String runId, Phase phase, int wave, String taskToken);

    /** Gives a claim back (SendTaskSuccess failed), so that a later event or Reconcile can complete the wave. */
    void releaseWaveCompletion(String runId, Phase phase, int wave, String taskToken);

    // ---- nodes ------------------------------------------------------------------------------

    /**
     * Moves a node forward, in one transaction with its counters: the node changes only if the new
     * status ranks higher than the stored one (a terminal status is final); a terminal status adds
     * one to the wave's {@code done} and status counter and to the run's counter for the phase, and
     * to the run's {@code errors} if it counts as an error. A stale or repeated update changes
     * nothing and is not an error.
     *
     * @throws IllegalStateException if the node's wave was never planned
     */
    Transition recordNodeStatus(NodeUpdate update);

    /**
     * Marks the given nodes NOT_RUN if they are still PLANNED (their wave was never sent), counting
     * them like any terminal status, and marks their waves NOT_RUN if still PLANNED.
     *
     * @return how many nodes changed
     */
    int markNotRun(String runId, Phase phase, List<NodeRecord> planned);
}
