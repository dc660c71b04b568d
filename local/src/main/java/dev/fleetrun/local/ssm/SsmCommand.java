package dev.fleetrun.local.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One command accepted by {@code SendCommand}: the request as sent, its timing, and one
 * {@link SsmInvocation} per targeted node. Its status is derived from the invocations
 * ({@link CommandRollup}). Mutable and not thread-safe: the service that owns it moves it under
 * its own lock.
 */
public final class SsmCommand {
    private final String commandId;
    private final SendCommandInput input;
    private final SsmDocument document;
    private final Instant requestedAt;
    private final Instant expiresAfter;
    private final Map<String, JsonNode> parameterValues;
    private final Map<String, SsmInvocation> invocations = new LinkedHashMap<>();
    private boolean cancelRequested;

    /**
     * @param document the document version it runs
     * @param targets the nodes the command goes to, in dispatch order (the InstanceIds as sent, or
     *                the nodes its Targets resolved to)
     * @throws dev.fleetrun.local.wire.AwsError InvalidParameters when the parameters do not fit the document
     */
    public SsmCommand(String commandId, SendCommandInput input, SsmDocument document, List<String> targets,
                      Instant requestedAt) {
        this.commandId = commandId;
        this.input = input;
        this.document = document;
        this.requestedAt = requestedAt;
        this.parameterValues = Collections.unmodifiableMap(new LinkedHashMap<>(document.parameterValues(input.parameters())));
        // The delivery window plus the execution timeout: after it, SSM gives up (DeliveryTimedOut).
        this.expiresAfter = requestedAt.plusSeconds(
                (long) input.timeoutSeconds() + document.executionSeconds(parameterValues));
        Map<String, String> steps = new LinkedHashMap<>();
        document.steps().forEach(step -> steps.put(step.name(), step.action()));
        targets.forEach(id -> invocations.put(id, new SsmInvocation(id, requestedAt, steps)));
    }

    public String commandId() {
        return commandId;
    }

    /** The request members as sent (for the fields the answers echo: output location, notifications ...). */
    public JsonNode request() {
        return input.request();
    }

    public SendCommandInput input() {
        return input;
    }

    public SsmDocument document() {
        return document;
    }

    /** The parameters as sent (what ListCommands and the events echo: references, never resolved values). */
    public Map<String, List<String>> parameters() {
        return input.parameters();
    }

    /** Every parameter the document runs with: those sent, as typed values, and the defaults of the others. */
    public Map<String, JsonNode> parameterValues() {
        return parameterValues;
    }

    public String comment() {
        return input.comment();
    }

    public String maxConcurrency() {
        return input.rateControl().maxConcurrency();
    }

    public String maxErrors() {
        return input.rateControl().maxErrors();
    }

    public RateControl rateControl() {
        return input.rateControl();
    }

    public int timeoutSeconds() {
        return input.timeoutSeconds();
    }

    public Instant requestedAt() {
        return requestedAt;
    }

    /** RequestedDateTime + TimeoutSeconds + the document's execution timeout. */
    public Instant expiresAfter() {
        return expiresAfter;
    }

    /** The targeted nodes, in dispatch order. */
    public List<String> instanceIds() {
        return List.copyOf(invocations.keySet());
    }

    /** The invocation on this node, or null when the command was not sent to it. */
    public SsmInvocation invocation(String instanceId) {
        return invocations.get(instanceId);
    }

    public List<SsmInvocation> invocations() {
        return new ArrayList<>(invocations.values());
    }

    public CommandRollup rollup() {
        return CommandRollup.of(this);
    }

    public void requestCancel() {
        cancelRequested = true;
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    public String documentVersion() {
        return input.documentVersion();
    }
}
