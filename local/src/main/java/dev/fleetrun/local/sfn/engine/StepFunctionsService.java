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

    /**
     * What AWS refuses in a state machine or execution name: white space, brackets, wildcards, the special
     * characters {@code " # % \ ^ | ~ ` $ & , ; : /} and control characters.
     */
    private static final Pattern FORBIDDEN_IN_NAME = Pattern.compile("[\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\x00-\\x1f\\x7f-\\x9f]");
    private static final int MAX_NAME_LENGTH = 80;

    private final StepFunctionsEngine engine;
    private final Map<String, StateMachineRecord> machines = new ConcurrentHashMap<>();
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    /** Every execution in the order it started, so that lists are newest first even when start dates tie. */
    private final List<Execution> startOrder = new ArrayList<>();
    /** The state machine (as it was at the start) that each execution runs: DescribeStateMachineForExecution. */
    private final Map<String, StateMachineRecord> machineOfExecution = new ConcurrentHashMap<>();

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
            throw new SfnException("MissingRequiredParameter",
                    "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified");
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
     * @param input the input as JSON text, or {@code null} for {@code {}}; any JSON value is accepted, as AWS does
     */
    public synchronized Execution startExecution(String stateMachineArn, String name, String input) {
        StateMachineRecord machine = describeStateMachine(stateMachineArn);
        String executionName = name == null ? UUID.randomUUID().toString() : name;
        checkName(executionName, "execution");
        JsonNode parsedInput = parseInput(input);
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
        machineOfExecution.put(executionArn, machine);
        startOrder.add(execution);
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

    /** ListExecutions of a state machine, newest first (the last started first), optionally of one status. */
    public List<Execution> listExecutions(String stateMachineArn, ExecutionStatus statusFilter) {
        describeStateMachine(stateMachineArn);
        List<Execution> started;
        synchronized (this) {
            started = new ArrayList<>(startOrder);
        }
        List<Execution> list = new ArrayList<>();
        for (int i = started.size() - 1; i >= 0; i--) {
            Execution execution = started.get(i);
            if (execution.info().stateMachineArn().equals(stateMachineArn)
                    && (statusFilter == null || execution.status() == statusFilter)) {
                list.add(execution);
            }
        }
        return list;
    }

    /**
     * DescribeStateMachineForExecution: the state machine as it was when the execution started (a later
     * UpdateStateMachine does not change what a running execution runs).
     */
    public StateMachineRecord describeStateMachineForExecution(String executionArn) {
        describeExecution(executionArn);
        return machineOfExecution.get(executionArn);
    }

    /** StopExecution: aborts a running execution; stopping an ended one changes nothing. */
    public Execution stopExecution(String executionArn, String error, String cause) {
        Execution execution = describeExecution(executionArn);
        execution.stop(error, cause);
        return execution;
    }

    /** How long after it stopped an execution can be redriven (AWS: 14 days). */
    public static final java.time.Duration REDRIVABLE_PERIOD = java.time.Duration.ofDays(14);
    /** How long an execution may run in all, redrives included (AWS: a year). */
    public static final java.time.Duration MAX_EXECUTION_TIME = java.time.Duration.ofDays(365);
    /** The most events an execution's history holds (AWS: 25,000); one that reached it cannot be redriven. */
    public static final int MAX_HISTORY_EVENTS = 25_000;
    /** RedriveExecution answers again for the last this many client tokens of an execution ... */
    private static final int REMEMBERED_TOKENS = 10;
    /** ... each for this long after its first use. */
    private static final java.time.Duration TOKEN_LIFETIME = java.time.Duration.ofMinutes(15);
    /** Per execution ARN: client token to (first use, the redrive date it answered), oldest first. */
    private final Map<String, java.util.LinkedHashMap<String, java.time.Instant[]>> redriveTokens = new ConcurrentHashMap<>();

    /**
     * Why an execution cannot be redriven now, in AWS's words ({@code redriveStatusReason}), or {@code null}
     * when it can: only FAILED, TIMED_OUT and ABORTED executions of STANDARD state machines that still exist,
     * within 14 days of their stop, a year of their start and under the history's event limit.
     */
    public String notRedrivableReason(Execution execution) {
        ExecutionStatus status = execution.status();
        if (status == ExecutionStatus.RUNNING || status == ExecutionStatus.SUCCEEDED) {
            return "Execution is " + status + " and cannot be redriven";
        }
        StateMachineRecord machine = machineOfExecution.get(execution.arn());
        if (machine != null && "EXPRESS".equals(machine.type())) {
            return "Execution of an EXPRESS state machine cannot be redriven";
        }
        if (!machines.containsKey(execution.info().stateMachineArn())) {
            return "State machine is in DELETING status";
        }
        java.time.Instant now = engine.clock().now();
        if (execution.stopDate() != null && execution.stopDate().plus(REDRIVABLE_PERIOD).isBefore(now)) {
            return "Execution redrivable period exceeded";
        }
        if (execution.startDate().plus(MAX_EXECUTION_TIME).isBefore(now)) {
            return "Execution has exceeded the max execution time";
        }
        if (execution.history().size() >= MAX_HISTORY_EVENTS) {
            return "Execution history event limit exceeded";
        }
        return null;
    }

    /**
     * RedriveExecution: runs a FAILED, TIMED_OUT or ABORTED execution again from the state that did not
     * succeed, with the same input, ARN and definition; the results of the states that succeeded are kept
     * and those states are not run again (Parallel and Map states run only the branches and iterations that
     * did not succeed). A client token used in one of the last 10 redrives of the execution, within 15 minutes
     * of its first use, gets that redrive's date again and redrives nothing.
     *
     * @param clientToken the idempotency token, or {@code null}
     * @return the redrive's date
     */
    public java.time.Instant redriveExecution(String executionArn, String clientToken) {
        Execution execution = describeExecution(executionArn);
        synchronized (execution) {
            java.time.Instant now = engine.clock().now();
            java.util.LinkedHashMap<String, java.time.Instant[]> tokens =
                    redriveTokens.computeIfAbsent(executionArn, arn -> new java.util.LinkedHashMap<>());
            if (clientToken != null) {
                java.time.Instant[] used = tokens.get(clientToken);
                if (used != null && !used[0].plus(TOKEN_LIFETIME).isBefore(now)) {
                    return used[1];
                }
            }
            String reason = notRedrivableReason(execution);
            if (reason != null) {
                throw new SfnException("ExecutionNotRedrivable", reason + ": '" + executionArn + "'");
            }
            java.time.Instant date = execution.redrive(engine.services());
            if (clientToken != null) {
                tokens.remove(clientToken);
                tokens.put(clientToken, new java.time.Instant[] {now, date});
                while (tokens.size() > REMEMBERED_TOKENS) {
                    tokens.remove(tokens.keySet().iterator().next());
                }
            }
            return date;
        }
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

    private static JsonNode parseInput(String input) {
        if (input == null) {
            return Json.object();
        }
        if (input.isBlank()) {
            throw new SfnException("InvalidExecutionInput", "Invalid State Machine Execution Input: 'Invalid execution input.'"
                    + " (give a JSON value, or leave the input out for {})");
        }
        try {
            return Json.parse(input);
        } catch (JsonProcessingException e) {
            throw new SfnException("InvalidExecutionInput", "Invalid State Machine Execution Input: '"
                    + String.valueOf(e.getOriginalMessage()).replaceAll(", from `[^`]*`", "") + "'");
        }
    }

    private static void checkName(String name, String what) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH || FORBIDDEN_IN_NAME.matcher(name).find()) {
            throw new SfnException("InvalidName", "Invalid Name: '" + name + "' (a " + what + " name has 1 to "
                    + MAX_NAME_LENGTH + " characters, without white space, brackets, wildcards, control characters"
                    + " or any of \" # % \\ ^ | ~ ` $ & , ; : /)");
        }
    }
}
