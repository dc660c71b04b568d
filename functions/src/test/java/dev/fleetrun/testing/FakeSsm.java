package dev.fleetrun.testing;

import dev.fleetrun.local.wire.AwsService;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.AwsJsonProtocol;
import dev.fleetrun.local.wire.Page;
import dev.fleetrun.local.wire.RequestFields;
import dev.fleetrun.local.wire.WireTree;
import static dev.fleetrun.local.wire.RequestFields.checkLength;
import static dev.fleetrun.local.wire.RequestFields.checkPattern;
import static dev.fleetrun.local.wire.RequestFields.checkRange;
import static dev.fleetrun.local.wire.RequestFields.checkSize;
import static dev.fleetrun.local.wire.RequestFields.optionalInt;
import static dev.fleetrun.local.wire.RequestFields.optionalText;
import static dev.fleetrun.local.wire.RequestFields.requiredText;
import static dev.fleetrun.local.wire.RequestFields.textList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Systems Manager Run Command over AWS JSON 1.1 ({@code X-Amz-Target: AmazonSSM.<Op>}), against a
 * scripted fleet: SendCommand, ListCommands, ListCommandInvocations, GetCommandInvocation,
 * CancelCommand, DescribeInstanceInformation.
 *
 * <p>Nothing runs on the nodes: an invocation stays {@code Pending} until the test moves it, with
 * {@link #complete} or with a policy given to {@link #onSend} that runs for every accepted command.
 * {@link #invocationEvent} and {@link #commandEvent} then build the EventBridge events SSM would emit.
 *
 * <p>SendCommand checks what SSM checks: DocumentName (pattern, and a known document, else
 * {@code InvalidDocument}), 1 to 50 InstanceIds of the right form, each registered in the fleet
 * (else {@code InvalidInstanceId}) and none twice ({@code DuplicateInstanceId}), Comment at most 100
 * characters, TimeoutSeconds 30 to 2592000, the MaxConcurrency and MaxErrors patterns, the
 * document's parameters ({@code InvalidParameters}). Not simulated: {@code Targets} (fleetrun sends
 * InstanceIds), MaxErrors enforcement, rate-controlled dispatch, eventual consistency.
 */
public final class FakeSsm extends AwsService {
    private static final String MAX_CONCURRENCY_PATTERN = "^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$";
    private static final String MAX_ERRORS_PATTERN = "^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$";
    private static final String DOCUMENT_NAME_PATTERN = "^[a-zA-Z0-9_\\-.:/]{3,128}$";
    private static final String DOCUMENT_VERSION_PATTERN = "([$]LATEST|[$]DEFAULT|^[1-9][0-9]*$)";

    private final Map<String, ManagedNode> nodes = new LinkedHashMap<>();
    private final Map<String, SsmDocument> documents = new LinkedHashMap<>();
    private final Map<String, SsmCommand> commands = new LinkedHashMap<>();
    private Consumer<SentCommand> onSend = command -> { };

    FakeSsm(Clock clock) {
        super("ssm", new AwsJsonProtocol("1.1"), List.of("SendCommand", "ListCommands", "ListCommandInvocations",
                "GetCommandInvocation", "CancelCommand", "DescribeInstanceInformation"), clock);
        SsmDocument.builtIn().forEach(document -> documents.put(document.name(), document));
    }

    // ---- the fleet and the documents ----

    /**
     * Registers a managed node.
     *
     * @param instanceId   {@code i-} + 8 or 17 word characters, or {@code mi-} + 17
     * @param platformType Linux, Windows or MacOS
     * @param pingStatus   Online, ConnectionLost or Inactive
     * @param tags         the node's tags, matched by {@code tag:<key>} and {@code tag-key} filters
     */
    public synchronized FakeSsm addNode(String instanceId, String platformType, String pingStatus,
                                        Map<String, String> tags) {
        if (nodes.containsKey(instanceId)) {
            throw new IllegalArgumentException("Node " + instanceId + " is already in the fleet");
        }
        nodes.put(instanceId, new ManagedNode(instanceId, platformType, pingStatus, tags, now()));
        return this;
    }

    /** Changes a node's ping status (a node going offline or coming back). */
    public synchronized FakeSsm setPingStatus(String instanceId, String pingStatus) {
        nodes.put(instanceId, node(instanceId).withPingStatus(pingStatus));
        return this;
    }

    /** Deregisters a node: it no longer appears, and SendCommand to it fails with InvalidInstanceId. */
    public synchronized FakeSsm removeNode(String instanceId) {
        node(instanceId);
        nodes.remove(instanceId);
        return this;
    }

    /**
     * Makes a custom Command document known (AWS-RunShellScript and AWS-RunPowerShellScript are
     * built in). It accepts any parameters.
     *
     * @param stepName the name of its one step, reported as GetCommandInvocation's PluginName
     */
    public synchronized FakeSsm addDocument(String name, String stepName) {
        documents.put(name, new SsmDocument(name, stepName, null));
        return this;
    }

    // ---- what happens on the nodes ----

    /**
     * Runs {@code policy} for every command SendCommand accepts, after the command is stored and
     * before SendCommand answers (the answer still says Pending, as SSM's does). Replaces the
     * previous policy; the default leaves every invocation Pending. The policy runs under this
     * service's lock: it moves invocations through the {@link SentCommand} it is given and must not
     * call the fake over HTTP. If it throws, SendCommand answers HTTP 500 and {@link FakeAws#close()}
     * rethrows.
     */
    public synchronized void onSend(Consumer<SentCommand> policy) {
        this.onSend = Objects.requireNonNull(policy, "policy");
    }

    /**
     * Moves one invocation, as the agent's report would.
     *
     * @param status        Pending, InProgress, Delayed, Success, Cancelled, TimedOut, Failed or Cancelling
     * @param statusDetails e.g. Success, Failed, ExecutionTimedOut, DeliveryTimedOut, Undeliverable
     * @param responseCode  the script's exit code, -1 when it never ran
     */
    public void complete(String commandId, String instanceId, String status, String statusDetails,
                         int responseCode, String stdout, String stderr) {
        complete(commandId, instanceId, new InvocationOutcome(status, statusDetails, responseCode, stdout, stderr));
    }

    /** Moves one invocation to {@code outcome}. The script decides: a terminal status may be changed again. */
    public synchronized void complete(String commandId, String instanceId, InvocationOutcome outcome) {
        invocation(commandId, instanceId).apply(outcome, now());
    }

    /** Every accepted command, in the order they were sent. */
    public synchronized List<SentCommand> commands() {
        return commands.values().stream().map(command -> new SentCommand(this, command)).toList();
    }

    public synchronized SentCommand command(String commandId) {
        return new SentCommand(this, command(commandId, true));
    }

    /** The {@code EC2 Command Invocation Status-change Notification} for the invocation's current status. */
    public synchronized String invocationEvent(String commandId, String instanceId) {
        return SsmEvents.invocationEvent(command(commandId, true), invocation(commandId, instanceId), now());
    }

    /** The {@code EC2 Command Status-change Notification} for the command's current status. */
    public synchronized String commandEvent(String commandId) {
        return SsmEvents.commandEvent(command(commandId, true), now());
    }

    synchronized CommandRollup rollup(SsmCommand command) {
        return command.rollup();
    }

    synchronized InvocationOutcome outcome(String commandId, String instanceId) {
        return invocation(commandId, instanceId).outcome();
    }

    // ---- the API ----

    @Override
    protected JsonNode handle(String operation, JsonNode input) {
        return switch (operation) {
            case "SendCommand" -> sendCommand(input);
            case "ListCommands" -> listCommands(input);
            case "ListCommandInvocations" -> listCommandInvocations(input);
            case "GetCommandInvocation" -> getCommandInvocation(input);
            case "CancelCommand" -> cancelCommand(input);
            case "DescribeInstanceInformation" -> describeInstanceInformation(input);
            default -> throw AwsError.unknownOperation(name(), operation, operations());
        };
    }

    private JsonNode sendCommand(JsonNode input) {
        String documentName = requiredText(input, "DocumentName");
        checkPattern("DocumentName", documentName, DOCUMENT_NAME_PATTERN);
        checkPattern("DocumentVersion", optionalText(input, "DocumentVersion", null), DOCUMENT_VERSION_PATTERN);
        if (RequestFields.has(input, "Targets")) {
            throw AwsError.notImplemented("SendCommand with Targets",
                    "resolve the nodes (DescribeInstanceInformation) and send InstanceIds, as fleetrun does");
        }
        List<String> instanceIds = instanceIds(input, "InstanceIds", 1);
        String comment = optionalText(input, "Comment", "");
        checkLength("Comment", comment, 0, 100);
        Integer timeoutSeconds = optionalInt(input, "TimeoutSeconds");
        checkRange("TimeoutSeconds", timeoutSeconds, 30, 2592000);
        String maxConcurrency = optionalText(input, "MaxConcurrency", "50");
        checkLength("MaxConcurrency", maxConcurrency, 1, 7);
        checkPattern("MaxConcurrency", maxConcurrency, MAX_CONCURRENCY_PATTERN);
        String maxErrors = optionalText(input, "MaxErrors", "0");
        checkLength("MaxErrors", maxErrors, 1, 7);
        checkPattern("MaxErrors", maxErrors, MAX_ERRORS_PATTERN);
        checkLength("OutputS3BucketName", optionalText(input, "OutputS3BucketName", null), 3, 63);
        checkLength("OutputS3KeyPrefix", optionalText(input, "OutputS3KeyPrefix", null), 0, 500);

        SsmDocument document = documents.get(documentName);
        if (document == null) {
            throw AwsError.of("InvalidDocument", "Document " + documentName + " does not exist (FakeAws knows "
                    + documents.keySet() + "; add others with fake.ssm().addDocument)");
        }
        Map<String, List<String>> parameters = parameters(input);
        document.validate(parameters);
        List<String> unknown = instanceIds.stream().filter(id -> !nodes.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            throw AwsError.of("InvalidInstanceId", "Instances " + unknown + " not in a valid state for account "
                    + FakeAws.ACCOUNT_ID + " (they are not in the fake fleet: add them with fake.ssm().addNode)");
        }

        var command = new SsmCommand(UUID.randomUUID().toString(), input, document, parameters, instanceIds, comment,
                maxConcurrency, maxErrors, timeoutSeconds == null ? 3600 : timeoutSeconds, now());
        commands.put(command.commandId, command);
        ObjectNode answer = WireTree.object();
        answer.set("Command", SsmShapes.command(command));
        onSend.accept(new SentCommand(this, command));
        return answer;
    }

    private JsonNode listCommands(JsonNode input) {
        String commandId = commandId(input, false);
        String instanceId = optionalText(input, "InstanceId", null);
        int maxResults = maxResults(input, 1, 50, 50);
        Predicate<CommandFilters.Row> filter = CommandFilters.forCommands(input);
        if (commandId != null) {
            command(commandId, false);
        }
        List<SsmCommand> listed = new ArrayList<>();
        for (SsmCommand command : newestFirst()) {
            boolean matches = (commandId == null || command.commandId.equals(commandId))
                    && (instanceId == null || command.instanceIds().contains(instanceId))
                    && filter.test(new CommandFilters.Row(command, null));
            if (matches) {
                listed.add(command);
            }
        }
        Page<SsmCommand> page = Page.of(listed, maxResults, optionalText(input, "NextToken", null), "InvalidNextToken");
        ObjectNode answer = WireTree.object();
        ArrayNode shapes = answer.putArray("Commands");
        page.items().forEach(command -> shapes.add(SsmShapes.command(command)));
        return withNextToken(answer, page);
    }

    private JsonNode listCommandInvocations(JsonNode input) {
        String commandId = commandId(input, false);
        String instanceId = optionalText(input, "InstanceId", null);
        int maxResults = maxResults(input, 1, 50, 50);
        boolean details = RequestFields.optionalBoolean(input, "Details");
        Predicate<CommandFilters.Row> filter = CommandFilters.forInvocations(input);
        List<CommandFilters.Row> listed = new ArrayList<>();
        for (SsmCommand command : newestFirst()) {
            if (commandId != null && !command.commandId.equals(commandId)) {
                continue;
            }
            for (SsmInvocation invocation : command.invocations()) {
                var row = new CommandFilters.Row(command, invocation);
                if ((instanceId == null || invocation.instanceId().equals(instanceId)) && filter.test(row)) {
                    listed.add(row);
                }
            }
        }
        Page<CommandFilters.Row> page =
                Page.of(listed, maxResults, optionalText(input, "NextToken", null), "InvalidNextToken");
        ObjectNode answer = WireTree.object();
        ArrayNode shapes = answer.putArray("CommandInvocations");
        page.items().forEach(row -> shapes.add(SsmShapes.invocation(row.command(), row.invocation(), details)));
        return withNextToken(answer, page);
    }

    private JsonNode getCommandInvocation(JsonNode input) {
        String commandId = commandId(input, true);
        String instanceId = requiredText(input, "InstanceId");
        String pluginName = optionalText(input, "PluginName", null);
        SsmCommand command = commands.get(commandId);
        SsmInvocation invocation = command == null ? null : command.invocation(instanceId);
        if (invocation == null) {
            throw AwsError.of("InvocationDoesNotExist", "Command " + commandId + " has no invocation on " + instanceId
                    + " (SSM answers so for unknown pairs and, briefly, right after SendCommand)");
        }
        if (pluginName != null && !pluginName.equals(command.document.stepName())) {
            throw AwsError.of("InvalidPluginName", "Document " + command.document.name() + " has no step '"
                    + pluginName + "'; its step is '" + command.document.stepName() + "'");
        }
        return SsmShapes.getInvocation(command, invocation);
    }

    private JsonNode cancelCommand(JsonNode input) {
        SsmCommand command = command(commandId(input, true), false);
        List<String> targeted = RequestFields.has(input, "InstanceIds")
                ? instanceIds(input, "InstanceIds", 0) : command.instanceIds();
        for (String instanceId : targeted) {
            if (command.invocation(instanceId) == null) {
                throw AwsError.of("InvalidInstanceId", "Command " + command.commandId + " was not sent to "
                        + instanceId);
            }
        }
        command.requestCancel();
        for (String instanceId : targeted) {
            SsmInvocation invocation = command.invocation(instanceId);
            if (!invocation.terminal()) {
                invocation.apply(InvocationOutcome.cancelled(), now());
            }
        }
        return WireTree.object();
    }

    private JsonNode describeInstanceInformation(JsonNode input) {
        int maxResults = maxResults(input, 5, 50, 10);
        Predicate<ManagedNode> filter = InstanceFilters.of(input);
        List<ManagedNode> listed = nodes.values().stream().filter(filter).toList();
        Page<ManagedNode> page = Page.of(listed, maxResults, optionalText(input, "NextToken", null), "InvalidNextToken");
        ObjectNode answer = WireTree.object();
        ArrayNode shapes = answer.putArray("InstanceInformationList");
        page.items().forEach(node -> shapes.add(SsmShapes.instanceInformation(node,
                node.pingStatus().equals("Online") ? now() : node.registeredAt())));
        return withNextToken(answer, page);
    }

    // ---- helpers ----

    private List<String> instanceIds(JsonNode input, String field, int min) {
        List<String> ids = textList(input, field);
        checkSize(field, ids, min, 50);
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            checkPattern(field + ".member", id, ManagedNode.ID_PATTERN);
            if (!seen.add(id)) {
                throw AwsError.of("DuplicateInstanceId", "Instance " + id + " appears more than once in " + field);
            }
        }
        return ids;
    }

    private static Map<String, List<String>> parameters(JsonNode input) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (RequestFields.has(input, "Parameters")) {
            input.get("Parameters").properties().forEach(entry -> {
                List<String> values = new ArrayList<>();
                entry.getValue().forEach(value -> values.add(value.asText()));
                parameters.put(entry.getKey(), List.copyOf(values));
            });
        }
        return parameters;
    }

    private static String commandId(JsonNode input, boolean required) {
        String commandId = required ? requiredText(input, "CommandId") : optionalText(input, "CommandId", null);
        checkLength("CommandId", commandId, 36, 36);
        return commandId;
    }

    private static int maxResults(JsonNode input, int min, int max, int fallback) {
        Integer maxResults = optionalInt(input, "MaxResults");
        checkRange("MaxResults", maxResults, min, max);
        return maxResults == null ? fallback : maxResults;
    }

    private static ObjectNode withNextToken(ObjectNode answer, Page<?> page) {
        if (page.nextToken() != null) {
            answer.put("NextToken", page.nextToken());
        }
        return answer;
    }

    private List<SsmCommand> newestFirst() {
        List<SsmCommand> newest = new ArrayList<>(commands.values());
        Collections.reverse(newest);
        return newest;
    }

    /** A command by id; an unknown one is a test mistake (scripting) or InvalidCommandId (API). */
    private SsmCommand command(String commandId, boolean scripting) {
        SsmCommand command = commands.get(commandId);
        if (command == null) {
            if (scripting) {
                throw new IllegalArgumentException("FakeAws SSM has no command " + commandId + "; sent so far: "
                        + commands.keySet());
            }
            throw AwsError.of("InvalidCommandId", "Command " + commandId + " does not exist");
        }
        return command;
    }

    private SsmInvocation invocation(String commandId, String instanceId) {
        SsmInvocation invocation = command(commandId, true).invocation(instanceId);
        if (invocation == null) {
            throw new IllegalArgumentException("Command " + commandId + " was not sent to " + instanceId
                    + "; it was sent to " + commands.get(commandId).instanceIds());
        }
        return invocation;
    }

    private ManagedNode node(String instanceId) {
        ManagedNode node = nodes.get(instanceId);
        if (node == null) {
            throw new IllegalArgumentException("Node " + instanceId + " is not in the fake fleet; nodes: "
                    + nodes.keySet());
        }
        return node;
    }
}
