package dev.fleetrun.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The size of one wave of an explicit wave plan ({@code "waves": [1, "10%", "50%"]}): a number of nodes, or a
 * percentage of the targeted nodes rounded up, so {@code "10%"} of 15 nodes is a wave of 2 and never an empty one.
 * How sizes become waves is {@link WavePlanner}'s job.
 *
 * @param value   the node count (at least 1), or the percentage (1..100)
 * @param percent whether {@code value} is a percentage of the targeted nodes
 */
public record WaveSize(int value, boolean percent) {

    private static final Pattern PERCENT = Pattern.compile("^([1-9][0-9]{0,2})%$");
    private static final Pattern COUNT = Pattern.compile("^[1-9][0-9]{0,8}$");
    private static final String EXPECTED =
            "must be a number of nodes of at least 1 such as 5, or a percentage from 1% to 100% such as \"10%\"";

    public WaveSize {
        if (value < 1 || (percent && value > 100)) {
            throw new IllegalArgumentException(EXPECTED + ", got " + (percent ? value + "%" : value));
        }
    }

    /**
     * Reads one entry of {@code waves}: a JSON integer of at least 1, or a string {@code "N%"} with N from 1 to 100
     * (a string of digits such as {@code "5"} is read as a count).
     *
     * @throws IllegalArgumentException with a reason (no field name) when the entry is neither
     */
    public static WaveSize parse(JsonNode n) {
        if (n != null && n.isNumber()) {
            if (!n.canConvertToExactIntegral() || !n.canConvertToInt() || n.asInt() < 1) {
                throw new IllegalArgumentException(EXPECTED + ", got " + n);
            }
            return new WaveSize(n.asInt(), false);
        }
        if (n != null && n.isTextual()) {
            String s = n.textValue();
            Matcher percent = PERCENT.matcher(s);
            if (percent.matches() && Integer.parseInt(percent.group(1)) <= 100) {
                return new WaveSize(Integer.parseInt(percent.group(1)), true);
            }
            if (COUNT.matcher(s).matches()) {
                return new WaveSize(Integer.parseInt(s), false);
            }
            throw new IllegalArgumentException(EXPECTED + ", got \"" + s + "\"");
        }
        throw new IllegalArgumentException(EXPECTED + ", got " + JsonKinds.describe(n));
    }

    /** The number of nodes this wave holds out of {@code total}: the count itself, or ceil(value × total / 100). */
    public int of(int total) {
        if (total < 0) {
            throw new IllegalArgumentException("a node total cannot be negative, got " + total);
        }
        return percent ? (int) (((long) value * total + 99) / 100) : value;
    }

    /** The request's form: {@code "10%"} or {@code "5"}. */
    @Override
    public String toString() {
        return percent ? value + "%" : Integer.toString(value);
    }
}
