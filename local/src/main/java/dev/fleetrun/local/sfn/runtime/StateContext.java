package dev.fleetrun.local.sfn.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.sfn.history.HistoryEventType;
import dev.fleetrun.local.sfn.json.Json;
import dev.fleetrun.local.sfn.path.Bindings;
import dev.fleetrun.local.sfn.time.EngineClock;
import dev.fleetrun.local.sfn.time.Signal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * One state being run: the branch it runs in, its name and entry time, its retry count, its task token and
 * the current Map item, which together make the context object ({@code $$}).
 */
public final class StateContext {

    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ISO_INSTANT;

    private final BranchContext branch;
    private final String stateName;
    private final Instant enteredTime;
    private int retryCount;
    private String taskToken;
    private JsonNode mapItemIndex;
    private JsonNode mapItemValue;

    public StateContext(BranchContext branch, String stateName, Instant enteredTime) {
        this.branch = branch;
        this.stateName = stateName;
        this.enteredTime = enteredTime;
    }

    /** The branch the state runs in. */
    public BranchContext branch() {
        return branch;
    }

    /** The engine's services. */
    public EngineServices services() {
        return branch.services();
    }

    /** The execution's facts. */
    public ExecutionInfo execution() {
        return branch.execution().info();
    }

    /** The state's name. */
    public String stateName() {
        return stateName;
    }

    /** The engine's clock. */
    public EngineClock clock() {
        return branch.services().clock();
    }

    /** {@code $$.State.RetryCount}: how many times the state has been retried so far. */
    public int retryCount() {
        return retryCount;
    }

    /** Sets the retry count before another attempt. */
    public void retryCount(int count) {
        this.retryCount = count;
    }

    /** Sets {@code $$.Task.Token} for the current attempt ({@code null} for none). */
    public void taskToken(String token) {
        this.taskToken = token;
    }

    /** Sets {@code $$.Map.Item} while an ItemSelector is evaluated ({@code null}s to clear). */
    public void mapItem(JsonNode index, JsonNode value) {
        this.mapItemIndex = index;
        this.mapItemValue = value;
    }

    /** Records an event in the history, chained in this state's branch. */
    public long emit(HistoryEventType type, Map<String, Object> details) {
        return branch.emit(type, details);
    }

    /** What paths and expressions see besides the input: the context object and the variables. */
    public Bindings bindings() {
        return new Bindings(this::contextObject, branch.variables()::get);
    }

    /** The context object as it is now. */
    public ObjectNode contextObject() {
        ExecutionInfo info = execution();
        ObjectNode context = Json.object();
        ObjectNode execution = context.putObject("Execution");
        execution.put("Id", info.executionArn());
        execution.set("Input", info.input());
        execution.put("Name", info.name());
        execution.put("RoleArn", info.roleArn());
        execution.put("StartTime", timestamp(info.startTime()));
        execution.put("RedriveCount", branch.execution().redriveCount());
        if (branch.execution().redriveTime() != null) {
            execution.put("RedriveTime", timestamp(branch.execution().redriveTime()));
        }
        ObjectNode state = context.putObject("State");
        state.put("EnteredTime", timestamp(enteredTime));
        state.put("Name", stateName);
        state.put("RetryCount", retryCount);
        ObjectNode machine = context.putObject("StateMachine");
        machine.put("Id", info.stateMachineArn());
        machine.put("Name", info.stateMachineName());
        if (taskToken != null) {
            context.putObject("Task").put("Token", taskToken);
        }
        if (mapItemIndex != null) {
            ObjectNode item = context.putObject("Map").putObject("Item");
            item.set("Index", mapItemIndex);
            item.set("Value", mapItemValue);
        }
        return context;
    }

    /** An instant as the context object writes it: ISO 8601 in UTC with milliseconds. */
    public static String timestamp(Instant instant) {
        Instant millis = instant.truncatedTo(ChronoUnit.MILLIS);
        String text = ISO_MILLIS.format(millis);
        if (millis.getNano() == 0) {
            text = text.substring(0, text.length() - 1) + ".000Z";
        }
        return text;
    }

    /**
     * Waits on the clock for {@code signal} or {@code deadline}; a cancelled branch ends the wait with
     * {@link dev.fleetrun.local.sfn.errors.ExecutionCancelled}.
     */
    public boolean await(Signal signal, Instant deadline) {
        branch.scope().check();
        try {
            return clock().await(signal, deadline);
        } catch (InterruptedException e) {
            throw branch.scope().cancelled();
        }
    }

    /** Sleeps until {@code deadline}, unless the branch is cancelled. */
    public void sleepUntil(Instant deadline) {
        await(clock().newSignal(), deadline);
    }
}
