package dev.fleetrun.aws;

import dev.fleetrun.domain.DocumentSpec;
import dev.fleetrun.domain.ManagedNode;
import dev.fleetrun.domain.OutputSpec;
import dev.fleetrun.domain.Platform;
import dev.fleetrun.domain.StepOutputs;
import dev.fleetrun.domain.TargetSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.CancelCommandRequest;
import software.amazon.awssdk.services.ssm.model.CloudWatchOutputConfig;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.CommandFilter;
import software.amazon.awssdk.services.ssm.model.CommandFilterKey;
import software.amazon.awssdk.services.ssm.model.CommandInvocation;
import software.amazon.awssdk.services.ssm.model.CommandPlugin;
import software.amazon.awssdk.services.ssm.model.DescribeInstanceInformationRequest;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.InstanceInformationStringFilter;
import software.amazon.awssdk.services.ssm.model.InvalidCommandIdException;
import software.amazon.awssdk.services.ssm.model.InvalidDocumentException;
import software.amazon.awssdk.services.ssm.model.InvalidDocumentVersionException;
import software.amazon.awssdk.services.ssm.model.InvalidInstanceIdException;
import software.amazon.awssdk.services.ssm.model.InvalidOutputFolderException;
import software.amazon.awssdk.services.ssm.model.InvalidParametersException;
import software.amazon.awssdk.services.ssm.model.InvalidPluginNameException;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;
import software.amazon.awssdk.services.ssm.model.ListCommandInvocationsRequest;
import software.amazon.awssdk.services.ssm.model.ListCommandsRequest;
import software.amazon.awssdk.services.ssm.model.MaxDocumentSizeExceededException;
import software.amazon.awssdk.services.ssm.model.SendCommandRequest;
import software.amazon.awssdk.services.ssm.model.SsmException;

/** fleetrun's calls to SSM Run Command, in domain terms. */
public final class SsmGateway {
    /** DescribeInstanceInformation takes at most 50 results a page and up to 100 values a filter; 50 keeps both. */
    private static final int IDS_PER_DESCRIBE = 50;

    private final SsmClient ssm;

    public SsmGateway(SsmClient ssm) {
        this.ssm = ssm;
    }

    /** The managed nodes with these instance ids; ids SSM does not know are simply absent. */
    public List<ManagedNode> describeInstances(List<String> instanceIds) {
        List<ManagedNode> nodes = new ArrayList<>();
        for (int i = 0; i < instanceIds.size(); i += IDS_PER_DESCRIBE) {
            List<String> chunk = instanceIds.subList(i, Math.min(instanceIds.size(), i + IDS_PER_DESCRIBE));
            describe(List.of(filter("InstanceIds", chunk)), nodes);
        }
        return nodes;
    }

    /**
     * The managed nodes that match every tag target (AND across keys, OR within one key's values), as SSM
     * resolves tag targets. Resource group targets are not SSM filters: {@link ResourceGroupsGateway} lists a
     * group's members, which {@link #describeInstances} then looks up.
     */
    public List<ManagedNode> describeTargets(List<TargetSpec> targets) {
        List<InstanceInformationStringFilter> filters = new ArrayList<>();
        for (TargetSpec t : targets) {
            if (t.resourceGroupKey()) {
                throw new IllegalArgumentException(t.key() + " is no DescribeInstanceInformation filter: list the"
                        + " group's members with ResourceGroupsGateway and describe them by id");
            }
            filters.add(filter(t.key(), t.values()));
        }
        List<ManagedNode> nodes = new ArrayList<>();
        describe(filters, nodes);
        return nodes;
    }

    private void describe(List<InstanceInformationStringFilter> filters, List<ManagedNode> into) {
        DescribeInstanceInformationRequest request = DescribeInstanceInformationRequest.builder()
                .filters(filters).maxResults(50).build();
        for (InstanceInformation info : ssm.describeInstanceInformationPaginator(request).instanceInformationList()) {
            into.add(new ManagedNode(info.instanceId(), info.name() != null ? info.name() : info.computerName(),
                    Platform.fromSsm(info.platformTypeAsString()), info.pingStatusAsString()));
        }
    }

    private static InstanceInformationStringFilter filter(String key, List<String> values) {
        return InstanceInformationStringFilter.builder().key(key).values(values).build();
    }

    /**
     * One SendCommand to at most 50 nodes; returns the command id, which the caller records at once.
     *
     * @throws CommandRefusedException when SSM refuses the document, its parameters or the output bucket
     * @throws NodesRefusedException   when SSM refuses the whole command for some of its nodes (InvalidInstanceId)
     */
    public String send(Send s) {
        SendCommandRequest.Builder b = SendCommandRequest.builder()
                .instanceIds(s.instanceIds())
                .documentName(s.document().name())
                .documentVersion(s.document().version())
                .parameters(s.document().parameters())
                .maxConcurrency(Integer.toString(s.maxConcurrency()))
                .maxErrors(s.maxErrors())
                .timeoutSeconds(s.timeoutSeconds())
                .comment(s.comment());
        OutputSpec out = s.output();
        if (out != null) {
            if (out.s3Bucket() != null) {
                b.outputS3BucketName(out.s3Bucket());
                if (out.s3KeyPrefix() != null) {
                    b.outputS3KeyPrefix(out.s3KeyPrefix());
                }
            }
            if (out.cloudWatchLogGroup() != null) {
                b.cloudWatchOutputConfig(CloudWatchOutputConfig.builder()
                        .cloudWatchOutputEnabled(true).cloudWatchLogGroupName(out.cloudWatchLogGroup()).build());
            }
        }
        try {
            return ssm.sendCommand(b.build()).command().commandId();
        } catch (InvalidDocumentException | InvalidDocumentVersionException | InvalidParametersException
                 | MaxDocumentSizeExceededException | InvalidOutputFolderException e) {
            throw new CommandRefusedException(s.document().name(), e);
        } catch (InvalidInstanceIdException e) {
            throw new NodesRefusedException(s.instanceIds(), e);
        }
    }

    /**
     * What one SendCommand carries. {@code maxErrors} is in SSM's form ("0", "3", "100%"); {@code timeoutSeconds}
     * is SSM's {@code TimeoutSeconds}, the window in which every node must have started.
     */
    public record Send(List<String> instanceIds, DocumentSpec document, int maxConcurrency, String maxErrors,
                       int timeoutSeconds, String comment, OutputSpec output) {
    }

    /**
     * The id of a command sent since {@code after} whose comment is exactly {@code comment}: how a send
     * retried after a crash finds out whether its first attempt reached SSM.
     */
    public Optional<String> findCommand(String comment, Instant after) {
        ListCommandsRequest request = ListCommandsRequest.builder()
                .filters(CommandFilter.builder().key(CommandFilterKey.INVOKED_AFTER).value(after.toString()).build())
                .maxResults(50).build();
        for (Command c : ssm.listCommandsPaginator(request).commands()) {
            if (comment.equals(c.comment())) {
                return Optional.of(c.commandId());
            }
        }
        return Optional.empty();
    }

    /** The comment of a command, or empty when SSM does not know the id. */
    public Optional<String> commandComment(String commandId) {
        try {
            List<Command> found = ssm.listCommands(ListCommandsRequest.builder().commandId(commandId).build()).commands();
            return found.isEmpty() ? Optional.empty() : Optional.ofNullable(found.get(0).comment());
        } catch (InvalidCommandIdException e) {
            return Optional.empty();
        }
    }

    /**
     * One node's result with exit code and output; empty while SSM does not show the invocation yet. A
     * document of several steps has no result of its own in GetCommandInvocation ({@code InvalidPluginName}
     * without a step name): its steps are read with ListCommandInvocations and told as one ({@link StepOutputs}).
     */
    public Optional<Invocation> invocation(String commandId, String instanceId) {
        try {
            GetCommandInvocationResponse r = ssm.getCommandInvocation(b -> b.commandId(commandId).instanceId(instanceId));
            String url = r.standardOutputUrl() == null || r.standardOutputUrl().isEmpty() ? null : r.standardOutputUrl();
            boolean started = r.executionStartDateTime() != null && !r.executionStartDateTime().isBlank();
            return Optional.of(new Invocation(commandId, instanceId, r.statusAsString(), r.statusDetails(),
                    r.responseCode(), r.standardOutputContent(), r.standardErrorContent(), url, started));
        } catch (InvocationDoesNotExistException e) {
            return Optional.empty();
        } catch (InvalidPluginNameException e) {
            ListCommandInvocationsRequest request = ListCommandInvocationsRequest.builder()
                    .commandId(commandId).instanceId(instanceId).details(true).build();
            return ssm.listCommandInvocations(request).commandInvocations().stream().findFirst()
                    .map(ci -> invocation(commandId, ci));
        }
    }

    /** Every node's result for a command, with plugin detail (exit code, output excerpt). */
    public List<Invocation> invocations(String commandId) {
        List<Invocation> out = new ArrayList<>();
        ListCommandInvocationsRequest request = ListCommandInvocationsRequest.builder()
                .commandId(commandId).details(true).maxResults(50).build();
        for (CommandInvocation ci : ssm.listCommandInvocationsPaginator(request).commandInvocations()) {
            out.add(invocation(commandId, ci));
        }
        return out;
    }

    private static Invocation invocation(String commandId, CommandInvocation ci) {
        Integer code = null;
        String output = null;
        if (ci.hasCommandPlugins() && ci.commandPlugins().size() == 1) {
            CommandPlugin p = ci.commandPlugins().get(0);
            code = p.responseCode();
            output = p.output();
        } else if (ci.hasCommandPlugins() && !ci.commandPlugins().isEmpty()) {
            StepOutputs.Combined steps = StepOutputs.combine(ci.commandPlugins().stream()
                    .map(p -> new StepOutputs.Step(p.name(), p.statusAsString(), p.responseCode(), p.output())).toList());
            code = steps.responseCode();
            output = steps.output();
        }
        // A document of several steps: it started when any step did; no step detail is no sign either way.
        boolean started = !ci.hasCommandPlugins() || ci.commandPlugins().isEmpty()
                || ci.commandPlugins().stream().anyMatch(p -> p.responseStartDateTime() != null);
        return new Invocation(commandId, ci.instanceId(), ci.statusAsString(), ci.statusDetails(), code, output, null,
                emptyToNull(ci.standardOutputUrl()), started);
    }

    /** Asks SSM to cancel a command on some of its nodes (all of them when the list is empty); best effort. */
    public void cancel(String commandId, List<String> instanceIds) {
        for (int i = 0; i < Math.max(1, instanceIds.size()); i += 50) {
            List<String> chunk = instanceIds.isEmpty() ? List.of()
                    : instanceIds.subList(i, Math.min(instanceIds.size(), i + 50));
            try {
                ssm.cancelCommand(CancelCommandRequest.builder().commandId(commandId).instanceIds(chunk).build());
            } catch (InvalidCommandIdException e) {
                return; // the command is gone or finished: nothing left to cancel
            }
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /**
     * SSM refused a command for what it is, not for a passing reason: the document does not exist in this
     * account (or not at that version), its parameters do not fit it, or the output bucket does not exist.
     * Sending it again changes nothing; the run request must change.
     */
    public static final class CommandRefusedException extends RuntimeException {
        public CommandRefusedException(String document, SsmException cause) {
            super("SSM refused to send document " + document + ": " + cause.awsErrorDetails().errorCode() + " "
                    + Optional.ofNullable(cause.awsErrorDetails().errorMessage()).orElse(""), cause);
        }
    }

    /**
     * SSM refused a whole SendCommand with InvalidInstanceId: at least one of its nodes is not a managed node it can
     * send to now (terminated, deregistered, agent not running), or the caller may not send to it. SSM does not say
     * which node; {@link #describeInstances} tells the gone ones apart.
     */
    public static final class NodesRefusedException extends RuntimeException {
        public NodesRefusedException(List<String> instanceIds, SsmException cause) {
            super("SSM refused to send to " + instanceIds.size() + " node(s) (" + String.join(", ", instanceIds) + "): "
                    + cause.awsErrorDetails().errorCode() + " "
                    + Optional.ofNullable(cause.awsErrorDetails().errorMessage()).orElse(""), cause);
        }
    }
}
