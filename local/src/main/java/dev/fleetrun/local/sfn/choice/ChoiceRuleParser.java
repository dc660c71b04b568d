package dev.fleetrun.local.sfn.choice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.definition.Problems;
import dev.fleetrun.local.sfn.json.Json;
import dev.fleetrun.local.sfn.path.AslPath;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Choice rule (JSONPath form): {@code And}, {@code Or}, {@code Not}, or {@code Variable} with exactly
 * one comparison operator whose operand has the right type. Problems point at the rule's fields.
 */
public final class ChoiceRuleParser {

    private ChoiceRuleParser() {
    }

    /**
     * Parses one rule. {@code fields} is the rule object; the caller reads and allows {@code Next} for a
     * top-level rule, and this reports everything else that is unknown.
     */
    public static ChoiceRule parse(Fields fields) {
        fields.allow("Comment");
        ChoiceRule rule;
        if (fields.has("And") || fields.has("Or")) {
            String op = fields.has("And") ? "And" : "Or";
            if (fields.has("And") && fields.has("Or")) {
                fields.problems().add(Problems.SCHEMA, fields.pointer(), "a rule may have 'And' or 'Or', not both");
            }
            List<JsonNode> items = fields.array(op);
            List<ChoiceRule> rules = new ArrayList<>();
            if (items != null) {
                if (items.isEmpty()) {
                    fields.problem(op, Problems.SCHEMA, "'" + op + "' must hold at least one rule");
                }
                for (int i = 0; i < items.size(); i++) {
                    Fields nested = Fields.of(items.get(i), fields.pointer(op) + "/" + i, fields.problems(), "a choice rule");
                    if (nested != null) {
                        rules.add(nested(nested));
                    }
                }
            }
            rule = op.equals("And") ? new AndRule(List.copyOf(rules)) : new OrRule(List.copyOf(rules));
        } else if (fields.has("Not")) {
            Fields nested = Fields.of(fields.raw("Not"), fields.pointer("Not"), fields.problems(), "a choice rule");
            rule = new NotRule(nested == null ? (input, bindings) -> false : nested(nested));
        } else {
            rule = comparison(fields);
        }
        fields.rejectUnknown();
        return rule;
    }

    private static ChoiceRule nested(Fields fields) {
        if (fields.has("Next")) {
            fields.problem("Next", Problems.SCHEMA, "only a top-level choice rule may have 'Next'");
        }
        return parse(fields);
    }

    private static ChoiceRule comparison(Fields fields) {
        String variableText = fields.requiredString("Variable");
        AslPath variable = null;
        if (variableText != null) {
            try {
                variable = AslPath.compile(variableText);
            } catch (IllegalArgumentException e) {
                fields.problem("Variable", Problems.INVALID_PATH, e.getMessage());
            }
        }
        List<ComparisonOperator> found = new ArrayList<>();
        fields.node().fieldNames().forEachRemaining(name -> ComparisonOperator.named(name).ifPresent(found::add));
        if (found.size() != 1) {
            fields.problems().add(Problems.SCHEMA, fields.pointer(), found.isEmpty()
                    ? "the rule needs a comparison operator (StringEquals, NumericLessThan, IsPresent, ...), or And, Or, Not"
                    : "a rule may have only one comparison operator, found " + found);
            found.forEach(op -> fields.allow(op.name()));
            return (input, bindings) -> false;
        }
        ComparisonOperator operator = found.get(0);
        JsonNode operand = fields.raw(operator.name());
        AslPath operandPath = null;
        java.util.regex.Pattern pattern = null;
        if (operator.isPath()) {
            if (!operand.isTextual()) {
                fields.problem(operator.name(), Problems.SCHEMA, "'" + operator + "' must be a path (a string), got " + Json.typeName(operand));
            } else {
                try {
                    operandPath = AslPath.compile(operand.textValue());
                } catch (IllegalArgumentException e) {
                    fields.problem(operator.name(), Problems.INVALID_PATH, e.getMessage());
                }
            }
        } else {
            String expected = checkOperand(operator, operand);
            if (expected != null) {
                fields.problem(operator.name(), Problems.SCHEMA, "'" + operator + "' must be " + expected + ", got " + Json.excerpt(operand));
            } else if (operator == ComparisonOperator.StringMatches) {
                pattern = ComparisonRule.compileMatch(operand.textValue());
            }
        }
        if (variable == null || (operator.isPath() && operandPath == null)) {
            return (input, bindings) -> false;
        }
        return new ComparisonRule(variable, operator, operand, operandPath, pattern);
    }

    /** What the literal operand should have been, or {@code null} when it is right. */
    private static String checkOperand(ComparisonOperator operator, JsonNode operand) {
        return switch (operator.kind()) {
            case STRING, MATCH -> operand.isTextual() ? null : "a string";
            case NUMERIC -> operand.isNumber() ? null : "a number";
            case BOOLEAN, TYPE_TEST -> operand.isBoolean() ? null : "true or false";
            case TIMESTAMP -> operand.isTextual() && Timestamps.parse(operand.textValue()) != null ? null
                    : "a timestamp such as 2016-03-14T01:59:00Z";
        };
    }
}
