package dev.fleetrun.local.ssm;

import static dev.fleetrun.local.wire.RequestFields.optionalText;
import static dev.fleetrun.local.wire.RequestFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.Page;
import dev.fleetrun.local.wire.RequestFields;
import dev.fleetrun.local.wire.WireTree;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The Run Command operations that only read: ListCommands, ListCommandInvocations,
 * GetCommandInvocation and DescribeInstanceInformation, over whatever commands and nodes a service
 * holds, with SSM's paging (newest command first, NextToken), filters and errors; plus the checks
 * CancelCommand makes before it cancels anything. Both the simulated SSM and the component tests'
 * scripted fake answer through here, so they cannot disagree on shapes.
 */
public final class SsmQueries {
    private final SsmShapes shapes;

    public SsmQueries(SsmShapes shapes) {
        this.shapes = shapes;
    }

    /** @param commands every command, by id, in the order they were sent */
    public ObjectNode listCommands(JsonNode input, Map<String, SsmCommand> commands) {
        String commandId = SsmRequests.commandId(input, false);
        String instanceId = optionalText(input, "InstanceId", null);
        int maxResults = SsmRequests.maxResults(input, 1, 50, 50);
        Predicate<CommandFilters.Row> filter = CommandFilters.forCommands(input);
        if (commandId != null) {
            command(commands, commandId);
        }
        List<SsmCommand> listed = new ArrayList<>();
        for (SsmCommand command : newestFirst(commands.values())) {
            boolean matches = (commandId == null || command.commandId().equals(commandId))
                    && (instanceId == null || command.instanceIds().contains(instanceId))
                    && filter.test(new CommandFilters.Row(command, null));
            if (matches) {
                listed.add(command);
            }
        }
        Page<SsmCommand> page = Page.of(listed, maxResults, optionalText(input, "NextToken", null), "InvalidNextToken");
        ObjectNode answer = WireTree.object();
        ArrayNode shaped = answer.putArray("Commands");
        page.items().forEach(command -> shaped.add(shapes.command(command)));
        return SsmRequests.withNextToken(answer, page);
    }

    /** @param commands every command, by id, in the order they were sent */
    public ObjectNode listCommandInvocations(JsonNode input, Map<String, SsmCommand> commands) {
        String commandId = SsmRequests.commandId(input, false);
        String instanceId = optionalText(input, "InstanceId", null);
        int maxResults = SsmRequests.maxResults(input, 1, 50, 50);
        boolean details = RequestFields.optionalBoolean(input, "Details");
        Predicate<CommandFilters.Row> filter = CommandFilters.forInvocations(input);
        List<CommandFilters.Row> listed = new ArrayList<>();
        for (SsmCommand command : newestFirst(commands.values())) {
            if (commandId != null && !command.commandId().equals(commandId)) {
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
        ArrayNode shaped = answer.putArray("CommandInvocations");
        page.items().forEach(row -> shaped.add(shapes.invocation(row.command(), row.invocation(), details)));
        return SsmRequests.withNextToken(answer, page);
    }

    public ObjectNode getCommandInvocation(JsonNode input, Map<String, SsmCommand> commands) {
        String commandId = SsmRequests.commandId(input, true);
        String instanceId = requiredText(input, "InstanceId");
        String pluginName = optionalText(input, "PluginName", null);
        SsmCommand command = commands.get(commandId);
        SsmInvocation invocation = command == null ? null : command.invocation(instanceId);
        if (invocation == null) {
            throw AwsError.of("InvocationDoesNotExist", "Command " + commandId + " has no invocation on " + instanceId
                    + " (SSM answers so for unknown pairs and, briefly, right after SendCommand)");
        }
        SsmDocument document = command.document();
        List<String> steps = document.steps().stream().map(DocumentStep::name).toList();
        if (pluginName == null && !document.singleStep()) {
            throw AwsError.of("InvalidPluginName", "Document " + document.name() + " has " + steps.size() + " steps: give"
                    + " PluginName, the name of the step, one of " + steps);
        }
        String step = pluginName == null ? document.stepName() : pluginName;
        if (document.step(step) == null) {
            throw AwsError.of("InvalidPluginName", "Document " + document.name() + " has no step '" + pluginName
                    + "'; its steps are " + steps + " (PluginName is a step's name, not its plugin)");
        }
        return shapes.getInvocation(command, invocation, step);
    }

    /**
     * @param nodes    the fleet, in registration order
     * @param lastPing when each node last reported to SSM
     */
    public ObjectNode describeInstanceInformation(JsonNode input, Collection<ManagedNode> nodes,
                                                  Function<ManagedNode, Instant> lastPing) {
        int maxResults = SsmRequests.maxResults(input, 5, 50, 10);
        Predicate<ManagedNode> filter = InstanceFilters.of(input);
        List<ManagedNode> listed = nodes.stream().filter(filter).toList();
        Page<ManagedNode> page = Page.of(listed, maxResults, optionalText(input, "NextToken", null), "InvalidNextToken");
        ObjectNode answer = WireTree.object();
        ArrayNode shaped = answer.putArray("InstanceInformationList");
        page.items().forEach(node -> shaped.add(shapes.instanceInformation(node, lastPing.apply(node))));
        return SsmRequests.withNextToken(answer, page);
    }

    /**
     * The command a CancelCommand names and the nodes to cancel it on (its InstanceIds, else every
     * node it was sent to); {@code InvalidCommandId} or {@code InvalidInstanceId} when they don't exist.
     */
    public CancelRequest cancelRequest(JsonNode input, Map<String, SsmCommand> commands) {
        SsmCommand command = command(commands, SsmRequests.commandId(input, true));
        List<String> targeted = RequestFields.has(input, "InstanceIds")
                ? SsmRequests.instanceIds(input, "InstanceIds", 0) : command.instanceIds();
        for (String instanceId : targeted) {
            if (command.invocation(instanceId) == null) {
                throw AwsError.of("InvalidInstanceId", "Command " + command.commandId() + " was not sent to "
                        + instanceId);
            }
        }
        return new CancelRequest(command, targeted);
    }

    /** A checked CancelCommand: the command and the nodes to cancel it on. */
    public record CancelRequest(SsmCommand command, List<String> instanceIds) {
    }

    /** A command by id, or {@code InvalidCommandId}. */
    public static SsmCommand command(Map<String, SsmCommand> commands, String commandId) {
        SsmCommand command = commands.get(commandId);
        if (command == null) {
            throw AwsError.of("InvalidCommandId", "Command " + commandId + " does not exist");
        }
        return command;
    }

    private static List<SsmCommand> newestFirst(Collection<SsmCommand> commands) {
        return new ArrayList<>(commands).reversed();
    }
}
