package dev.fleetrun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Invocation;
import dev.fleetrun.aws.Json;
import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.StatusMapper;
import dev.fleetrun.records.BatchRecord;
import dev.fleetrun.records.CommandRecord;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.NodeUpdate;
import dev.fleetrun.records.RecentlyUsed;
import dev.fleetrun.records.RunRecord;
import dev.fleetrun.records.Transition;
import dev.fleetrun.records.WaveRecord;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns what SSM says about fleetrun's commands into node records, from two sources: the
 * EventBridge status-change events (fast, best effort, may repeat or arrive out of order) and
 * polling with ListCommandInvocations (after a wait timed out, or when a command-level event says a
 * command has ended). Both go through the same forward-only record, so a repeated or late event
 * changes nothing, and both complete the wave's task token through {@link WaveCompletion}.
 *
 * <p>An event costs one read of the command (none once this process has seen the command: a command's
 * run, phase, wave and batch never change), GetCommandInvocation and the node's transaction. The wave is
 * read back only when the node may have been its last (and for a wave this process has not seen yet, or a
 * stale event); a heartbeat ({@link Heartbeats}) goes out at most once per tenth of the heartbeat timeout. A
 * command-level event polls the command and writes only the nodes its records do not show final yet.
 */
public final class StatusRecorder {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StatusRecorder.class);
    public static final String INVOCATION_EVENT = "EC2 Command Invocation Status-change Notification";
    public static final String COMMAND_EVENT = "EC2 Command Status-change Notification";
    /** How long an event for a command being recorded waits for the record: 10 x 200 ms. */
    static final int RECORD_WAIT_ATTEMPTS = 10;
    static final long RECORD_WAIT_MILLIS = 200;
    static final String DEADLINE_DETAIL = "fleetrun: no terminal status from SSM by the wave deadline";
    /** Command records remembered by this process: more than the commands of the waves in flight. */
    static final int COMMANDS_KEPT = 1024;

    private final Services services;
    private final WaveCompletion completion;
    private final Heartbeats heartbeats;
    private final RecentlyUsed<String, CommandRecord> commands = new RecentlyUsed<>(COMMANDS_KEPT);

    public StatusRecorder(Services services) {
        this.services = services;
        this.completion = new WaveCompletion(services);
        this.heartbeats = new Heartbeats(services);
    }

    /** Handles one event from the rule on {@code aws.ssm}; returns what it did. */
    public ObjectNode onEvent(JsonNode event) {
        String detailType = event.path("detail-type").asText();
        JsonNode detail = event.path("detail");
        String commandId = detail.path("command-id").asText(null);
        if (!"aws.ssm".equals(event.path("source").asText()) || commandId == null
                || !(INVOCATION_EVENT.equals(detailType) || COMMAND_EVENT.equals(detailType))) {
            return ignored("not an SSM Run Command status-change event");
        }
        Optional<CommandRecord> cmd = command(commandId);
        if (cmd.isEmpty()) {
            String runId = runOf(commandId);
            Optional<String> ignoredBecause = foreignCommand(commandId, runId);
            if (ignoredBecause.isPresent()) {
                return ignored(ignoredBecause.get());
            }
            cmd = awaitRecord(commandId, runId);
        }
        CommandRecord c = cmd.get();
        String status = detail.path("status").asText("");
        if (COMMAND_EVENT.equals(detailType)) {
            if (!StatusMapper.fromSsm(status, "").isTerminal()) {
                return ignored("command status " + status + " is not final; node events carry the progress");
            }
            int recorded = recordCommand(c);
            completion.completeIfDone(c.runId(), c.phase(), c.wave(), null);
            return Json.object().put("recorded", recorded).put("runId", c.runId());
        }
        String instanceId = detail.path("instance-id").asText();
        NodeStatus coarse = StatusMapper.fromSsm(status, "");
        Transition t;
        if (!coarse.isTerminal()) {
            t = record(c, instanceId, coarse, null);
            // News for the wave's waiting task, so that its heartbeat timeout measures silence, not wave length.
            heartbeats.beat(c.runId(), c.phase(), c.wave(), t.wave());
        } else {
            // The detail (Undeliverable or Failed, the exit code) is only in GetCommandInvocation, and a final
            // status is final: record nothing until SSM shows it there too.
            Invocation inv = services.ssm().invocation(c.commandId(), instanceId)
                    .filter(i -> StatusMapper.fromSsm(i.status(), i.statusDetails()).isTerminal())
                    .orElseThrow(() -> new InvocationNotSettledYet("SSM's event says " + status + " for node " + instanceId
                            + " of command " + c.commandId() + " (run " + c.runId() + ") but GetCommandInvocation does"
                            + " not show a final status yet; the event will be delivered again (or Reconcile settles it)"));
            NodeStatus finalStatus = StatusMapper.fromSsm(inv.status(), inv.statusDetails());
            if (finalStatus == NodeStatus.CANCELLED && !inv.started() && budgetSpent(c)) {
                // Cancelled before it started because the run's budget is spent (this listener's own cut-off
                // across a wave's commands): what SSM's MaxErrors cut-off calls Terminated. It never ran, so a
                // rollback of the nodes the command touched leaves it alone.
                finalStatus = NodeStatus.TERMINATED;
            }
            t = record(c, instanceId, finalStatus, inv);
            if (t.applied()) {
                stopTheWaveOnceTheBudgetIsSpent(c, finalStatus);
            }
            // Without the wave, the store knows this node was not the wave's last.
            boolean resumed = t.wave() != null && completion.completeIfDone(c.runId(), t.wave(), null);
            if (!resumed && t.applied()) {
                // The wave is still incomplete, but it moved: the wait is not stuck.
                heartbeats.beat(c.runId(), c.phase(), c.wave(), t.wave());
            }
        }
        return Json.object().put("recorded", t.applied() ? 1 : 0).put("runId", c.runId())
                .put("instanceId", instanceId).put("status", status);
    }

    /**
     * SSM stops one command once its own errors pass its MaxErrors, but a wave of more than 50 nodes is several
     * commands, each given the run's whole budget left: alone, each would go on until its own errors passed it, and
     * the wave could fail several times the budget over. So once the run's errors pass its allowance, the nodes of
     * the wave's other commands that have not started are cancelled here, as SSM cancels a command's own: under a
     * leaky budget, only the nodes in flight then still run. (A strict budget's round never holds more nodes than
     * the errors left + 1, so there is nothing to stop.)
     */
    /** Whether the run of a main-wave command has more errors than its allowance. */
    private boolean budgetSpent(CommandRecord c) {
        if (c.phase() != Phase.MAIN) {
            return false;
        }
        RunRecord run = services.store().getRun(c.runId()).orElse(null);
        return run != null && run.errors() > run.allowance();
    }

    private void stopTheWaveOnceTheBudgetIsSpent(CommandRecord c, NodeStatus status) {
        if (c.phase() != Phase.MAIN || !services.config().errorPolicy().countsAsError(status)) {
            return;
        }
        RunRecord run = services.store().getRun(c.runId()).orElse(null);
        if (run == null || run.errors() <= run.allowance()) {
            return;
        }
        List<BatchRecord> others = services.store().batches(c.runId(), c.phase(), c.wave()).stream()
                .filter(b -> b.commandId() != null && !b.commandId().equals(c.commandId())).toList();
        if (others.isEmpty()) {
            return;
        }
        Set<String> notStarted = new HashSet<>();
        for (NodeRecord n : services.store().nodes(c.runId(), c.phase(), c.wave())) {
            if (n.status() == NodeStatus.PLANNED || n.status() == NodeStatus.SENT) {
                notStarted.add(n.instanceId());
            }
        }
        for (BatchRecord b : others) {
            List<String> pending = b.instanceIds().stream().filter(notStarted::contains).toList();
            if (!pending.isEmpty()) {
                services.ssm().cancel(b.commandId(), pending);
                LOG.info(Json.write(Json.object().put("fleetrun", "budget-spent").put("runId", c.runId())
                        .put("wave", c.wave()).put("commandId", b.commandId()).put("cancelled", pending.size())
                        .put("errors", run.errors()).put("allowance", run.allowance())));
            }
        }
    }

    /** The command's record, remembered once found (it never changes), so that its later events skip the read. */
    private Optional<CommandRecord> command(String commandId) {
        CommandRecord known = commands.get(commandId);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<CommandRecord> found = services.store().findCommand(commandId);
        found.ifPresent(c -> commands.put(commandId, c));
        return found;
    }

    /**
     * Why a command id with no record is not ours to handle: another tool's command, or one of another
     * fleetrun deployment's runs. Empty when it is one of ours whose record is not written yet.
     */
    private Optional<String> foreignCommand(String commandId, String runId) {
        if (runId == null) {
            return Optional.of("command " + commandId + " was not sent by fleetrun");
        }
        if (services.store().getRun(runId).isEmpty()) {
            return Optional.of("command " + commandId + " belongs to run " + runId + " of another fleetrun deployment");
        }
        return Optional.empty();
    }

    /** The run named by a command's comment, or null when fleetrun did not send it. */
    private String runOf(String commandId) {
        Optional<String> comment = services.ssm().commandComment(commandId);
        if (comment.isEmpty() || !CommandComment.isFleetrun(comment.get())) {
            return null;
        }
        return comment.get().substring(CommandComment.PREFIX.length()).split("[ /]", 2)[0];
    }

    /**
     * One of ours, whose SendCommand returned but whose record is not written yet (SSM's events can
     * overtake it). The gap is usually milliseconds: wait a little for the record; past that, fail, so
     * that the event is delivered again once the record exists.
     */
    private Optional<CommandRecord> awaitRecord(String commandId, String runId) {
        for (int attempt = 0; attempt < RECORD_WAIT_ATTEMPTS; attempt++) {
            try {
                Thread.sleep(RECORD_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            Optional<CommandRecord> cmd = services.store().findCommand(commandId);
            if (cmd.isPresent()) {
                return cmd;
            }
        }
        throw new CommandNotRecordedYet("command " + commandId + " of run " + runId
                + " is not recorded yet; the event will be delivered again");
    }

    /**
     * Polls one command's invocations and records every node SSM reports further along than its record
     * (the others would be refused by their condition: reading them first, in one call, saves a write
     * per node); returns how many changed. A node that reaches its final status here gets
     * GetCommandInvocation's detail, as from its own event (ListCommandInvocations gives a shorter output
     * excerpt with the error output mixed in), so that its record is the same whichever way the status arrived.
     */
    int recordCommand(CommandRecord c) {
        List<Invocation> invocations = services.ssm().invocations(c.commandId());
        Map<String, NodeStatus> recorded = new HashMap<>();
        for (NodeRecord n : services.store().nodes(c.runId(), c.phase(), c.wave(),
                invocations.stream().map(Invocation::instanceId).toList())) {
            recorded.put(n.instanceId(), n.status());
        }
        int changed = 0;
        for (Invocation listed : invocations) {
            NodeStatus status = StatusMapper.fromSsm(listed.status(), listed.statusDetails());
            NodeStatus known = recorded.get(listed.instanceId());
            if (known != null && !known.canMoveTo(status)) {
                continue;
            }
            Invocation inv = listed;
            if (status.isTerminal()) {
                inv = services.ssm().invocation(c.commandId(), listed.instanceId())
                        .filter(i -> StatusMapper.fromSsm(i.status(), i.statusDetails()).isTerminal())
                        .orElse(listed);
            }
            if (record(c, inv.instanceId(), StatusMapper.fromSsm(inv.status(), inv.statusDetails()), inv).applied()) {
                changed++;
            }
        }
        return changed;
    }

    private Transition record(CommandRecord c, String instanceId, NodeStatus status, Invocation inv) {
        boolean counts = c.phase() == Phase.MAIN && services.config().errorPolicy().countsAsError(status);
        return services.store().recordNodeStatus(update(c.runId(), c.phase(), c.wave(), instanceId, status, c.commandId(), inv, counts));
    }

    /**
     * After a wait ended without the wave's completion: polls every command of the wave, records what
     * the events missed, and, past the wave's deadline, closes the nodes SSM still has not finished
     * (cancelling them) as delivery timed out. Returns the state with {@code waveResult}.
     */
    public ObjectNode reconcile(RunState state) {
        String runId = state.runId();
        Phase phase = state.phase();
        int wave = state.wave();
        List<BatchRecord> batches = services.store().batches(runId, phase, wave);
        int changed = 0;
        for (BatchRecord b : batches) {
            if (b.commandId() != null) {
                changed += recordCommand(new CommandRecord(b.commandId(), runId, phase, wave, b.batch(), null, services.clock().instant()));
            }
        }
        WaveRecord w = services.store().getWave(runId, phase, wave).orElseThrow();
        long now = services.clock().instant().getEpochSecond();
        int closed = 0;
        if (!w.roundDone() && w.deadline() > 0 && now >= w.deadline()) {
            closed = closeOverdue(runId, phase, wave, batches);
            w = services.store().getWave(runId, phase, wave).orElseThrow();
        }
        LOG.info(Json.write(Json.object().put("fleetrun", "reconcile").put("runId", runId)
                .put("phase", phase.id()).put("wave", wave).put("recorded", changed).put("closedAtDeadline", closed)
                .put("complete", w.roundDone())));
        state.json().set("waveResult", WaveSender.summary(w));
        state.json().remove("waitError");
        return state.json();
    }

    private int closeOverdue(String runId, Phase phase, int wave, List<BatchRecord> batches) {
        Set<String> open = new HashSet<>();
        for (NodeRecord n : services.store().nodes(runId, phase, wave)) {
            if (!n.status().isTerminal()) {
                open.add(n.instanceId());
            }
        }
        int closed = 0;
        for (BatchRecord b : batches) {
            List<String> overdue = b.instanceIds().stream().filter(open::contains).toList();
            if (overdue.isEmpty()) {
                continue;
            }
            NodeStatus status = NodeStatus.DELIVERY_TIMED_OUT;
            if (b.commandId() != null) {
                services.ssm().cancel(b.commandId(), overdue);
            } else {
                status = NodeStatus.NOT_RUN; // never reached SSM
            }
            for (String id : overdue) {
                Invocation marker = new Invocation(b.commandId(), id, status.name(), DEADLINE_DETAIL, null, null, null, null);
                boolean counts = phase == Phase.MAIN && services.config().errorPolicy().countsAsError(status);
                if (services.store().recordNodeStatus(update(runId, phase, wave, id, status, b.commandId(), marker, counts)).applied()) {
                    closed++;
                }
            }
        }
        return closed;
    }

    private static NodeUpdate update(String runId, Phase phase, int wave, String instanceId, NodeStatus status,
                                     String commandId, Invocation inv, boolean countsAsError) {
        if (inv == null) {
            return new NodeUpdate(runId, phase, wave, instanceId, status, commandId, null, null, null, null, null, null, false);
        }
        return new NodeUpdate(runId, phase, wave, instanceId, status, commandId, inv.responseCode(), inv.statusDetails(),
                inv.stdout(), inv.stderr(), inv.outputUrl(), null, countsAsError && status.isTerminal());
    }

    private static ObjectNode ignored(String why) {
        return Json.object().put("recorded", 0).put("ignored", why);
    }

    /**
     * Thrown so that Lambda delivers a final-status event again once GetCommandInvocation shows that status (it is
     * eventually consistent): recording the event's coarse status alone would keep out the detail for good.
     */
    public static final class InvocationNotSettledYet extends RuntimeException {
        public InvocationNotSettledYet(String message) {
            super(message);
        }
    }

    /** Thrown so that Lambda delivers the event again once the command's record exists. */
    public static final class CommandNotRecordedYet extends RuntimeException {
        public CommandNotRecordedYet(String message) {
            super(message);
        }
    }
}
