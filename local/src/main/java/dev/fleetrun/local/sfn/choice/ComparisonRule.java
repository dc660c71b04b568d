package dev.fleetrun.local.sfn.choice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.errors.StatesRuntime;
import dev.fleetrun.local.sfn.path.AslPath;
import dev.fleetrun.local.sfn.path.Bindings;
import dev.fleetrun.local.sfn.path.PathNotFoundException;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A comparison: {@code Variable} (a path into the input) against a literal or, for the {@code ...Path}
 * operators, the value another path selects. A value of the wrong type makes the comparison false, never an
 * error; a Variable that selects nothing is an error ({@code States.Runtime}) except for {@code IsPresent}.
 *
 * @param variable the path of the value to test
 * @param operator the comparison
 * @param operand  the literal to compare with (for path operators: unused)
 * @param operandPath the path of the value to compare with (path operators only)
 * @param pattern  the compiled StringMatches pattern (StringMatches only)
 */
public record ComparisonRule(AslPath variable, ComparisonOperator operator, JsonNode operand, AslPath operandPath,
                             Pattern pattern) implements ChoiceRule {

    @Override
    public boolean matches(JsonNode input, Bindings bindings) {
        JsonNode value;
        try {
            value = variable.select(input, bindings);
        } catch (PathNotFoundException e) {
            if (operator == ComparisonOperator.IsPresent) {
                return !operand.booleanValue();
            }
            throw new StatesRuntime("Invalid path '" + variable.text() + "': The choice state's condition path references"
                    + " an invalid value (" + e.getMessage() + ").");
        }
        if (operator.kind() == ComparisonOperator.Kind.TYPE_TEST) {
            return typeTest(value) == operand.booleanValue();
        }
        JsonNode other = operand;
        if (operator.isPath()) {
            try {
                other = operandPath.select(input, bindings);
            } catch (PathNotFoundException e) {
                throw new StatesRuntime("Invalid path '" + operandPath.text() + "': The choice state's " + operator
                        + " path references an invalid value (" + e.getMessage() + ").");
            }
        }
        return switch (operator.kind()) {
            case STRING -> value.isTextual() && other.isTextual()
                    && operator.holds(Integer.signum(value.textValue().compareTo(other.textValue())));
            case NUMERIC -> value.isNumber() && other.isNumber()
                    && operator.holds(value.decimalValue().compareTo(other.decimalValue()));
            case BOOLEAN -> value.isBoolean() && other.isBoolean() && value.booleanValue() == other.booleanValue();
            case TIMESTAMP -> compareTimestamps(value, other);
            case MATCH -> value.isTextual() && pattern.matcher(value.textValue()).matches();
            case TYPE_TEST -> throw new IllegalStateException("handled above");
        };
    }

    private boolean compareTimestamps(JsonNode value, JsonNode other) {
        if (!value.isTextual() || !other.isTextual()) {
            return false;
        }
        Instant left = Timestamps.parse(value.textValue());
        Instant right = Timestamps.parse(other.textValue());
        return left != null && right != null && operator.holds(left.compareTo(right));
    }

    private boolean typeTest(JsonNode value) {
        return switch (operator) {
            case IsNull -> value.isNull();
            case IsPresent -> true;
            case IsNumeric -> value.isNumber();
            case IsString -> value.isTextual();
            case IsBoolean -> value.isBoolean();
            case IsTimestamp -> value.isTextual() && Timestamps.parse(value.textValue()) != null;
            default -> throw new IllegalStateException(operator + " is not a type test");
        };
    }

    /**
     * The regular expression for a StringMatches pattern: {@code *} matches any run of characters,
     * {@code \*} a literal star and {@code \\} a literal backslash; everything else matches itself.
     */
    public static Pattern compileMatch(String pattern) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length() && (pattern.charAt(i + 1) == '*' || pattern.charAt(i + 1) == '\\')) {
                literal.append(pattern.charAt(++i));
            } else if (c == '*') {
                regex.append(Pattern.quote(literal.toString())).append(".*");
                literal.setLength(0);
            } else {
                literal.append(c);
            }
        }
        regex.append(Pattern.quote(literal.toString()));
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
