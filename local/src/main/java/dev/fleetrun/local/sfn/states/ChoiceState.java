package dev.fleetrun.local.sfn.states;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.choice.ChoiceRule;
import dev.fleetrun.local.sfn.choice.ChoiceRuleParser;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.definition.Problems;
import dev.fleetrun.local.sfn.errors.StatesNoChoiceMatched;
import dev.fleetrun.local.sfn.io.InputPath;
import dev.fleetrun.local.sfn.errors.StatesQueryEvaluationError;
import dev.fleetrun.local.sfn.json.Json;
import dev.fleetrun.local.sfn.jsonata.Assign;
import dev.fleetrun.local.sfn.jsonata.JsonataValue;
import dev.fleetrun.local.sfn.jsonata.StatesView;
import dev.fleetrun.local.sfn.runtime.StateContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * {@code Choice}: goes to the {@code Next} of the first rule that holds, else to {@code Default}, else fails
 * with {@code States.NoChoiceMatched}. Its output is its (filtered) input. In JSONata a rule is a
 * {@code Condition} expression, and a rule or the state may set {@code Output} and {@code Assign}.
 */
public final class ChoiceState extends State {

    private final InputPath inputPath;
    private final InputPath outputPath;
    private final List<Branch> choices = new ArrayList<>();
    private final String defaultState;
    private final String defaultPointer;

    private final JsonataFields jsonata;
    private final Assign assign;

    private record Branch(ChoiceRule rule, JsonataValue condition, JsonataFields data, Assign assign, String next, String pointer) {
    }

    ChoiceState(String name, Fields fields, boolean jsonataLanguage) {
        super(name);
        jsonata = jsonataLanguage ? JsonataFields.parse(fields, false) : null;
        inputPath = jsonataLanguage ? null : InputPath.parse(fields, "InputPath");
        outputPath = jsonataLanguage ? null : InputPath.parse(fields, "OutputPath");
        assign = jsonataLanguage ? null : Assign.parse(fields, false);
        List<JsonNode> rules = fields.array("Choices");
        if (rules == null && !fields.has("Choices")) {
            fields.problem("Choices", Problems.SCHEMA, "the field 'Choices' is required");
        } else if (rules != null && rules.isEmpty()) {
            fields.problem("Choices", Problems.SCHEMA, "'Choices' must hold at least one rule");
        }
        if (rules != null) {
            for (int i = 0; i < rules.size(); i++) {
                Fields rule = Fields.of(rules.get(i), fields.pointer("Choices") + "/" + i, fields.problems(), "a choice rule");
                if (rule == null) {
                    continue;
                }
                String next = rule.requiredString("Next");
                if (jsonataLanguage) {
                    JsonataValue condition = JsonataFields.value(rule, "Condition");
                    if (condition == null || !condition.isExpression()) {
                        rule.problem("Condition", Problems.SCHEMA, "a JSONata choice rule needs a 'Condition' expression {% ... %}");
                    }
                    JsonataFields data = JsonataFields.parse(rule, false);
                    rule.allow("Comment");
                    rule.rejectUnknown();
                    choices.add(new Branch(null, condition, data, null, next, rule.pointer("Next")));
                } else {
                    Assign ruleAssign = Assign.parse(rule, false);
                    choices.add(new Branch(ChoiceRuleParser.parse(rule), null, null, ruleAssign, next, rule.pointer("Next")));
                }
            }
        }
        defaultState = fields.string("Default");
        defaultPointer = fields.pointer("Default");
        if (fields.has("Next") || fields.has("End")) {
            fields.problems().add(Problems.SCHEMA, fields.pointer(), "a Choice state may not have 'Next' or 'End'; its rules and 'Default' say where to go");
        }
    }

    @Override
    public StateType type() {
        return StateType.Choice;
    }

    @Override
    public Transition run(StateContext context, JsonNode input) {
        if (jsonata != null) {
            return runJsonata(context, input);
        }
        JsonNode effective = inputPath.apply(input, context.bindings());
        String next = null;
        Assign chosenAssign = assign;
        for (Branch choice : choices) {
            if (choice.rule().matches(effective, context.bindings())) {
                next = choice.next();
                if (choice.assign() != null) {
                    chosenAssign = choice.assign();
                }
                break;
            }
        }
        if (next == null) {
            next = defaultState;
        }
        if (next == null) {
            throw new StatesNoChoiceMatched("No Choice rule of the state '" + name() + "' matched the input "
                    + Json.excerpt(effective) + ", and it has no Default.");
        }
        if (chosenAssign != null) {
            context.branch().variables().assignAll(chosenAssign.evaluate(effective, context.bindings()));
        }
        return new Transition(next, outputPath.apply(effective, context.bindings()));
    }

    private Transition runJsonata(StateContext context, JsonNode input) {
        StatesView view = JsonataFields.view(context, input);
        for (Branch choice : choices) {
            if (choice.condition() == null) {
                continue;
            }
            JsonNode holds = choice.condition().evaluate(view);
            if (!holds.isBoolean()) {
                throw new StatesQueryEvaluationError("The Condition of a rule of the Choice state '" + name()
                        + "' must evaluate to true or false, got " + Json.excerpt(holds));
            }
            if (holds.booleanValue()) {
                JsonNode output = choice.data().finish(context, view, jsonata.output(view, input));
                return new Transition(choice.next(), output);
            }
        }
        if (defaultState == null) {
            throw new StatesNoChoiceMatched("No Choice rule of the state '" + name() + "' matched the input "
                    + Json.excerpt(input) + ", and it has no Default.");
        }
        return new Transition(defaultState, jsonata.finish(context, view, input));
    }

    @Override
    public void targets(BiConsumer<String, String> target) {
        for (Branch choice : choices) {
            if (choice.next() != null) {
                target.accept(choice.next(), choice.pointer());
            }
        }
        if (defaultState != null) {
            target.accept(defaultState, defaultPointer);
        }
    }
}
