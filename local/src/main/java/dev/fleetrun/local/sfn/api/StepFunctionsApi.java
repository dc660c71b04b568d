package dev.fleetrun.local.sfn.api;

import static dev.fleetrun.local.wire.RequestFields.checkLength;
import static dev.fleetrun.local.wire.RequestFields.checkRange;
import static dev.fleetrun.local.wire.RequestFields.has;
import static dev.fleetrun.local.wire.RequestFields.optionalBoolean;
import static dev.fleetrun.local.wire.RequestFields.optionalInt;
import static dev.fleetrun.local.wire.RequestFields.optionalText;
import static dev.fleetrun.local.wire.RequestFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.sfn.engine.Execution;
import dev.fleetrun.local.sfn.engine.SfnException;
import dev.fleetrun.local.sfn.engine.StateMachineRecord;
import dev.fleetrun.local.sfn.engine.StepFunctionsService;
import dev.fleetrun.local.sfn.history.HistoryEvent;
import dev.fleetrun.local.sfn.time.EngineClock;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.AwsJsonProtocol;
import dev.fleetrun.local.wire.AwsServer;
import dev.fleetrun.local.wire.AwsService;
import dev.fleetrun.local.wire.RequestFields;
import dev.fleetrun.local.wire.WireTree;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The AWS Step Functions API (AWS JSON 1.0, {@code X-Amz-Target: AWSStepFunctions.<Operation>}) over a
 * {@link StepFunctionsService}, so that the AWS SDK's {@code SfnClient}, the AWS CLI and the console's
 * scripts work against the embedded engine unchanged. It checks requests as AWS's front end does (required
 * members, lengths, ranges and enums: {@code ValidationException}; ARN shapes: {@code InvalidArn}), answers
 * in AWS's shapes ({@link ApiShapes}) and pages lists with tokens that survive a growing list
 * ({@link PageToken}).
 *
 * <pre>{@code
 * AwsServer server = AwsServer.start(0);
 * StepFunctionsApi.install(server, new StepFunctionsService(engine));
 * // SfnClient.builder().endpointOverride(server.endpoint())...
 * }</pre>
 *
 * Not implemented: versions and aliases ({@code publish: true} is refused), activities, Map Runs,
 * StartSyncExecution, tagging, TestState; those operations are answered with
 * {@code UnknownOperationException} naming what is implemented. Logging, tracing and encryption
 * configurations are accepted and not applied.
 */
public final class StepFunctionsApi extends AwsService {

    /** The {@code X-Amz-Target} prefix of Step Functions. */
    public static final String TARGET_PREFIX = "AWSStepFunctions";

    private static final List<String> OPERATIONS = List.of(
            "CreateStateMachine", "DescribeStateMachine", "ListStateMachines", "UpdateStateMachine", "DeleteStateMachine",
            "StartExecution", "DescribeExecution", "ListExecutions", "StopExecution", "RedriveExecution", "GetExecutionHistory",
            "DescribeStateMachineForExecution", "SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat");

    /**
     * ExecutionStatus as the API model has it: PENDING_REDRIVE is valid in a filter, and nothing here has it
     * (a redrive here starts at once: the execution goes from FAILED, TIMED_OUT or ABORTED straight to RUNNING).
     */
    private static final List<String> EXECUTION_STATUSES =
            List.of("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE");
    private static final int DEFAULT_PAGE_SIZE = 100;
    private static final int MAX_PAGE_SIZE = 1000;
    private static final int MAX_NAME = 80;
    private static final int MAX_ARN = 256;
    private static final int MAX_DEFINITION = 1_048_576;
    private static final int MAX_DATA = 262_144;
    private static final int MAX_ERROR = 256;
    private static final int MAX_CAUSE = 32_768;
    private static final int MAX_TOKEN = 2048;
    private static final int MAX_CLIENT_TOKEN = 64;
    private static final int MAX_PAGE_TOKEN = 1024;
    private static final int MAX_EXECUTIONS_PAGE_TOKEN = 3096;

    private final StepFunctionsService service;

    public StepFunctionsApi(StepFunctionsService service) {
        super("sfn", new AwsJsonProtocol("1.0"), OPERATIONS, new EngineTime(service.engine().clock()));
        this.service = service;
    }

    /** Hosts a Step Functions API over {@code service} on {@code server}, under {@link #TARGET_PREFIX}. */
    public static StepFunctionsApi install(AwsServer server, StepFunctionsService service) {
        StepFunctionsApi api = new StepFunctionsApi(service);
        server.jsonService(TARGET_PREFIX, api);
        return api;
    }

    /** The control plane underneath. */
    public StepFunctionsService service() {
        return service;
    }

    @Override
    protected JsonNode handle(String operation, JsonNode input) {
        try {
            return switch (operation) {
                case "CreateStateMachine" -> createStateMachine(input);
                case "DescribeStateMachine" -> describeStateMachine(input);
                case "ListStateMachines" -> listStateMachines(input);
                case "UpdateStateMachine" -> updateStateMachine(input);
                case "DeleteStateMachine" -> deleteStateMachine(input);
                case "StartExecution" -> startExecution(input);
                case "DescribeExecution" -> describeExecution(input);
                case "ListExecutions" -> listExecutions(input);
                case "StopExecution" -> stopExecution(input);
                case "RedriveExecution" -> redriveExecution(input);
                case "GetExecutionHistory" -> getExecutionHistory(input);
                case "DescribeStateMachineForExecution" -> describeStateMachineForExecution(input);
                case "SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat" -> taskCall(operation, input);
                default -> throw AwsError.unknownOperation(name(), operation, operations());
            };
        } catch (SfnException refusal) {
            throw ApiErrors.of(refusal);
        }
    }

    // ---- state machines ----

    private JsonNode createStateMachine(JsonNode input) {
        String name = requiredText(input, "name");
        checkLength("name", name, 1, MAX_NAME);
        String definition = requiredText(input, "definition");
        checkLength("definition", definition, 1, MAX_DEFINITION);
        String roleArn = role(requiredText(input, "roleArn"));
        String type = enumValue(input, "type", List.of("STANDARD", "EXPRESS"));
        refuseVersions(input);
        StateMachineRecord machine = service.createStateMachine(name, definition, roleArn, type);
        ObjectNode out = WireTree.object();
        out.put("stateMachineArn", machine.arn());
        out.putPOJO("creationDate", machine.creationDate());
        return out;
    }

    private JsonNode describeStateMachine(JsonNode input) {
        enumValue(input, "includedData", List.of("ALL_DATA", "METADATA_ONLY"));
        return ApiShapes.stateMachine(service.describeStateMachine(stateMachineArn(input, "stateMachineArn")));
    }

    private JsonNode listStateMachines(JsonNode input) {
        int pageSize = pageSize(input);
        String token = pageToken(input, MAX_PAGE_TOKEN);
        List<StateMachineRecord> all = service.listStateMachines();
        List<StateMachineRecord> rest = all;
        String request = "ListStateMachines";
        if (token != null) {
            String after = PageToken.position(token, request);
            rest = all.stream().filter(machine -> machine.name().compareTo(after) > 0).toList();
        }
        return page(rest, pageSize, "stateMachines", ApiShapes::stateMachineListItem,
                last -> PageToken.issue(request, last.name()));
    }

    private JsonNode updateStateMachine(JsonNode input) {
        String arn = stateMachineArn(input, "stateMachineArn");
        String definition = optionalText(input, "definition", null);
        checkLength("definition", definition, 1, MAX_DEFINITION);
        String roleArn = optionalText(input, "roleArn", null);
        if (roleArn != null) {
            role(roleArn);
        }
        refuseVersions(input);
        StateMachineRecord machine;
        if (definition == null && roleArn == null
                && (has(input, "loggingConfiguration") || has(input, "tracingConfiguration"))) {
            machine = service.describeStateMachine(arn); // accepted, not applied: nothing changes
        } else {
            machine = service.updateStateMachine(arn, definition, roleArn);
        }
        ObjectNode out = WireTree.object();
        out.putPOJO("updateDate", machine.updateDate());
        return out;
    }

    private JsonNode deleteStateMachine(JsonNode input) {
        service.deleteStateMachine(stateMachineArn(input, "stateMachineArn"));
        return WireTree.object();
    }

    // ---- executions ----

    private JsonNode startExecution(JsonNode input) {
        String arn = stateMachineArn(input, "stateMachineArn");
        String name = optionalText(input, "name", null);
        checkLength("name", name, 1, MAX_NAME);
        String executionInput = optionalText(input, "input", null);
        checkLength("input", executionInput, 0, MAX_DATA);
        Execution execution = service.startExecution(arn, name, executionInput);
        ObjectNode out = WireTree.object();
        out.put("executionArn", execution.arn());
        out.putPOJO("startDate", execution.startDate());
        return out;
    }

    private JsonNode describeExecution(JsonNode input) {
        boolean includeData = !"METADATA_ONLY".equals(enumValue(input, "includedData", List.of("ALL_DATA", "METADATA_ONLY")));
        Execution execution = service.describeExecution(executionArn(input));
        return ApiShapes.execution(execution, includeData, service.notRedrivableReason(execution));
    }

    private JsonNode describeStateMachineForExecution(JsonNode input) {
        enumValue(input, "includedData", List.of("ALL_DATA", "METADATA_ONLY"));
        return ApiShapes.stateMachineForExecution(service.describeStateMachineForExecution(executionArn(input)));
    }

    private JsonNode listExecutions(JsonNode input) {
        if (has(input, "mapRunArn")) {
            throw AwsError.notImplemented("Map Runs (Distributed Map)", "list the executions of a state machine by its stateMachineArn");
        }
        if (!has(input, "stateMachineArn")) {
            throw AwsError.of("ValidationException", "Must provide a StateMachine ARN or MapRun ARN");
        }
        String arn = stateMachineArn(input, "stateMachineArn");
        String status = enumValue(input, "statusFilter", EXECUTION_STATUSES);
        String redrive = enumValue(input, "redriveFilter", List.of("REDRIVEN", "NOT_REDRIVEN"));
        int pageSize = pageSize(input);
        String token = pageToken(input, MAX_EXECUTIONS_PAGE_TOKEN);

        List<Execution> all = service.listExecutions(arn, null);
        List<Execution> rest = all;
        String request = "ListExecutions\t" + arn + "\t" + status + "\t" + redrive;
        if (token != null) {
            String afterArn = PageToken.position(token, request);
            int index = indexOf(all, execution -> execution.arn().equals(afterArn));
            rest = all.subList(index + 1, all.size());
        }
        Predicate<Execution> selected = execution -> (status == null || execution.status().name().equals(status))
                && (redrive == null || (execution.redriveCount() > 0) == "REDRIVEN".equals(redrive));
        return page(rest.stream().filter(selected).toList(), pageSize, "executions", ApiShapes::executionListItem,
                last -> PageToken.issue(request, last.arn()));
    }

    private JsonNode stopExecution(JsonNode input) {
        String arn = executionArn(input);
        String error = optionalText(input, "error", null);
        checkLength("error", error, 0, MAX_ERROR);
        String cause = optionalText(input, "cause", null);
        checkLength("cause", cause, 0, MAX_CAUSE);
        Execution execution = service.stopExecution(arn, error, cause);
        ObjectNode out = WireTree.object();
        out.putPOJO("stopDate", execution.stopDate());
        return out;
    }

    private JsonNode redriveExecution(JsonNode input) {
        String arn = executionArn(input);
        String clientToken = optionalText(input, "clientToken", null);
        checkLength("clientToken", clientToken, 1, MAX_CLIENT_TOKEN);
        if (clientToken != null && !clientToken.chars().allMatch(c -> c >= '!' && c <= '~')) {
            throw AwsError.validation(RequestFields.member("clientToken"), clientToken,
                    "Member must satisfy regular expression pattern: [!-~]+");
        }
        ObjectNode out = WireTree.object();
        out.putPOJO("redriveDate", service.redriveExecution(arn, clientToken));
        return out;
    }

    private JsonNode getExecutionHistory(JsonNode input) {
        String arn = executionArn(input);
        boolean reverse = optionalBoolean(input, "reverseOrder");
        boolean includeData = optionalBoolean(input, "includeExecutionData", true);
        int pageSize = pageSize(input);
        String token = pageToken(input, MAX_PAGE_TOKEN);

        List<HistoryEvent> rest = service.getExecutionHistory(arn, reverse);
        String request = "GetExecutionHistory\t" + arn + "\t" + reverse;
        if (token != null) {
            long afterId = PageToken.eventId(token, request);
            rest = rest.stream().filter(event -> reverse ? event.id() < afterId : event.id() > afterId).toList();
        }
        return page(rest, pageSize, "events", event -> ApiShapes.event(event, includeData),
                last -> PageToken.issue(request, Long.toString(last.id())));
    }

    // ---- task tokens ----

    private JsonNode taskCall(String operation, JsonNode input) {
        String token = requiredText(input, "taskToken");
        checkLength("taskToken", token, 1, MAX_TOKEN);
        try {
            switch (operation) {
                case "SendTaskSuccess" -> {
                    String output = requiredText(input, "output");
                    checkLength("output", output, 0, MAX_DATA);
                    service.sendTaskSuccess(token, output);
                }
                case "SendTaskFailure" -> {
                    String error = optionalText(input, "error", null);
                    checkLength("error", error, 0, MAX_ERROR);
                    String cause = optionalText(input, "cause", null);
                    checkLength("cause", cause, 0, MAX_CAUSE);
                    service.sendTaskFailure(token, error, cause);
                }
                default -> service.sendTaskHeartbeat(token);
            }
        } catch (SfnException refusal) {
            throw ApiErrors.ofTaskCall(refusal, token);
        }
        return WireTree.object();
    }

    // ---- request members ----

    private static String stateMachineArn(JsonNode input, String field) {
        String arn = requiredText(input, field);
        checkLength(field, arn, 1, MAX_ARN);
        return SfnArn.stateMachine(arn);
    }

    private static String executionArn(JsonNode input) {
        String arn = requiredText(input, "executionArn");
        checkLength("executionArn", arn, 1, MAX_ARN);
        return SfnArn.execution(arn);
    }

    private static String role(String roleArn) {
        checkLength("roleArn", roleArn, 1, MAX_ARN);
        return SfnArn.role(roleArn);
    }

    private static void refuseVersions(JsonNode input) {
        if (optionalBoolean(input, "publish")) {
            throw AwsError.notImplemented("state machine versions (publish: true)",
                    "leave publish out: executions run the state machine's latest definition");
        }
    }

    /** An optional enum member; a value outside {@code allowed} is a ValidationException. */
    private static String enumValue(JsonNode input, String field, List<String> allowed) {
        String value = optionalText(input, field, null);
        if (value == null || allowed.contains(value)) {
            return value;
        }
        throw AwsError.validation(RequestFields.member(field), value, "Member must satisfy enum value set: " + allowed);
    }

    private static int pageSize(JsonNode input) {
        Integer maxResults = optionalInt(input, "maxResults");
        checkRange("maxResults", maxResults, 0, MAX_PAGE_SIZE);
        return maxResults == null || maxResults == 0 ? DEFAULT_PAGE_SIZE : maxResults;
    }

    private static String pageToken(JsonNode input, int maxLength) {
        String token = optionalText(input, "nextToken", null);
        checkLength("nextToken", token, 1, maxLength);
        return token;
    }

    private static <T> int indexOf(List<T> items, Predicate<T> match) {
        for (int i = 0; i < items.size(); i++) {
            if (match.test(items.get(i))) {
                return i;
            }
        }
        throw AwsError.of("InvalidToken", "Invalid Token: 'The nextToken is not valid: the item it continues from is gone'");
    }

    /** The first {@code pageSize} of {@code rest} under {@code member}, and a nextToken when more follow. */
    private static <T> JsonNode page(List<T> rest, int pageSize, String member, Function<T, ObjectNode> shape,
                                     Function<T, String> tokenAfter) {
        ObjectNode out = WireTree.object();
        ArrayNode items = out.putArray(member);
        List<T> page = rest.subList(0, Math.min(pageSize, rest.size()));
        page.forEach(item -> items.add(shape.apply(item)));
        if (rest.size() > page.size()) {
            out.put("nextToken", tokenAfter.apply(page.get(page.size() - 1)));
        }
        return out;
    }

    /** The engine's time as a {@link Clock}, so that this service's timestamps agree with the executions'. */
    private static final class EngineTime extends Clock {
        private final EngineClock clock;

        EngineTime(EngineClock clock) {
            this.clock = clock;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return clock.now();
        }
    }
}
