package dev.fleetrun.local.sfn.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.Definition;
import dev.fleetrun.local.sfn.definition.DefinitionParser;
import dev.fleetrun.local.sfn.definition.InvalidDefinitionException;
import dev.fleetrun.local.sfn.history.HistoryEvent;
import dev.fleetrun.local.sfn.json.Json;
import dev.fleetrun.local.sfn.task.TaskTokenException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The Step Functions control plane over the engine, with AWS's rules and error codes: state machines by ARN
 * (create, describe, list, update, delete), executions by ARN (start, describe, list, stop, history) and the
 * task-token calls. The HTTP layer (AWS JSON 1.0) maps requests to these methods and {@link SfnException}s
 * to error responses; nothing here knows about HTTP.
 */
public final class StepFunctionsService {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    private final StepFunctionsEngine engine;
    private final Map<String, StateMachineRecord> machines = new ConcurrentHashMap<>();
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();

    public StepFunctionsService(StepFunctionsEngine engine) {
        this.engine = engine;
    }

    /** The engine underneath (its clock, its invokers). */
    public StepFunctionsEngine engine() {
        return engine;
    }

    /**
     * CreateStateMachine. Creating one with the name, definition and role of an existing one returns that one,
     * as AWS does; with anything different it is refused.
     */
    public synchronized StateMachineRecord createStateMachine(String name, String definition, String roleArn, String type) {
        checkName(name, "state machine");
        Definition parsed = parse(definition);
        String arn = "arn:aws:states:" + engine.services().region() + ":" + engine.services().accountId() + ":stateMachine:" + name;
        StateMachineRecord existing = machines.get(arn);
        if (existing != null) {
            if (existing.definitionText().equals(definition) && Objects.equals(existing.roleArn(), roleArn)) {
                return existing;
            }
            throw new SfnException("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'");
        }
        StateMachineRecord created = new StateMachineRecord(arn, name, definition, parsed, roleArn,
                type == null ? "STANDARD" : type, engine.clock().now(), engine.clock().now());
        machines.put(arn, created);
        return created;
    }

    /** DescribeStateMachine. */
    public StateMachineRecord describeStateMachine(String arn) {
        StateMachineRecord machine = machines.get(arn);
        if (machine == null) {
            throw new SfnException("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
        }
        return machine;
    }

    /** ListStateMachines, by name. */
    public List<StateMachineRecord> listStateMachines() {
        return machines.values().stream().sorted(Comparator.comparing(StateMachineRecord::name)).toList();
    }

    /** UpdateStateMachine: a new definition and/or role; running executions keep the old definition. */
    public synchronized StateMachineRecord updateStateMachine(String arn, String definition, String roleArn) {
        StateMachineRecord machine = describeStateMachine(arn);
        if (definition == null && roleArn == null) {
            throw new SfnException("MissingRequiredParameter", "Either the definition or the roleArn must be given");
        }
        Definition parsed = definition == null ? machine.definition() : parse(definition);
        StateMachineRecord updated = new StateMachineRecord(arn, machine.name(), definition == null ? machine.definitionText() : definition,
                parsed, roleArn == null ? machine.roleArn() : roleArn, machine.type(), machine.creationDate(), engine.clock().now());
        machines.put(arn, updated);
        return updated;
    }

    /** DeleteStateMachine; running executions go on. Deleting one that does not exist succeeds, as in AWS. */
    public void deleteStateMachine(String arn) {
        machines.remove(arn);
    }

    /**
     * StartExecution. A name used before for this state machine is refused with ExecutionAlreadyExists,
     * unless the input is the same and that execution is still running (AWS returns it again).
     *
     * @param name  the execution name, or {@code null} for a generated one
     * @param input the input as JSON text, or {@code null} for {@code {}}
     */
    public synchronized Execution startExecution(String stateMachineArn, String name, String input) {
        StateMachineRecord machine = describeStateMachine(stateMachineArn);
        String executionName = name == null ? UUID.randomUUID().toString() : name;
        checkName(executionName, "execution");
        JsonNode parsedInput;
        try {
            parsedInput = input == null ? Json.object() : Json.parse(input);
        } catch (JsonProcessingException e) {
            throw new SfnException("InvalidExecutionInput", "Invalid execution input: " + e.getOriginalMessage());
        }
        String executionArn = stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + executionName;
        Execution existing = executions.get(executionArn);
        if (existing != null) {
            if (existing.status() == ExecutionStatus.RUNNING && existing.info().input().equals(parsedInput)) {
                return existing;
            }
            throw new SfnException("ExecutionAlreadyExists", "Execution Already Exists: '" + executionArn + "'");
        }
        Execution execution = engine.start(machine.definition(), stateMachineArn, executionName, parsedInput, machine.roleArn());
        executions.put(executionArn, execution);
        return execution;
    }

    /** DescribeExecution. */
    public Execution describeExecution(String executionArn) {
        Execution execution = executions.get(executionArn);
        if (execution == null) {
            throw new SfnException("ExecutionDoesNotExist", "Execution Does Not Exist: '" + executionArn + "'");
        }
        return execution;
    }

    /** ListExecutions of a state machine, newest first, optionally of one status. */
    public List<Execution> listExecutions(String stateMachineArn, ExecutionStatus statusFilter) {
        describeStateMachine(stateMachineArn);
        List<Execution> list = new ArrayList<>();
        for (Execution execution : executions.values()) {
            if (execution.info().stateMachineArn().equals(stateMachineArn)
                    && (statusFilter == null || execution.status() == statusFilter)) {
                list.add(execution);
            }
        }
        list.sort(Comparator.comparing(Execution::startDate).reversed().thenComparing(Execution::name));
        return list;
    }

    /** StopExecution: aborts a running execution; stopping an ended one changes nothing. */
    public Execution stopExecution(String executionArn, String error, String cause) {
        Execution execution = describeExecution(executionArn);
        execution.stop(error, cause);
        return execution;
    }

    /** GetExecutionHistory, oldest first (or newest first). */
    public List<HistoryEvent> getExecutionHistory(String executionArn, boolean reverseOrder) {
        List<HistoryEvent> events = new ArrayList<>(describeExecution(executionArn).history().events());
        if (reverseOrder) {
            java.util.Collections.reverse(events);
        }
        return events;
    }

    /** SendTaskSuccess. */
    public void sendTaskSuccess(String taskToken, String output) {
        try {
            engine.sendTaskSuccess(taskToken, output);
        } catch (TaskTokenException e) {
            throw new SfnException(e.code(), e.getMessage());
        }
    }

    /** SendTaskFailure. */
    public void sendTaskFailure(String taskToken, String error, String cause) {
        try {
            engine.sendTaskFailure(taskToken, error, cause);
        } catch (TaskTokenException e) {
            throw new SfnException(e.code(), e.getMessage());
        }
    }

    /** SendTaskHeartbeat. */
    public void sendTaskHeartbeat(String taskToken) {
        try {
            engine.sendTaskHeartbeat(taskToken);
        } catch (TaskTokenException e) {
            throw new SfnException(e.code(), e.getMessage());
        }
    }

    private static Definition parse(String definition) {
        if (definition == null) {
            throw new SfnException("InvalidDefinition", "Invalid State Machine Definition: the definition is missing");
        }
        try {
            return DefinitionParser.parse(definition);
        } catch (InvalidDefinitionException e) {
            throw new SfnException("InvalidDefinition", e.getMessage());
        }
    }

    private static void checkName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new SfnException("InvalidName", "Invalid Name: '" + name + "' (a " + what
                    + " name has 1 to 80 letters, digits, '-' or '_')");
        }
    }
}
