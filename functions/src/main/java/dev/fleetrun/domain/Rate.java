package dev.fleetrun.domain;

import java.util.regex.Pattern;

/**
 * One of SSM's "count or percentage" rate values, as {@code MaxConcurrency} and {@code MaxErrors} take them:
 * either an absolute number of nodes ({@code "3"}) or a percentage of the targeted nodes ({@code "25%"}).
 *
 * <p>fleetrun gives both values SSM's meaning, applied to the whole run rather than one command:
 * {@code maxConcurrency} caps how many nodes run at the same time, {@code maxErrors} is how many errors the
 * run allows before it stops (see {@link ErrorBudget}). SSM does not document how it rounds a percentage;
 * fleetrun rounds concurrency up ({@link #ceilOf}, so {@code 1%} of a small fleet still runs one node) and the
 * error allowance down ({@link #floorOf}, so {@code 10%} of 15 nodes allows 1 error, never 2).
 *
 * <p>The parse methods accept exactly SSM's patterns (at most 7 characters, like SSM), so a value fleetrun
 * accepts is one SSM accepts too. Their {@link IllegalArgumentException} message is a reason without a field
 * name (for example {@code must be ... got "0"}): the caller prefixes the field it parsed.
 *
 * @param value   the count, or the percentage (0..100)
 * @param percent whether {@code value} is a percentage of the targeted nodes
 */
public record Rate(int value, boolean percent) {

    private static final Pattern CONCURRENCY = Pattern.compile("^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$");
    private static final Pattern ERRORS = Pattern.compile("^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$");
    /** SSM limits both fields to 7 characters. */
    private static final int MAX_LENGTH = 7;

    public Rate {
        if (value < 0) {
            throw new IllegalArgumentException("a rate cannot be negative, got " + value);
        }
        if (percent && value > 100) {
            throw new IllegalArgumentException("a percentage rate must be 0% to 100%, got " + value + "%");
        }
    }

    /** An absolute number of nodes. */
    public static Rate count(int value) {
        return new Rate(value, false);
    }

    /** A percentage (0..100) of the targeted nodes. */
    public static Rate percentage(int value) {
        return new Rate(value, true);
    }

    /**
     * Parses an SSM {@code MaxConcurrency} value: a count of at least 1 or a percentage from 1% to 100%.
     *
     * @throws IllegalArgumentException with a reason the user can act on, when {@code s} is not of that form
     */
    public static Rate parseConcurrency(String s) {
        return parse(s, CONCURRENCY,
                "must be a number of nodes of at least 1 such as \"10\", or a percentage from 1% to 100% such as \"25%\"");
    }

    /**
     * Parses an SSM {@code MaxErrors} value: a count of at least 0 or a percentage from 0% to 100%.
     * {@code "0"} means the first error stops the run.
     *
     * @throws IllegalArgumentException with a reason the user can act on, when {@code s} is not of that form
     */
    public static Rate parseErrors(String s) {
        return parse(s, ERRORS,
                "must be a number of errors of at least 0 such as \"2\", or a percentage from 0% to 100% such as \"10%\"");
    }

    private static Rate parse(String s, Pattern pattern, String expected) {
        if (s == null) {
            throw new IllegalArgumentException(expected + ", got nothing");
        }
        if (s.length() > MAX_LENGTH || !pattern.matcher(s).matches()) {
            String hint = s.chars().anyMatch(Character::isWhitespace) ? " (remove the spaces)" : "";
            throw new IllegalArgumentException(expected + ", got \"" + s + "\"" + hint);
        }
        boolean percent = s.endsWith("%");
        int value = Integer.parseInt(percent ? s.substring(0, s.length() - 1) : s);
        return new Rate(value, percent);
    }

    /** The rate applied to {@code total} nodes, rounded up: a count is itself, a percentage is ceil(value × total / 100). */
    public int ceilOf(int total) {
        requireTotal(total);
        if (!percent) {
            return value;
        }
        return (int) (((long) value * total + 99) / 100);
    }

    /** The rate applied to {@code total} nodes, rounded down: a count is itself, a percentage is floor(value × total / 100). */
    public int floorOf(int total) {
        requireTotal(total);
        if (!percent) {
            return value;
        }
        return (int) ((long) value * total / 100);
    }

    private static void requireTotal(int total) {
        if (total < 0) {
            throw new IllegalArgumentException("a node total cannot be negative, got " + total);
        }
    }

    /** SSM's form: {@code "25%"} or {@code "3"}; parsing it gives this rate back. */
    @Override
    public String toString() {
        return percent ? value + "%" : Integer.toString(value);
    }
}
