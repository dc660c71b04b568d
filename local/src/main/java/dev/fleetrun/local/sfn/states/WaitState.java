package dev.fleetrun.local.sfn.states;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.choice.Timestamps;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.definition.Problems;
import dev.fleetrun.local.sfn.errors.StatesRuntime;
import dev.fleetrun.local.sfn.io.InputPath;
import dev.fleetrun.local.sfn.json.Json;
import dev.fleetrun.local.sfn.jsonata.JsonataValue;
import dev.fleetrun.local.sfn.jsonata.StatesView;
import dev.fleetrun.local.sfn.path.AslPath;
import dev.fleetrun.local.sfn.path.PathNotFoundException;
import dev.fleetrun.local.sfn.runtime.StateContext;
import java.time.Instant;
import java.util.function.BiConsumer;

/**
 * {@code Wait}: waits on the engine's clock for {@code Seconds}, until {@code Timestamp}, or for what
 * {@code SecondsPath} / {@code TimestampPath} select, then passes its (filtered) input on. A timestamp in the
 * past does not wait. In JSONata, {@code Seconds} and {@code Timestamp} may be expressions, and the state
 * may set {@code Output} and {@code Assign}.
 */
public final class WaitState extends State {

    private final Flow flow;
    private final InputPath inputPath;
    private final InputPath outputPath;
    private final Long seconds;
    private final Instant timestamp;
    private final AslPath secondsPath;
    private final AslPath timestampPath;
    private final JsonataFields jsonata;
    private final JsonataValue secondsExpression;
    private final JsonataValue timestampExpression;

    WaitState(String name, Fields fields, boolean jsonataLanguage) {
        super(name);
        flow = Flow.parse(fields);
        if (jsonataLanguage) {
            jsonata = JsonataFields.parse(fields, false);
            if (fields.atMostOne("Seconds", "Timestamp") == 0) {
                fields.problems().add(Problems.SCHEMA, fields.pointer(), "a JSONata Wait state needs Seconds or Timestamp");
            }
            secondsExpression = JsonataFields.number(fields, "Seconds", 0);
            timestampExpression = JsonataFields.value(fields, "Timestamp");
            inputPath = null;
            outputPath = null;
            seconds = null;
            timestamp = null;
            secondsPath = null;
            timestampPath = null;
            return;
        }
        jsonata = null;
        secondsExpression = null;
        timestampExpression = null;
        inputPath = InputPath.parse(fields, "InputPath");
        outputPath = InputPath.parse(fields, "OutputPath");
        int given = fields.atMostOne("Seconds", "Timestamp", "SecondsPath", "TimestampPath");
        if (given == 0) {
            fields.problems().add(Problems.SCHEMA, fields.pointer(),
                    "a Wait state needs one of Seconds, Timestamp, SecondsPath or TimestampPath");
        }
        seconds = fields.integer("Seconds", 0);
        String timestampText = fields.string("Timestamp");
        timestamp = timestampText == null ? null : Timestamps.parse(timestampText);
        if (timestampText != null && timestamp == null) {
            fields.problem("Timestamp", Problems.SCHEMA, "'Timestamp' must be an RFC 3339 timestamp such as 2016-03-14T01:59:00Z, got '"
                    + timestampText + "'");
        }
        secondsPath = path(fields, "SecondsPath");
        timestampPath = path(fields, "TimestampPath");
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

    @Override
    public StateType type() {
        return StateType.Wait;
    }

    @Override
    public Transition run(StateContext context, JsonNode input) {
        if (jsonata != null) {
            StatesView view = JsonataFields.view(context, input);
            Instant until;
            if (secondsExpression != null) {
                until = context.clock().now().plusSeconds(JsonataFields.evaluateNumber(secondsExpression, view, "Seconds", 0));
            } else {
                JsonNode at = timestampExpression.evaluate(view);
                until = at.isTextual() ? Timestamps.parse(at.textValue()) : null;
                if (until == null) {
                    throw new StatesRuntime("The Timestamp of the Wait state '" + name() + "' must be an RFC 3339 timestamp, got "
                            + Json.excerpt(at));
                }
            }
            if (until.isAfter(context.clock().now())) {
                context.sleepUntil(until);
            }
            return new Transition(flow.next(), jsonata.finish(context, view, input));
        }
        JsonNode effective = inputPath.apply(input, context.bindings());
        Instant until = until(context, effective);
        if (until != null && until.isAfter(context.clock().now())) {
            context.sleepUntil(until);
        }
        return new Transition(flow.next(), outputPath.apply(effective, context.bindings()));
    }

    private Instant until(StateContext context, JsonNode effective) {
        if (seconds != null) {
            return context.clock().now().plusSeconds(seconds);
        }
        if (timestamp != null) {
            return timestamp;
        }
        if (secondsPath != null) {
            JsonNode value = select(secondsPath, "SecondsPath", context, effective);
            if (!Json.isIntegral(value) || value.asLong() < 0) {
                throw new StatesRuntime("The SecondsPath '" + secondsPath + "' of the Wait state '" + name()
                        + "' must select a non-negative integer, got " + Json.excerpt(value));
            }
            return context.clock().now().plusSeconds(value.asLong());
        }
        if (timestampPath != null) {
            JsonNode value = select(timestampPath, "TimestampPath", context, effective);
            Instant at = value.isTextual() ? Timestamps.parse(value.textValue()) : null;
            if (at == null) {
                throw new StatesRuntime("The TimestampPath '" + timestampPath + "' of the Wait state '" + name()
                        + "' must select an RFC 3339 timestamp, got " + Json.excerpt(value));
            }
            return at;
        }
        return null;
    }

    private JsonNode select(AslPath path, String field, StateContext context, JsonNode effective) {
        try {
            return path.select(effective, context.bindings());
        } catch (PathNotFoundException e) {
            throw new StatesRuntime("The " + field + " of the Wait state '" + name() + "' could not be resolved: " + e.getMessage());
        }
    }

    @Override
    public void targets(BiConsumer<String, String> target) {
        flow.targets(target);
    }
}
