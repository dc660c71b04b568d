package dev.fleetrun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.aws.SsmGateway;
import dev.fleetrun.domain.BudgetMode;
import dev.fleetrun.domain.DocumentSpec;
import dev.fleetrun.domain.ErrorBudget;
import dev.fleetrun.domain.InvalidInputException;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunRequest;
import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.domain.Wave;
import dev.fleetrun.domain.WavePlanner;
import dev.fleetrun.records.BatchClaim;
import dev.fleetrun.records.BatchRecord;
import dev.fleetrun.records.CommandRecord;
import dev.fleetrun.records.LeaseResult;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.RunRecord;
import dev.fleetrun.records.WaveRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Sends one wave and parks the workflow on its task token. For each batch of at most 50 nodes it
 * first claims the batch in the records, then calls SendCommand, then records the command id; a
 * retry after a crash skips batches already sent and looks a claimed-but-unrecorded batch up in
 * SSM by its comment before sending anything, so no node gets the command twice. A node that stopped
 * being a managed node since the run was planned is recorded UNDELIVERABLE and its batch goes to the
 * others ({@link UnreachableNodes}). Under a strict error budget the wave goes out in rounds sized by the budget
 * left, one round per call ({@link #nextRound}). Before each batch, and after the last, it reads the run's status:
 * once the run is closed (stopped while it sends) nothing more goes out. The same call resumes a wait
 * after a timeout: it stores the new token and, when the wave is already complete, completes the
 * token itself.
 */
public final class WaveSender {
    /** How far before a claim to look for its command in SSM (clock skew, slow SendCommand). */
    private static final Duration LOOKBACK = Duration.ofMinutes(5);
    /** The error SendWave fails its token with when the run was closed (stopped, finished) meanwhile. */
    static final String RUN_CLOSED = "Fleetrun.RunClosed";

    private final Services services;
    private final WaveCompletion completion;
    private final UnreachableNodes unreachable;

    public WaveSender(Services services) {
        this.services = services;
        this.completion = new WaveCompletion(services);
        this.unreachable = new UnreachableNodes(services);
    }

    public void send(RunState state, String taskToken) {
        String runId = state.runId();
        Phase phase = state.phase();
        int wave = state.wave();
        RunRecord run = services.store().getRun(runId).orElseThrow(() -> new IllegalStateException(
                "run " + runId + " has no record: StartRun did not complete for this execution"));
        if (run.status() != RunStatus.RUNNING) {
            // Stopped or finished meanwhile (fleetrun stop): release the workflow rather than send.
            services.tokens().fail(taskToken, RUN_CLOSED, "run " + runId + " is " + run.status());
            return;
        }
        WaveRecord w = services.store().getWave(runId, phase, wave).orElseThrow(() -> new IllegalStateException(
                "run " + runId + " has no " + phase.id() + " wave " + wave));
        Instant now = services.clock().instant();
        RunRequest request = StoredRequest.of(run);
        long waitSeconds = state.json().path("waitTimeoutSeconds").asLong(3600);
        long deadline = w.deadline() > 0 ? w.deadline() : now.getEpochSecond() + waitSeconds;
        int roundFrom = 1;
        if (phase == Phase.MAIN && request.budgetMode() == BudgetMode.STRICT) {
            // Added before the new token is stored: until then the wave's token is the completed one, so no late
            // event can complete the new wait on the last round's nodes.
            int before = w.batchCount();
            WaveRecord next = nextRound(run, w);
            if (next.dispatched() > w.dispatched()) {
                roundFrom = before + 1; // only the new round's batches need sending
                deadline = now.getEpochSecond() + waitSeconds; // each round gets its own wait
            }
            w = next;
        }
        // The token is stored before anything is sent, so an event can never find a wave without one.
        services.store().setWaveToken(runId, phase, wave, taskToken, deadline);

        final int firstToSend = roundFrom;
        List<BatchRecord> batches = services.store().batches(runId, phase, wave).stream()
                .filter(b -> b.batch() >= firstToSend).toList();
        LeaseResult leases = Leasing.renew(services, run, now.plus(services.config().lease()));
        if (!leases.acquired()) {
            // The run's leases ran out (a long approval gate, a long wave) and another run took some of
            // its nodes: sending now would run two roll-outs on one node.
            services.tokens().fail(taskToken, "Fleetrun.LeaseConflict", "run " + runId + " lost its lease on "
                    + leases.conflicts().size() + " node(s) of " + phase.id() + " wave " + wave + ": "
                    + leases.describeConflicts() + ". Nothing was sent; raise FLEETRUN_LEASE_SECONDS so that nine tenths of it"
                    + " (a lease is renewed once less than that is left) exceed the longest wave with the wait after it");
            return;
        }
        DocumentSpec document = document(run, phase);
        String attempt = UUID.randomUUID().toString();
        String justRecorded = null;
        for (BatchRecord b : batches) {
            if (stoppedBecauseClosed(runId, phase, wave, taskToken, justRecorded)) {
                return;
            }
            try {
                justRecorded = sendBatch(run, request, document, b, attempt, taskToken);
            } catch (SsmGateway.CommandRefusedException e) {
                // The document or its parameters do not fit: every batch would be refused alike, and a retry too.
                services.tokens().fail(taskToken, InvalidInputException.ERROR, e.getMessage() + ". Nothing more was sent"
                        + " for " + phase.id() + " wave " + wave + " of run " + runId + "; correct the run request's "
                        + (phase == Phase.ROLLBACK ? "rollback" : "document") + " (or its output bucket) and start a new run");
                return;
            }
        }
        if (stoppedBecauseClosed(runId, phase, wave, taskToken, justRecorded)) {
            return;
        }
        completion.completeIfDone(runId, phase, wave, taskToken);
    }

    /**
     * Under a strict error budget, adds the wave's next round when it is due: when nodes of the wave are left and
     * every node dispatched so far is done (the first call for a wave, or the call after a round's Evaluate). A
     * round is at most the errors left + 1 nodes ({@link WavePlanner#round}), so even if all of them fail the run
     * ends at most one error past its allowance. A retried SendWave finds the round added and sends what of it is
     * unsent; a resumed wait (after a timeout) finds the round still running and adds nothing.
     *
     * @return the wave as it now is
     */
    private WaveRecord nextRound(RunRecord run, WaveRecord current) {
        WaveRecord w = current;
        for (int attempt = 0; attempt < 3; attempt++) {
            boolean due = w.dispatched() < w.size() && (w.dispatched() == 0 || w.done() >= w.dispatched());
            if (!due) {
                return w;
            }
            List<BatchRecord> existing = services.store().batches(run.runId(), w.phase(), w.wave());
            Set<String> dispatched = existing.stream().flatMap(b -> b.instanceIds().stream()).collect(Collectors.toSet());
            List<String> unsent = services.store().nodes(run.runId(), w.phase(), w.wave()).stream()
                    .map(NodeRecord::instanceId).filter(id -> !dispatched.contains(id)).sorted().toList();
            int left = new ErrorBudget(run.allowance(), run.targeted()).remaining(run.errors());
            int firstBatch = existing.stream().mapToInt(BatchRecord::batch).max().orElse(0) + 1;
            Phase phase = w.phase();
            int number = w.wave();
            List<BatchRecord> round = WavePlanner.round(new Wave(number, unsent, w.concurrency()), unsent, left, firstBatch)
                    .stream().map(b -> BatchRecord.planned(phase, number, b.number(), b.instanceIds(), b.concurrency()))
                    .toList();
            if (round.isEmpty() || services.store().addRound(run.runId(), w.phase(), w.wave(), w.dispatched(), round)) {
                return services.store().getWave(run.runId(), w.phase(), w.wave()).orElseThrow();
            }
            w = services.store().getWave(run.runId(), w.phase(), w.wave()).orElseThrow(); // another attempt added one
        }
        return w;
    }

    /**
     * Whether Finish or Cleanup closed the run since this SendWave began (a stop while it sends): then nothing
     * more goes out, the token fails with {@value #RUN_CLOSED}, and the command recorded since the last check,
     * which the closer may have missed, is cancelled here. The closer marks the run CLOSING before it reads what to
     * cancel, so every command is cancelled by one of the two. The leases go too: this SendWave may have renewed
     * them after the closer released them.
     */
    private boolean stoppedBecauseClosed(String runId, Phase phase, int wave, String taskToken, String justRecorded) {
        RunStatus status = services.store().runStatus(runId).orElse(RunStatus.RUNNING);
        if (status == RunStatus.RUNNING) {
            return false;
        }
        if (justRecorded != null) {
            services.ssm().cancel(justRecorded, List.of());
        }
        services.store().releaseRunLeases(runId);
        services.tokens().fail(taskToken, RUN_CLOSED, "run " + runId + " is " + status + ": it was closed while "
                + phase.id() + " wave " + wave + " was being sent; nothing more was sent"
                + (justRecorded != null ? " and command " + justRecorded + " was cancelled" : ""));
        return true;
    }

    /** Sends one batch unless it was sent; returns the command this call recorded for it, or null. */
    private String sendBatch(RunRecord run, RunRequest request, DocumentSpec document, BatchRecord b, String attempt,
                             String taskToken) {
        String comment = CommandComment.of(run.runId(), b.phase(), b.wave(), b.batch());
        BatchClaim claim = services.store().claimBatch(run.runId(), b.phase(), b.wave(), b.batch(), attempt);
        List<String> targets = b.instanceIds();
        switch (claim.outcome()) {
            case ALREADY_SENT -> {
                return null;
            }
            case IN_DOUBT -> {
                // An earlier attempt claimed the batch and stopped before recording a command: look for
                // its command in SSM before sending anything. The claim is now this attempt's.
                var found = services.ssm().findCommand(comment, claim.previousClaimedAt().minus(LOOKBACK));
                if (found.isPresent()) {
                    recordSent(run, b, found.get(), attempt, taskToken);
                    return found.get();
                }
                // It may have recorded some nodes as unreachable before it stopped: those are done.
                targets = notYetFinal(run.runId(), b);
                if (targets.isEmpty()) {
                    return null;
                }
            }
            case CLAIMED -> {
            }
        }
        String commandId;
        try {
            commandId = services.ssm().send(command(run, request, document, b, targets, comment));
        } catch (SsmGateway.NodesRefusedException e) {
            // A node went away since the run was planned, and SSM refuses the whole command for it.
            targets = unreachable.dropUnreachable(run.runId(), b, targets, e);
            if (targets.isEmpty()) {
                return null; // every node of the batch is recorded UNDELIVERABLE: nothing left to send
            }
            RunRecord now = services.store().getRun(run.runId()).orElse(run); // the errors just recorded
            commandId = services.ssm().send(command(now, request, document, b, targets, comment));
        }
        recordSent(run, b, commandId, attempt, taskToken);
        return commandId;
    }

    /**
     * The SendCommand of one batch. Its MaxErrors is the run's budget left, so SSM itself stops starting nodes once
     * the budget is spent (a rollback tries every node it names: 100%). Under a leaky budget its MaxConcurrency is
     * the batch's share of the wave's concurrency; under a strict one the batch is part of a round of at most the
     * errors left + 1 nodes, so however SSM counts, the round cannot take the run more than one error past its
     * allowance.
     */
    private SsmGateway.Send command(RunRecord run, RunRequest request, DocumentSpec document, BatchRecord b,
                                    List<String> targets, String comment) {
        String maxErrors = b.phase() == Phase.ROLLBACK
                ? "100%"
                : Integer.toString(new ErrorBudget(run.allowance(), run.targeted()).remaining(run.errors()));
        int timeoutSeconds = SsmTiming.sendTimeoutSeconds(services.config().deliveryTimeoutSeconds(),
                new SsmTiming.Command(targets.size(), b.concurrency()), document.runSeconds(request.timeoutSeconds()));
        return new SsmGateway.Send(targets, document, b.concurrency(), maxErrors, timeoutSeconds, comment, request.output());
    }

    /** The batch's nodes that have no final status yet, in batch order. */
    private List<String> notYetFinal(String runId, BatchRecord b) {
        Set<String> done = services.store().nodes(runId, b.phase(), b.wave()).stream()
                .filter(n -> n.status().isTerminal()).map(NodeRecord::instanceId).collect(Collectors.toSet());
        return b.instanceIds().stream().filter(id -> !done.contains(id)).toList();
    }

    private void recordSent(RunRecord run, BatchRecord b, String commandId, String attempt, String taskToken) {
        CommandRecord command = new CommandRecord(commandId, run.runId(), b.phase(), b.wave(), b.batch(), taskToken,
                services.clock().instant());
        services.store().recordBatchSent(command, attempt);
    }

    /** The document recorded at the start for {@code phase}, with the parameters it is sent with. */
    static DocumentSpec document(RunRecord run, Phase phase) {
        JsonNode docs = Json.parse(run.documentsJson());
        JsonNode d = docs.get(phase.id());
        if (d == null || d.isNull()) {
            throw new IllegalStateException("run " + run.runId() + " has no " + phase.id() + " document recorded");
        }
        return Json.MAPPER.convertValue(d, DocumentSpec.class);
    }

    static ObjectNode summary(WaveRecord w) {
        ObjectNode s = Json.object();
        // complete: the wait is over (every node dispatched so far is done); waveComplete: every node of the wave is.
        s.put("phase", w.phase().id()).put("wave", w.wave()).put("complete", w.roundDone())
                .put("size", w.size()).put("done", w.done())
                .put("dispatched", w.dispatched()).put("waveComplete", w.complete());
        ObjectNode counts = s.putObject("counts");
        w.counts().byStatus().forEach((status, n) -> counts.put(status.name(), n));
        return s;
    }
}
