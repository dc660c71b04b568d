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
import dev.fleetrun.local.sfn.errors.StatesQueryEvaluationError;
import dev.fleetrun.local.sfn.jsonata.Assign;
import dev.fleetrun.local.sfn.jsonata.JsonataValue;
import dev.fleetrun.local.sfn.jsonata.StatesView;
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
 *
 * <p>In JSONata, {@code Items} (an array or an expression; default: the input) gives the items,
 * {@code ItemSelector} may use {@code $states.context.Map.Item}, the numbers may be expressions, and
 * {@code Output} (default: the results) and {@code Assign} work as in other states.
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
    private final JsonataFields jsonata;
    private final JsonataValue items;
    private final JsonataValue jsonataSelector;
    private final JsonataValue maxConcurrencyExpression;
    private final JsonataValue toleratedCountExpression;
    private final JsonataValue toleratedPercentageExpression;
    private final Assign assign;

    MapState(String name, Fields fields, ParseContext context, boolean jsonataLanguage) {
        super(name);
        flow = Flow.parse(fields);
        if (jsonataLanguage) {
            jsonata = JsonataFields.parse(fields, false);
            items = JsonataFields.value(fields, "Items");
            jsonataSelector = JsonataFields.value(fields, "ItemSelector");
            maxConcurrencyExpression = JsonataFields.number(fields, "MaxConcurrency", 0);
            toleratedCountExpression = JsonataFields.number(fields, "ToleratedFailureCount", 0);
            toleratedPercentageExpression = JsonataFields.value(fields, "ToleratedFailurePercentage");
        } else {
            jsonata = null;
            items = null;
            jsonataSelector = null;
            maxConcurrencyExpression = null;
            toleratedCountExpression = null;
            toleratedPercentageExpression = null;
        }
        fields.atMostOne("ItemProcessor", "Iterator");
        String processorField = fields.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
        if (!fields.has(processorField)) {
            fields.problems().add(Problems.SCHEMA, fields.pointer(), "a Map state needs an 'ItemProcessor' (or 'Iterator')");
            processor = null;
        } else {
            processor = context.nested(fields.raw(processorField), fields.pointer(processorField));
            checkProcessorConfig(fields.raw(processorField), fields.pointer(processorField), fields.problems());
        }
        errorHandling = ErrorHandling.parse(fields, jsonataLanguage);
        if (jsonataLanguage) {
            inputPath = null;
            itemsPath = null;
            itemSelector = null;
            resultSelector = null;
            resultPath = null;
            outputPath = null;
            assign = null;
            maxConcurrency = new Setting("MaxConcurrency", null, null, 0, Long.MAX_VALUE);
            toleratedCount = new Setting("ToleratedFailureCount", null, null, 0, Long.MAX_VALUE);
            toleratedPercentage = new Setting("ToleratedFailurePercentage", null, null, 0, 100);
        } else {
            inputPath = InputPath.parse(fields, "InputPath");
            String itemsText = fields.string("ItemsPath");
            AslPath parsedItems = null;
            if (itemsText != null) {
                try {
                    parsedItems = AslPath.compile(itemsText);
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
            assign = Assign.parse(fields, false);
            maxConcurrency = Setting.parse(fields, "MaxConcurrency", 0, Long.MAX_VALUE);
            toleratedCount = Setting.parse(fields, "ToleratedFailureCount", 0, Long.MAX_VALUE);
            toleratedPercentage = Setting.parse(fields, "ToleratedFailurePercentage", 0, 100);
        }
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
        if (jsonata != null) {
            ErrorHandling.Outcome outcome = errorHandling.run(context, input, () -> attemptJsonata(context, input));
            return new Transition(outcome.caught() ? outcome.caughtNext() : flow.next(), outcome.output());
        }
        JsonNode effective = inputPath.apply(input, context.bindings());
        ErrorHandling.Outcome outcome = errorHandling.run(context, input, () -> attempt(context, input, effective));
        return new Transition(outcome.caught() ? outcome.caughtNext() : flow.next(), outcome.output());
    }

    private JsonNode attemptJsonata(StateContext context, JsonNode input) {
        refuseItemReader();
        StatesView view = JsonataFields.view(context, input);
        JsonNode itemList = items == null ? input : items.evaluate(view);
        if (!itemList.isArray()) {
            throw new StatesQueryEvaluationError("The Map state's Items must be an array, got " + Json.typeName(itemList));
        }
        long concurrency = maxConcurrencyExpression == null ? 0
                : JsonataFields.evaluateNumber(maxConcurrencyExpression, view, "MaxConcurrency", 0);
        boolean tolerant = toleratedCountExpression != null || toleratedPercentageExpression != null;
        long byCount = toleratedCountExpression == null ? Long.MAX_VALUE
                : JsonataFields.evaluateNumber(toleratedCountExpression, view, "ToleratedFailureCount", 0);
        long byPercentage = Long.MAX_VALUE;
        if (toleratedPercentageExpression != null) {
            JsonNode percentage = toleratedPercentageExpression.evaluate(view);
            if (!percentage.isNumber() || percentage.asDouble() < 0 || percentage.asDouble() > 100) {
                throw new StatesQueryEvaluationError("'ToleratedFailurePercentage' must be a number from 0 to 100, got "
                        + Json.excerpt(percentage));
            }
            byPercentage = (long) Math.floor(percentage.asDouble() * itemList.size() / 100.0);
        }
        int tolerated = tolerant ? (int) Math.min(Integer.MAX_VALUE, Math.min(byCount, byPercentage)) : 0;
        JsonNode results = iterateAll(context, itemList, (int) Math.min(Integer.MAX_VALUE, concurrency), tolerated, tolerant,
                (index, item, branch) -> {
                    if (jsonataSelector == null) {
                        return item;
                    }
                    StateContext itemContext = new StateContext(branch, name(), context.clock().now());
                    itemContext.mapItem(IntNode.valueOf(index), item);
                    return jsonataSelector.evaluate(new StatesView(input, null, null, itemContext::contextObject, view.variables()));
                });
        return jsonata.finish(context, view.withResult(results), results);
    }

    private void refuseItemReader() {
        if (hasItemReader) {
            throw new StatesItemReaderFailed("ItemReader (reading items from S3) is not supported by the embedded "
                    + "Step Functions engine; pass the items in the state input and use ItemsPath (or Items).");
        }
    }

    /** Builds one iteration's input. */
    @FunctionalInterface
    private interface ItemInput {
        JsonNode build(int index, JsonNode item, BranchContext branch);
    }

    private JsonNode attempt(StateContext context, JsonNode input, JsonNode effective) {
        refuseItemReader();
        JsonNode items = items(context, effective);
        int count = items.size();
        int concurrency = (int) Math.min(Integer.MAX_VALUE, maxConcurrency.resolve(context, effective, 0));
        int tolerated = tolerance(context, effective, count);
        JsonNode outputs = iterateAll(context, items, concurrency, tolerated, toleratedCount.given() || toleratedPercentage.given(),
                (index, item, branch) -> {
                    if (itemSelector == null) {
                        return item;
                    }
                    StateContext itemContext = new StateContext(branch, name(), context.clock().now());
                    itemContext.mapItem(IntNode.valueOf(index), item);
                    return itemSelector.evaluate(effective, itemContext.bindings());
                });
        JsonNode selected = resultSelector == null ? outputs : resultSelector.evaluate(outputs, context.bindings());
        JsonNode output = outputPath.apply(resultPath.apply(input, selected), context.bindings());
        if (assign != null) {
            context.branch().variables().assignAll(assign.evaluate(selected, context.bindings()));
        }
        return output;
    }

    private JsonNode iterateAll(StateContext context, JsonNode items, int concurrency, int tolerated, boolean tolerant,
                                ItemInput itemInput) {
        int count = items.size();
        Map<String, Object> started = new LinkedHashMap<>();
        started.put("length", count);
        context.emit(HistoryEventType.MapStateStarted, started);
        Fanout.Result result = Fanout.run(context, name(), count, concurrency, tolerated,
                (index, branch) -> iterate(branch, index, items.get(index), itemInput));
        if (result.fatal() != null) {
            context.emit(HistoryEventType.MapStateFailed, Map.of());
            if (tolerant) {
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
        return outputs;
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

    private JsonNode iterate(BranchContext branch, int index, JsonNode item, ItemInput itemInput) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", name());
        details.put("index", index);
        branch.emit(HistoryEventType.MapIterationStarted, details);
        try {
            JsonNode iterationInput = itemInput.build(index, item, branch);
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
