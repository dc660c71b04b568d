package dev.fleetrun.local.sfn.timeouts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.definition.Problems;
import dev.fleetrun.local.sfn.errors.StatesRuntime;
import dev.fleetrun.local.sfn.json.Json;
import dev.fleetrun.local.sfn.jsonata.JsonataExpression;
import dev.fleetrun.local.sfn.jsonata.JsonataValue;
import dev.fleetrun.local.sfn.jsonata.StatesView;
import dev.fleetrun.local.sfn.path.AslPath;
import dev.fleetrun.local.sfn.path.Bindings;
import dev.fleetrun.local.sfn.path.PathNotFoundException;
import java.time.Duration;

/**
 * A Task state's time limits as written: {@code TimeoutSeconds} or {@code TimeoutSecondsPath}, and
 * {@code HeartbeatSeconds} or {@code HeartbeatSecondsPath}. {@link #resolve} turns them into durations for
 * one attempt (reading the Path forms from the state's input); {@link TaskDeadline} watches them.
 */
public final class TaskTimeouts {

    /** AWS's default for a Task without TimeoutSeconds: 99999999 seconds, in effect none. */
    public static final long DEFAULT_TIMEOUT_SECONDS = 99_999_999L;

    private final Long timeoutSeconds;
    private final AslPath timeoutPath;
    private final Long heartbeatSeconds;
    private final AslPath heartbeatPath;
    private final JsonataValue timeoutExpression;
    private final JsonataValue heartbeatExpression;

    private TaskTimeouts(Long timeoutSeconds, AslPath timeoutPath, Long heartbeatSeconds, AslPath heartbeatPath,
                         JsonataValue timeoutExpression, JsonataValue heartbeatExpression) {
        this.timeoutSeconds = timeoutSeconds;
        this.timeoutPath = timeoutPath;
        this.heartbeatSeconds = heartbeatSeconds;
        this.heartbeatPath = heartbeatPath;
        this.timeoutExpression = timeoutExpression;
        this.heartbeatExpression = heartbeatExpression;
    }

    /** Reads TimeoutSeconds and HeartbeatSeconds of a JSONata Task: each a positive integer or an expression. */
    public static TaskTimeouts parseJsonata(Fields fields) {
        JsonataValue timeout = numberOrExpression(fields, "TimeoutSeconds");
        JsonataValue heartbeat = numberOrExpression(fields, "HeartbeatSeconds");
        JsonNode t = fields.raw("TimeoutSeconds");
        JsonNode h = fields.raw("HeartbeatSeconds");
        if (t != null && h != null && t.isNumber() && h.isNumber() && h.asLong() >= t.asLong()) {
            fields.problem("HeartbeatSeconds", Problems.SCHEMA,
                    "HeartbeatSeconds (" + h.asLong() + ") must be smaller than TimeoutSeconds (" + t.asLong() + ")");
        }
        return new TaskTimeouts(null, null, null, null, timeout, heartbeat);
    }

    private static JsonataValue numberOrExpression(Fields fields, String field) {
        JsonNode node = fields.raw(field);
        if (node == null) {
            return null;
        }
        boolean expression = node.isTextual() && JsonataExpression.isExpression(node.textValue());
        if (!expression && !(Json.isIntegral(node) && node.asLong() >= 1)) {
            fields.problem(field, Problems.SCHEMA, "'" + field + "' must be a positive integer or a JSONata expression, got "
                    + Json.excerpt(node));
            return null;
        }
        return JsonataValue.compile(node, field, fields.pointer(field), fields.problems());
    }

    /** The limits for one attempt of a JSONata Task. */
    public Resolved resolve(StatesView view) {
        long timeout = timeoutExpression == null ? DEFAULT_TIMEOUT_SECONDS : positive(timeoutExpression.evaluate(view), "TimeoutSeconds");
        Long heartbeat = heartbeatExpression == null ? null : positive(heartbeatExpression.evaluate(view), "HeartbeatSeconds");
        return new Resolved(Duration.ofSeconds(timeout), heartbeat == null ? null : Duration.ofSeconds(heartbeat),
                timeoutExpression != null);
    }

    private static long positive(JsonNode value, String field) {
        if (!Json.isIntegral(value) || value.asLong() < 1) {
            throw new StatesRuntime("'" + field + "' must evaluate to a positive integer, got " + Json.excerpt(value));
        }
        return value.asLong();
    }

    /** Reads the four fields of a Task state, reporting problems. */
    public static TaskTimeouts parse(Fields fields) {
        fields.atMostOne("TimeoutSeconds", "TimeoutSecondsPath");
        fields.atMostOne("HeartbeatSeconds", "HeartbeatSecondsPath");
        Long timeout = fields.integer("TimeoutSeconds", 1);
        Long heartbeat = fields.integer("HeartbeatSeconds", 1);
        AslPath timeoutPath = path(fields, "TimeoutSecondsPath");
        AslPath heartbeatPath = path(fields, "HeartbeatSecondsPath");
        if (timeout != null && heartbeat != null && heartbeat >= timeout) {
            fields.problem("HeartbeatSeconds", Problems.SCHEMA,
                    "HeartbeatSeconds (" + heartbeat + ") must be smaller than TimeoutSeconds (" + timeout + ")");
        }
        return new TaskTimeouts(timeout, timeoutPath, heartbeat, heartbeatPath, null, null);
    }

    private static AslPath path(Fields fields, String field) {
        String text = fields.string(field);
        if (text == null) {
            return null;
        }
        try {
            return AslPath.compile(text);
        } catch (IllegalArgumentException e) {
            fields.problem(field, Problems.INVALID_PATH, e.getMessage());
            return null;
        }
    }

    /** Whether the state has a heartbeat limit. */
    public boolean hasHeartbeat() {
        return heartbeatSeconds != null || heartbeatPath != null || heartbeatExpression != null;
    }

    /**
     * The limits for one attempt.
     *
     * @throws StatesRuntime when a Path form selects nothing or something other than a positive integer
     */
    public Resolved resolve(JsonNode input, Bindings bindings) {
        long timeout = timeoutSeconds != null ? timeoutSeconds
                : timeoutPath != null ? read(timeoutPath, "TimeoutSecondsPath", input, bindings) : DEFAULT_TIMEOUT_SECONDS;
        Long heartbeat = heartbeatSeconds != null ? heartbeatSeconds
                : heartbeatPath != null ? read(heartbeatPath, "HeartbeatSecondsPath", input, bindings) : null;
        return new Resolved(Duration.ofSeconds(timeout), heartbeat == null ? null : Duration.ofSeconds(heartbeat),
                timeoutSeconds != null || timeoutPath != null);
    }

    private static long read(AslPath path, String field, JsonNode input, Bindings bindings) {
        JsonNode value;
        try {
            value = path.select(input, bindings);
        } catch (PathNotFoundException e) {
            throw new StatesRuntime("The " + field + " '" + path.text() + "' could not be resolved: " + e.getMessage());
        }
        if (!Json.isIntegral(value) || value.asLong() < 1) {
            throw new StatesRuntime("The " + field + " '" + path.text() + "' must select a positive integer, got "
                    + Json.excerpt(value));
        }
        return value.asLong();
    }

    /**
     * The limits of one attempt.
     *
     * @param timeout      how long the task may run
     * @param heartbeat    how long it may go without a heartbeat, or {@code null}
     * @param timeoutGiven whether the state set a timeout (the history shows it only then)
     */
    public record Resolved(Duration timeout, Duration heartbeat, boolean timeoutGiven) {
    }
}
