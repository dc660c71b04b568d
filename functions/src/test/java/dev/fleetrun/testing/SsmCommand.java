package dev.fleetrun.testing;

import dev.fleetrun.local.wire.RequestFields;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One command accepted by {@code SendCommand}: the request as sent, its timing, and one
 * {@link SsmInvocation} per node. Its status is derived from the invocations ({@link CommandRollup}).
 * Mutable; only {@link FakeSsm} touches it, under its lock.
 */
final class SsmCommand {
    final String commandId;
    final JsonNode request;
    final SsmDocument document;
    final Map<String, List<String>> parameters;
    final String comment;
    final String maxConcurrency;
    final String maxErrors;
    final int timeoutSeconds;
    final Instant requestedAt;
    final Instant expiresAfter;
    private final Map<String, SsmInvocation> invocations = new LinkedHashMap<>();
    private boolean cancelRequested;

    SsmCommand(String commandId, JsonNode request, SsmDocument document, Map<String, List<String>> parameters,
               List<String> instanceIds, String comment, String maxConcurrency, String maxErrors,
               int timeoutSeconds, Instant requestedAt) {
        this.commandId = commandId;
        this.request = request;
        this.document = document;
        this.parameters = parameters;
        this.comment = comment;
        this.maxConcurrency = maxConcurrency;
        this.maxErrors = maxErrors;
        this.timeoutSeconds = timeoutSeconds;
        this.requestedAt = requestedAt;
        // The delivery window plus the execution timeout: after it, SSM gives up (DeliveryTimedOut).
        this.expiresAfter = requestedAt.plusSeconds((long) timeoutSeconds + document.executionTimeoutSeconds(parameters));
        instanceIds.forEach(id -> invocations.put(id, new SsmInvocation(id, requestedAt)));
    }

    List<String> instanceIds() {
        return List.copyOf(invocations.keySet());
    }

    SsmInvocation invocation(String instanceId) {
        return invocations.get(instanceId);
    }

    List<SsmInvocation> invocations() {
        return new ArrayList<>(invocations.values());
    }

    CommandRollup rollup() {
        return CommandRollup.of(this);
    }

    void requestCancel() {
        cancelRequested = true;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    String documentVersion() {
        return RequestFields.optionalText(request, "DocumentVersion", "");
    }
}
