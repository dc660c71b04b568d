package dev.fleetrun.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.run.CommandComment;
import dev.fleetrun.run.Services;
import dev.fleetrun.testing.FakeStepFunctions.TaskSuccess;
import dev.fleetrun.local.ssm.InvocationOutcome;
import dev.fleetrun.testing.SentCommand;
import dev.fleetrun.testing.TestServices;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The nine handlers on one {@link TestServices}, and the steps handler tests repeat: start a run,
 * send a wave, let SSM finish it and deliver its events, read the wave summary the workflow would get.
 * Each step calls the real handler through {@link JsonHandler#handle}, as the embedded runtime does.
 */
final class HandlerSteps {
    final TestServices t;
    final StartRunHandler startRun;
    final SendWaveHandler sendWave;
    final StatusListenerHandler listener;
    final ReconcileHandler reconcile;
    final EvaluateHandler evaluate;
    final RequestApprovalHandler requestApproval;
    final RollbackHandler rollback;
    final FinishHandler finish;
    final CleanupHandler cleanup;

    HandlerSteps(TestServices t) {
        this(t, t.services());
    }

    /** The handlers on other services over the same table and fake (see {@link TestServices#servicesConfiguredBy}). */
    HandlerSteps(TestServices t, Services services) {
        this.t = t;
        this.startRun = new StartRunHandler(services);
        this.sendWave = new SendWaveHandler(services);
        this.listener = new StatusListenerHandler(services);
        this.reconcile = new ReconcileHandler(services);
        this.evaluate = new EvaluateHandler(services);
        this.requestApproval = new RequestApprovalHandler(services);
        this.rollback = new RollbackHandler(services);
        this.finish = new FinishHandler(services);
        this.cleanup = new CleanupHandler(services);
    }

    /** A run request that runs {@code uptime} on these nodes; tests add fields with {@code put}. */
    static ObjectNode request(List<String> instanceIds) {
        ObjectNode r = Json.object();
        r.put("name", "test-run");
        ArrayNode ids = r.putArray("instanceIds");
        instanceIds.forEach(ids::add);
        r.putArray("commands").add("uptime");
        return r;
    }

    /** StartRun's output for this request under an execution named {@code runId}. */
    ObjectNode start(String runId, JsonNode request) {
        return (ObjectNode) startRun.handle(t.startInput(runId, request));
    }

    /** Starts a run and fails the test unless it started; returns the run state. */
    ObjectNode started(String runId, JsonNode request) {
        ObjectNode state = start(runId, request);
        assertEquals("STARTED", state.path("outcome").asText(), () -> "StartRun refused the run: " + state);
        return state;
    }

    /** SendWave's input: {@code {"state", "taskToken"}}. */
    static ObjectNode sendInput(JsonNode state, String token) {
        ObjectNode in = Json.object();
        in.set("state", state);
        in.put("taskToken", token);
        return in;
    }

    void send(JsonNode state, String token) {
        sendWave.handle(sendInput(state, token));
    }

    /** The commands SSM accepted for one wave, in batch order, recognised by fleetrun's comment. */
    List<SentCommand> commands(String runId, Phase phase, int wave) {
        List<String> comments = IntStream.rangeClosed(1, 200).mapToObj(b -> CommandComment.of(runId, phase, wave, b)).toList();
        List<SentCommand> found = new ArrayList<>();
        for (String comment : comments) {
            t.ssm().commands().stream().filter(c -> c.comment().equals(comment)).forEach(found::add);
        }
        return found;
    }

    /** Delivers SSM's event for one invocation, as it stands now, to the status listener. */
    JsonNode deliver(String commandId, String instanceId) {
        return listener.handle(t.invocationEvent(commandId, instanceId));
    }

    /**
     * Moves every node of these commands to the outcome {@code outcomes} gives for it, then delivers
     * each node's event to the listener, in order.
     */
    void finishAndDeliver(List<SentCommand> commands, Function<String, InvocationOutcome> outcomes) {
        for (SentCommand c : commands) {
            c.instanceIds().forEach(id -> c.complete(id, outcomes.apply(id)));
        }
        for (SentCommand c : commands) {
            c.instanceIds().forEach(id -> deliver(c.commandId(), id));
        }
    }

    /**
     * Sends the wave at the state's cursor with {@code token}, finishes its nodes with {@code outcomes}
     * and delivers their events; returns the state as the workflow has it after SendWave, with the
     * wave summary the listener returned through the token at {@code waveResult}.
     */
    ObjectNode runWave(ObjectNode state, String token, Function<String, InvocationOutcome> outcomes) {
        send(state, token);
        RunCursor c = RunCursor.of(state);
        finishAndDeliver(commands(c.runId, c.phase, c.wave), outcomes);
        return afterWave(state, token);
    }

    /** The state with {@code waveResult} from the one SendTaskSuccess of {@code token}. */
    ObjectNode afterWave(ObjectNode state, String token) {
        List<TaskSuccess> successes = t.aws().sfn().successes().stream().filter(s -> s.taskToken().equals(token)).toList();
        assertEquals(1, successes.size(), () -> "SendTaskSuccess calls for token " + token + ": " + successes);
        assertEquals(1, successCalls(token), () -> "fleetrun completes token " + token + " once");
        ObjectNode next = state.deepCopy();
        next.set("waveResult", successes.get(0).outputJson());
        return next;
    }

    /** The SendTaskSuccess calls fleetrun made for {@code token}, accepted or not (a closed token refuses them). */
    long successCalls(String token) {
        return t.aws().requests("SendTaskSuccess").stream()
                .filter(r -> r.input().path("taskToken").asText().equals(token)).count();
    }

    /** Runs one wave where every node succeeds, then Evaluate; returns Evaluate's state. */
    ObjectNode succeedWaveAndEvaluate(ObjectNode state, String token) {
        return (ObjectNode) evaluate.handle(runWave(state, token, id -> InvocationOutcome.success("ok " + id)));
    }

    /** The outcome {@code special} for the listed nodes and success for every other one. */
    static Function<String, InvocationOutcome> succeedExcept(Set<String> nodes, InvocationOutcome special) {
        return id -> nodes.contains(id) ? special : InvocationOutcome.success("ok " + id);
    }

    /** Where a run state points: run, phase, wave. */
    record RunCursor(String runId, Phase phase, int wave) {
        static RunCursor of(JsonNode state) {
            JsonNode c = state.path("cursor");
            return new RunCursor(state.path("runId").asText(), Phase.fromId(c.path("phase").asText("main")),
                    c.path("wave").asInt(1));
        }
    }
}
