package dev.fleetrun.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.ssm.CommandRollup;
import dev.fleetrun.local.ssm.InvocationOutcome;
import dev.fleetrun.local.ssm.ManagedNode;
import dev.fleetrun.local.ssm.SendCommandInput;
import dev.fleetrun.local.ssm.SsmCommand;
import dev.fleetrun.local.ssm.SsmDocument;
import dev.fleetrun.local.ssm.SsmEvents;
import dev.fleetrun.local.ssm.SsmInvocation;
import dev.fleetrun.local.ssm.SsmQueries;
import dev.fleetrun.local.ssm.SsmShapes;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.AwsJsonProtocol;
import dev.fleetrun.local.wire.AwsService;
import dev.fleetrun.local.wire.RequestFields;
import dev.fleetrun.local.wire.WireTree;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Systems Manager Run Command over AWS JSON 1.1 ({@code X-Amz-Target: AmazonSSM.<Op>}), against a
 * scripted fleet: SendCommand, ListCommands, ListCommandInvocations, GetCommandInvocation,
 * CancelCommand, DescribeInstanceInformation. Request checks, answer shapes, filters, paging and
 * events come from {@code dev.fleetrun.local.ssm}, which the embedded runtime's simulated SSM
 * ({@code SimulatedSsm}, where nodes really run scripts) answers through too.
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
    private static final SsmShapes SHAPES = new SsmShapes(FakeAws.REGION);
    private static final SsmEvents EVENTS = new SsmEvents(FakeAws.REGION, FakeAws.ACCOUNT_ID);
    private static final SsmQueries QUERIES = new SsmQueries(SHAPES);

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

    /** The registered nodes, in the order they were added. */
    public synchronized List<ManagedNode> nodes() {
        return List.copyOf(nodes.values());
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
        documents.put(name, SsmDocument.custom(name, stepName));
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
        return new SentCommand(this, stored(commandId));
    }

    /** The {@code EC2 Command Invocation Status-change Notification} for the invocation's current status. */
    public synchronized String invocationEvent(String commandId, String instanceId) {
        return json(EVENTS.invocationEvent(stored(commandId), invocation(commandId, instanceId), now()));
    }

    /** The {@code EC2 Command Status-change Notification} for the command's current status. */
    public synchronized String commandEvent(String commandId) {
        return json(EVENTS.commandEvent(stored(commandId), now()));
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
            case "ListCommands" -> QUERIES.listCommands(input, commands);
            case "ListCommandInvocations" -> QUERIES.listCommandInvocations(input, commands);
            case "GetCommandInvocation" -> QUERIES.getCommandInvocation(input, commands);
            case "CancelCommand" -> cancelCommand(input);
            case "DescribeInstanceInformation" -> QUERIES.describeInstanceInformation(input, nodes.values(),
                    node -> node.online() ? now() : node.registeredAt());
            default -> throw AwsError.unknownOperation(name(), operation, operations());
        };
    }

    private JsonNode sendCommand(JsonNode input) {
        if (RequestFields.has(input, "Targets")) {
            throw AwsError.notImplemented("SendCommand with Targets",
                    "resolve the nodes (DescribeInstanceInformation) and send InstanceIds, as fleetrun does");
        }
        SendCommandInput request = SendCommandInput.parse(input);
        SsmDocument document = documents.get(request.documentName());
        if (document == null) {
            throw AwsError.of("InvalidDocument", "Document " + request.documentName() + " does not exist (FakeAws knows "
                    + documents.keySet() + "; add others with fake.ssm().addDocument)");
        }
        document.validate(request.parameters());
        List<String> unknown = request.instanceIds().stream().filter(id -> !nodes.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            throw AwsError.of("InvalidInstanceId", "Instances " + unknown + " not in a valid state for account "
                    + FakeAws.ACCOUNT_ID + " (they are not in the fake fleet: add them with fake.ssm().addNode)");
        }

        var command = new SsmCommand(UUID.randomUUID().toString(), request, document, request.instanceIds(), now());
        commands.put(command.commandId(), command);
        ObjectNode answer = WireTree.object();
        answer.set("Command", SHAPES.command(command));
        onSend.accept(new SentCommand(this, command));
        return answer;
    }

    private JsonNode cancelCommand(JsonNode input) {
        SsmQueries.CancelRequest cancel = QUERIES.cancelRequest(input, commands);
        cancel.command().requestCancel();
        for (String instanceId : cancel.instanceIds()) {
            SsmInvocation invocation = cancel.command().invocation(instanceId);
            if (!invocation.terminal()) {
                invocation.apply(InvocationOutcome.cancelled(), now());
            }
        }
        return WireTree.object();
    }

    // ---- helpers ----

    private static String json(ObjectNode event) {
        try {
            return WireTree.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A command by id; an unknown one is a test mistake. */
    private SsmCommand stored(String commandId) {
        SsmCommand command = commands.get(commandId);
        if (command == null) {
            throw new IllegalArgumentException("FakeAws SSM has no command " + commandId + "; sent so far: "
                + commands.keySet());
        }
        return command;
    }

    private SsmInvocation invocation(String commandId, String instanceId) {
        SsmInvocation invocation = stored(commandId).invocation(instanceId);
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
