package dev.fleetrun.local.sfn.states;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.definition.ParseContext;
import dev.fleetrun.local.sfn.definition.Problems;
import dev.fleetrun.local.sfn.definition.StateMachine;
import dev.fleetrun.local.sfn.errors.AslError;
import dev.fleetrun.local.sfn.errors.ExecutionCancelled;
import dev.fleetrun.local.sfn.errors.StatesExceedToleratedFailureThreshold;
import dev.fleetrun.local.sfn.errors.StatesItemReaderFailed;
import dev.fleetrun.local.sfn.errors.StatesRuntime;
import dev.fleetrun.local.sfn.history.HistoryEventType;
import dev.fleetrun.local.sfn.io.InputPath;
import dev.fleetrun.local.sfn.io.PayloadTemplate;
import dev.fleetrun.local.sfn.io.ResultPath;
import dev.fleetrun.local.sfn.json.Json;
import dev.fleetrun.local.sfn.path.AslPath;
import dev.fleetrun.local.sfn.path.PathNotFoundException;
import dev.fleetrun.local.sfn.retry.Catcher;
import dev.fleetrun.local.sfn.retry.ErrorHandling;
import dev.fleetrun.local.sfn.runtime.BranchContext;
import dev.fleetrun.local.sfn.runtime.Fanout;
import dev.fleetrun.local.sfn.runtime.StateContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * {@code Map}: runs its item processor (ItemProcessor, or the older Iterator) once per item of the array that
 * {@code ItemsPath} selects, at most {@code MaxConcurrency} at a time (0: no limit). Each item's input is the
 * item, or what {@code ItemSelector} (older: {@code Parameters}) builds with {@code $$.Map.Item.Index} and
 * {@code $$.Map.Item.Value}. The result is the array of the iterations' outputs, in item order.
 *
 * <p>Failures: without a tolerance, the first failing iteration stops the others and the state fails with its
 * error. With {@code ToleratedFailureCount} / {@code ToleratedFailurePercentage} (or their Path forms), failed
 * iterations leave their error output ({@code {"Error", "Cause"}}) in the result until the tolerance is
 * exceeded, which fails the state with {@code States.ExceedToleratedFailureThreshold}. An {@code ItemReader}
 * (reading items from S3) is not supported: such a state fails with {@code States.ItemReaderFailed}.
 */
public final class MapState extends State {

    private final Flow flow;
    private final StateMachine processor;
    private final InputPath inputPath;
    private final AslPath itemsPath;
    private final PayloadTemplate itemSelector;
    private final PayloadTemplate resultSelector;
    private final ResultPath resultPath;
    private final InputPath outputPath;
    private final ErrorHandling errorHandling;
    private final Setting maxConcurrency;
    private final Setting toleratedCount;
    private final Setting toleratedPercentage;
    private final boolean hasItemReader;

    MapState(String name, Fields fields, ParseContext context) {
        super(name);
        flow = Flow.parse(fields);
        fields.atMostOne("ItemProcessor", "Iterator");
        String processorField = fields.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
        if (!fields.has(processorField)) {
            fields.problems().add(Problems.SCHEMA, fields.pointer(), "a Map state needs an 'ItemProcessor' (or 'Iterator')");
            processor = null;
        } else {
            processor = context.nested(fields.raw(processorField), fields.pointer(processorField));
            checkProcessorConfig(fields.raw(processorField), fields.pointer(processorField), fields.problems());
        }
        inputPath = InputPath.parse(fields, "InputPath");
        String items = fields.string("ItemsPath");
        AslPath parsedItems = null;
        if (items != null) {
            try {
                parsedItems = AslPath.compile(items);
            } catch (IllegalArgumentException e) {
                fields.problem("ItemsPath", Problems.INVALID_PATH, e.getMessage());
            }
        }
        itemsPath = parsedItems;
        fields.atMostOne("ItemSelector", "Parameters");
        itemSelector = TaskState.template(fields, fields.has("ItemSelector") ? "ItemSelector" : "Parameters");
        resultSelector = TaskState.template(fields, "ResultSelector");
        resultPath = ResultPath.parse(fields);
        outputPath = InputPath.parse(fields, "OutputPath");
        errorHandling = ErrorHandling.parse(fields);
        maxConcurrency = Setting.parse(fields, "MaxConcurrency", 0, Long.MAX_VALUE);
        toleratedCount = Setting.parse(fields, "ToleratedFailureCount", 0, Long.MAX_VALUE);
        toleratedPercentage = Setting.parse(fields, "ToleratedFailurePercentage", 0, 100);
        hasItemReader = fields.has("ItemReader");
        fields.allow("ItemBatcher", "ResultWriter", "Label");
        if (fields.has("ItemBatcher") || fields.has("ResultWriter")) {
            fields.problems().add(Problems.SCHEMA, fields.pointer(),
                    "ItemBatcher and ResultWriter (distributed Map) are not supported by this engine");
        }
    }

    private static void checkProcessorConfig(JsonNode processor, String pointer, Problems problems) {
        JsonNode config = processor == null ? null : processor.get("ProcessorConfig");
        if (config == null) {
            return;
        }
        if (!config.isObject()) {
            problems.add(Problems.SCHEMA, pointer + "/ProcessorConfig", "'ProcessorConfig' must be an object");
            return;
        }
        JsonNode mode = config.get("Mode");
        if (mode != null && !("INLINE".equals(mode.asText()) || "DISTRIBUTED".equals(mode.asText()))) {
            problems.add(Problems.SCHEMA, pointer + "/ProcessorConfig/Mode", "'Mode' must be INLINE or DISTRIBUTED");
        }
    }

    @Override
    public StateType type() {
        return StateType.Map;
    }

    @Override
    public Transition run(StateContext context, JsonNode input) {
        JsonNode effective = inputPath.apply(input, context.bindings());
        ErrorHandling.Outcome outcome = errorHandling.run(context, input, () -> attempt(context, input, effective));
        return new Transition(outcome.caught() ? outcome.caughtNext() : flow.next(), outcome.output());
    }

    private JsonNode attempt(StateContext context, JsonNode input, JsonNode effective) {
        if (hasItemReader) {
            throw new StatesItemReaderFailed("ItemReader (reading items from S3) is not supported by the embedded "
                    + "Step Functions engine; pass the items in the state input and use ItemsPath.");
        }
        JsonNode items = items(context, effective);
        int count = items.size();
        int concurrency = (int) Math.min(Integer.MAX_VALUE, maxConcurrency.resolve(context, effective, 0));
        int tolerated = tolerance(context, effective, count);
        Map<String, Object> started = new LinkedHashMap<>();
        started.put("length", count);
        context.emit(HistoryEventType.MapStateStarted, started);
        Fanout.Result result = Fanout.run(context, name(), count, concurrency, tolerated,
                (index, branch) -> iterate(context, branch, index, items.get(index), effective));
        if (result.fatal() != null) {
            context.emit(HistoryEventType.MapStateFailed, Map.of());
            if (toleratedCount.given() || toleratedPercentage.given()) {
                throw new StatesExceedToleratedFailureThreshold("The Map state '" + name() + "' had " + result.failures()
                        + " failed iterations of " + count + ", more than the " + tolerated + " it tolerates. Last error: "
                        + result.fatal().name());
            }
            throw result.fatal();
        }
        context.emit(HistoryEventType.MapStateSucceeded, Map.of());
        ArrayNode outputs = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < count; i++) {
            outputs.add(result.errors()[i] != null ? result.errors()[i].toErrorOutput() : result.outputs()[i]);
        }
        JsonNode selected = resultSelector == null ? outputs : resultSelector.evaluate(outputs, context.bindings());
        return outputPath.apply(resultPath.apply(input, selected), context.bindings());
    }

    private JsonNode items(StateContext context, JsonNode effective) {
        JsonNode items;
        try {
            items = itemsPath == null ? effective : itemsPath.select(effective, context.bindings());
        } catch (PathNotFoundException e) {
            throw new StatesRuntime("Invalid path '" + itemsPath + "' : the Map state's ItemsPath selects nothing ("
                    + e.getMessage() + ")");
        }
        if (!items.isArray()) {
            throw new StatesRuntime("The Map state's ItemsPath '" + (itemsPath == null ? "$" : itemsPath.text())
                    + "' must select an array, got " + Json.typeName(items) + " " + Json.excerpt(items));
        }
        return items;
    }

    private int tolerance(StateContext context, JsonNode effective, int count) {
        if (!toleratedCount.given() && !toleratedPercentage.given()) {
            return 0;
        }
        long byCount = toleratedCount.given() ? toleratedCount.resolve(context, effective, 0) : Long.MAX_VALUE;
        long byPercentage = toleratedPercentage.given()
                ? (long) Math.floor(toleratedPercentage.resolve(context, effective, 0) * count / 100.0)
                : Long.MAX_VALUE;
        return (int) Math.min(Integer.MAX_VALUE, Math.min(byCount, byPercentage));
    }

    private JsonNode iterate(StateContext context, BranchContext branch, int index, JsonNode item, JsonNode effective) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", name());
        details.put("index", index);
        branch.emit(HistoryEventType.MapIterationStarted, details);
        try {
            JsonNode iterationInput = item;
            if (itemSelector != null) {
                StateContext itemContext = new StateContext(branch, name(), context.clock().now());
                itemContext.mapItem(IntNode.valueOf(index), item);
                iterationInput = itemSelector.evaluate(effective, itemContext.bindings());
            }
            JsonNode output = processor.run(iterationInput, branch);
            branch.emit(HistoryEventType.MapIterationSucceeded, details);
            return output;
        } catch (AslError error) {
            branch.emit(HistoryEventType.MapIterationFailed, details);
            throw error;
        } catch (ExecutionCancelled cancelled) {
            branch.emit(HistoryEventType.MapIterationAborted, details);
            throw cancelled;
        }
    }

    @Override
    public void targets(BiConsumer<String, String> target) {
        flow.targets(target);
        for (Catcher catcher : errorHandling.catchers()) {
            if (catcher.next() != null) {
                target.accept(catcher.next(), catcher.nextPointer());
            }
        }
    }

    /** A number given directly ({@code MaxConcurrency}) or by a path ({@code MaxConcurrencyPath}). */
    private record Setting(String field, Long value, AslPath path, long min, long max) {

        static Setting parse(Fields fields, String field, long min, long max) {
            fields.atMostOne(field, field + "Path");
            JsonNode raw = fields.raw(field);
            Long value = null;
            if (raw != null) {
                if (!raw.isNumber() || raw.asDouble() < min || raw.asDouble() > max
                        || (!field.equals("ToleratedFailurePercentage") && !Json.isIntegral(raw))) {
                    fields.problem(field, Problems.SCHEMA, "'" + field + "' must be a number from " + min
                            + (max == Long.MAX_VALUE ? " up" : " to " + max) + ", got " + Json.excerpt(raw));
                } else {
                    value = raw.asLong();
                }
            }
            AslPath path = null;
            String pathText = fields.string(field + "Path");
            if (pathText != null) {
                try {
                    path = AslPath.compile(pathText);
                } catch (IllegalArgumentException e) {
                    fields.problem(field + "Path", Problems.INVALID_PATH, e.getMessage());
                }
            }
            return new Setting(field, value, path, min, max);
        }

        boolean given() {
            return value != null || path != null;
        }

        long resolve(StateContext context, JsonNode effective, long defaultValue) {
            if (value != null) {
                return value;
            }
            if (path == null) {
                return defaultValue;
            }
            JsonNode selected;
            try {
                selected = path.select(effective, context.bindings());
            } catch (PathNotFoundException e) {
                throw new StatesRuntime("The " + field + "Path '" + path + "' could not be resolved: " + e.getMessage());
            }
            if (!selected.isNumber() || selected.asDouble() < min || selected.asDouble() > max) {
                throw new StatesRuntime("The " + field + "Path '" + path + "' must select a number from " + min
                        + (max == Long.MAX_VALUE ? " up" : " to " + max) + ", got " + Json.excerpt(selected));
            }
            return selected.asLong();
        }
    }
}
