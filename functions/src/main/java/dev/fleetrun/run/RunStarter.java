package dev.fleetrun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Alarms;
import dev.fleetrun.aws.Json;
import dev.fleetrun.aws.Notifier;
import dev.fleetrun.aws.ResourceGroupsGateway;
import dev.fleetrun.domain.Batch;
import dev.fleetrun.domain.ErrorBudget;
import dev.fleetrun.domain.FieldError;
import dev.fleetrun.domain.GroupMembers;
import dev.fleetrun.domain.InvalidInputException;
import dev.fleetrun.domain.ManagedNode;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunRequest;
import dev.fleetrun.domain.RunRequestParser;
import dev.fleetrun.domain.SkippedNode;
import dev.fleetrun.domain.TargetResolution;
import dev.fleetrun.domain.TargetResolver;
import dev.fleetrun.domain.TargetSpec;
import dev.fleetrun.domain.Wave;
import dev.fleetrun.domain.WavePlan;
import dev.fleetrun.domain.WavePlanner;
import dev.fleetrun.records.BatchRecord;
import dev.fleetrun.records.LeaseConflict;
import dev.fleetrun.records.LeaseResult;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.RunRecord;
import dev.fleetrun.records.RunView;
import dev.fleetrun.records.WaveRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The first step of a run: validate the request, resolve the targets to managed nodes, plan the
 * waves and the error budget, lease the nodes and write the run record. Nothing is sent here. A bad
 * request, a target set with no online node and a node leased by another run each end the run at
 * once with a cause that says what to do. Safe to retry: the records and leases are idempotent.
 */
public final class RunStarter {
    private final Services services;
    private final RunRequestParser parser;

    public RunStarter(Services services) {
        this.services = services;
        this.parser = new RunRequestParser(services.config().allowedDocuments());
    }

    /** {@code execution} holds {@code name}, {@code arn}, {@code startTime} of the Step Functions execution. */
    public ObjectNode start(JsonNode requestJson, JsonNode execution) {
        String runId = Json.text(execution, "name", null);
        if (runId == null) {
            throw new IllegalArgumentException("StartRun needs execution.name (the Step Functions execution name) as the run id");
        }
        String executionArn = Json.text(execution, "arn", "");
        RunState state = RunState.create(runId);

        RunRequest request;
        try {
            request = parser.parse(requestJson);
        } catch (InvalidInputException e) {
            return refuse(state, "INVALID", InvalidInputException.ERROR, e.getMessage());
        }

        var recorded = services.store().loadRun(runId);
        if (recorded.isPresent()) {
            return alreadyStarted(state, request, recorded.get(), executionArn);
        }

        List<FieldError> alarmErrors = missingAlarms(request.alarms());
        if (!alarmErrors.isEmpty()) {
            return refuse(state, "INVALID", InvalidInputException.ERROR, new InvalidInputException(alarmErrors).getMessage());
        }

        List<ManagedNode> candidates;
        GroupMembers group = null;
        List<String> groupNodes = null;
        if (!request.instanceIds().isEmpty()) {
            candidates = services.ssm().describeInstances(request.instanceIds());
        } else if (request.resourceGroup() != null) {
            try {
                group = services.resourceGroups().members(request.resourceGroup());
            } catch (ResourceGroupsGateway.GroupNotFoundException | ResourceGroupsGateway.GroupRefusedException e) {
                return refuse(state, "INVALID", InvalidInputException.ERROR, new InvalidInputException(List.of(
                        new FieldError(groupField(request), e.getMessage()))).getMessage());
            }
            groupNodes = group.instanceIds(request.resourceTypes());
            // A group's members are described by id; beside tag targets, the tags choose and the group narrows.
            candidates = request.tagTargets().isEmpty()
                    ? services.ssm().describeInstances(groupNodes)
                    : services.ssm().describeTargets(request.tagTargets());
        } else {
            candidates = services.ssm().describeTargets(request.targets());
        }
        TargetResolution resolution = TargetResolver.resolve(request, candidates, groupNodes);
        if (resolution.targeted().isEmpty()) {
            return refuse(state, "NO_TARGETS", "Fleetrun.NoTargets", noTargetsCause(request, resolution, group));
        }

        List<String> ids = resolution.targeted().stream().map(ManagedNode::instanceId).toList();
        WavePlan plan = WavePlanner.plan(ids, request.waves(), request.maxConcurrency());
        List<FieldError> planErrors = RunRequestParser.checkAgainstPlan(request, plan);
        if (!planErrors.isEmpty()) {
            return refuse(state, "INVALID", InvalidInputException.ERROR, new InvalidInputException(planErrors).getMessage());
        }
        ErrorBudget budget = ErrorBudget.of(request.maxErrors(), plan.targeted());
        int waitTimeout = SsmTiming.waitTimeoutSeconds(services.config().deliveryTimeoutSeconds(), plan.waves().stream()
                        .flatMap(w -> WavePlanner.batches(w).stream())
                        .map(b -> new SsmTiming.Command(b.instanceIds().size(), b.concurrency())).toList(),
                resolution.document().runSeconds(request.timeoutSeconds()));

        if (request.dryRun()) {
            state.json().put("outcome", "DRY_RUN");
            state.json().set("plan", DryRunPlan.of(runId, request, resolution, plan, budget));
            return state.json();
        }

        Instant now = services.clock().instant();
        LeaseResult leases = services.store().acquireLeases(runId, executionArn, ids, now.plus(services.config().lease()));
        if (!leases.acquired()) {
            return refuse(state, "CONFLICT", "Fleetrun.LeaseConflict", conflictCause(leases.conflicts()));
        }

        try {
            writeRecords(runId, executionArn, requestJson, request, resolution, plan, budget, now);
        } catch (RuntimeException e) {
            releaseUnrecorded(runId, ids, e);
            throw e;
        }
        announce(runId, request.name(), plan.targeted(), resolution.skipped().size(), plan.waves().size(), executionArn);
        return started(state, request, plan.waves().size(), waitTimeout);
    }

    /**
     * The alarms CloudWatch does not know: a misspelt name would otherwise never be in ALARM, and the guard the
     * operator asked for would silently be off.
     */
    private List<FieldError> missingAlarms(List<String> alarms) {
        List<FieldError> errors = new ArrayList<>();
        List<Alarms.AlarmState> states = services.alarms().states(alarms);
        for (int i = 0; i < states.size(); i++) {
            if (Alarms.MISSING.equals(states.get(i).state())) {
                errors.add(new FieldError("alarms[" + i + "]", "no CloudWatch alarm (metric or composite) is named \""
                        + states.get(i).name() + "\" in this account and Region; check the name, which is case-sensitive"));
            }
        }
        return errors;
    }

    /**
     * A retried StartRun of an execution whose run is already recorded: the run state of the recorded
     * plan, whatever the fleet looks like now (a node may have gone offline or registered since), so
     * the workflow walks the waves that are recorded and leased, not a new plan.
     */
    private ObjectNode alreadyStarted(RunState state, RunRequest request, RunView view, String executionArn) {
        RunRecord run = view.run();
        if (run.executionArn() != null && !executionArn.isEmpty() && !run.executionArn().equals(executionArn)) {
            throw new IllegalStateException("run id " + run.runId() + " is taken by execution " + run.executionArn()
                    + ", not " + executionArn + ": start the run under another execution name");
        }
        int waitTimeout = SsmTiming.waitTimeoutSeconds(services.config().deliveryTimeoutSeconds(), view.batches().stream()
                        .filter(b -> b.phase() == Phase.MAIN)
                        .map(b -> new SsmTiming.Command(b.instanceIds().size(), b.concurrency())).toList(),
                WaveSender.document(run, Phase.MAIN).runSeconds(request.timeoutSeconds()));
        announce(run.runId(), run.name(), run.targeted(), run.mainCounts().get(dev.fleetrun.domain.NodeStatus.SKIPPED),
                run.waveCount(), run.executionArn());
        return started(state, request, run.waveCount(), waitTimeout);
    }

    /**
     * StartRun failed after taking the leases: unless the run got its record (then Finish or Cleanup
     * closes it), nothing would ever release them, and the nodes would stay locked until the leases expire.
     */
    private void releaseUnrecorded(String runId, List<String> ids, RuntimeException failure) {
        try {
            if (services.store().getRun(runId).isEmpty()) {
                services.store().releaseLeases(runId, ids);
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private void announce(String runId, String name, int targeted, int skipped, int waves, String executionArn) {
        ObjectNode detail = Json.object().put("runId", runId).put("name", name)
                .put("targeted", targeted).put("skipped", skipped)
                .put("waves", waves).put("executionArn", executionArn);
        services.notifier().event(Notifier.RUN_STARTED, runId, detail);
    }

    private ObjectNode started(RunState state, RunRequest request, int waveCount, int waitTimeout) {
        ObjectNode s = state.json();
        s.put("outcome", "STARTED");
        s.put("waveCount", waveCount);
        state.waitBounds(waitTimeout, services.config().heartbeatSeconds());
        s.put("bakeSeconds", request.bakeSeconds());
        s.put("approvalAfterWave", request.approvalAfterWave());
        s.put("hasRollback", request.rollback() != null);
        state.cursor(Phase.MAIN, 1);
        return s;
    }

    private void writeRecords(String runId, String executionArn, JsonNode requestJson, RunRequest request,
                              TargetResolution resolution, WavePlan plan, ErrorBudget budget, Instant now) {
        List<WaveRecord> waves = new ArrayList<>();
        List<BatchRecord> batches = new ArrayList<>();
        List<NodeRecord> nodes = new ArrayList<>();
        for (Wave w : plan.waves()) {
            List<Batch> wb = WavePlanner.batches(w);
            waves.add(WaveRecord.planned(Phase.MAIN, w.number(), w.instanceIds().size(), w.concurrency(), wb.size()));
            for (Batch b : wb) {
                batches.add(BatchRecord.planned(Phase.MAIN, w.number(), b.number(), b.instanceIds(), b.concurrency()));
            }
            for (String id : w.instanceIds()) {
                nodes.add(NodeRecord.planned(runId, now, Phase.MAIN, w.number(), id));
            }
        }
        for (SkippedNode s : resolution.skipped()) {
            nodes.add(NodeRecord.skipped(runId, now, s.instanceId(), s.reason()));
        }
        RunRecord run = RunRecord.started(runId, request.name(), Json.write(requestJson), Json.write(documentsJson(resolution)),
                executionArn, now, plan.waves().size(), plan.targeted(), plan.concurrency(), budget.allowance())
                .withLeasesUntil(now.plus(services.config().lease())); // as acquired above
        services.store().createRun(run, waves, batches, nodes);
    }

    private static ObjectNode documentsJson(TargetResolution resolution) {
        ObjectNode docs = Json.object();
        docs.set("main", Json.MAPPER.valueToTree(resolution.document()));
        if (resolution.rollbackDocument() != null) {
            docs.set("rollback", Json.MAPPER.valueToTree(resolution.rollbackDocument()));
        }
        return docs;
    }

    private ObjectNode refuse(RunState state, String outcome, String error, String cause) {
        state.json().put("outcome", outcome).put("error", error).put("cause", cause);
        return state.json();
    }

    /** Where the request names its resource group, for an error about the group. */
    private static String groupField(RunRequest request) {
        for (int i = 0; i < request.targets().size(); i++) {
            if (request.targets().get(i).key().equals(TargetSpec.RESOURCE_GROUP)) {
                return "targets[" + i + "].values[0]";
            }
        }
        return "targets";
    }

    private static String noTargetsCause(RunRequest request, TargetResolution resolution, GroupMembers group) {
        if (group != null && group.instanceIds(request.resourceTypes()).isEmpty()) {
            return "the resource group " + group.group() + " has no member of type "
                    + String.join(" or ", request.resourceTypes()) + " (" + group.resources().size() + " member(s) in all"
                    + (group.queryErrors().isEmpty() ? "" : "; Resource Groups reported " + String.join("; ", group.queryErrors()))
                    + "): check its query, and the nodes' tags, with aws resource-groups list-group-resources --group "
                    + group.group();
        }
        String what = request.instanceIds().isEmpty()
                ? "the targets " + request.targets().stream().map(t -> t.key() + "=" + String.join(",", t.values()))
                        .collect(Collectors.joining(" and "))
                : "the instance ids";
        if (resolution.skipped().isEmpty()) {
            return what + " matched no managed node: check the tags and that the nodes are registered with SSM ("
                    + "aws ssm describe-instance-information)";
        }
        String reasons = resolution.skipped().stream().limit(5)
                .map(s -> s.instanceId() + " (" + s.reason() + ")").collect(Collectors.joining("; "));
        String more = resolution.skipped().size() > 5 ? "; and " + (resolution.skipped().size() - 5) + " more" : "";
        return "no node can run the command: " + what + " matched " + resolution.skipped().size()
                + " node(s), all skipped: " + reasons + more;
    }

    /**
     * Names each run that holds some of the nodes, with its nodes (at most 5 each, then how many more) and until when:
     * "3 node(s) are leased by other runs: i-1, i-2 held by run a until T; i-3 held by run b until T. Wait for ...".
     */
    static String conflictCause(List<LeaseConflict> conflicts) {
        java.util.Map<String, List<LeaseConflict>> byHolder = new java.util.LinkedHashMap<>();
        conflicts.forEach(c -> byHolder.computeIfAbsent(c.holderRunId(), k -> new ArrayList<>()).add(c));
        List<String> parts = new ArrayList<>();
        int shown = 0;
        for (var holder : byHolder.entrySet()) {
            if (shown == 10) {
                parts.add("and " + (byHolder.size() - shown) + " more run(s)");
                break;
            }
            List<LeaseConflict> held = holder.getValue();
            String nodes = held.stream().limit(5).map(LeaseConflict::instanceId).collect(Collectors.joining(", "))
                    + (held.size() > 5 ? " and " + (held.size() - 5) + " more" : "");
            Instant until = held.stream().map(LeaseConflict::until).max(Instant::compareTo).orElseThrow();
            parts.add(nodes + " held by run " + holder.getKey() + " until " + until);
            shown++;
        }
        boolean one = byHolder.size() == 1;
        String stops = byHolder.keySet().stream().limit(10).map(r -> "fleetrun stop " + r).collect(Collectors.joining("; "));
        return conflicts.size() + " node(s) are leased by " + (one ? "another run" : byHolder.size() + " other runs") + ": "
                + String.join("; ", parts) + ". Wait for " + (one ? "that run" : "those runs") + " to finish, or stop "
                + (one ? "it" : "them") + " with: " + stops;
    }
}
