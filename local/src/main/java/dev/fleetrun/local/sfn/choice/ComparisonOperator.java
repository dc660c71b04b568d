package dev.fleetrun.local.sfn.choice;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every comparison operator of a Choice rule, declared as data: what kind of value it compares, how, and
 * whether its operand is a literal or a path ({@code ...Path}).
 */
public enum ComparisonOperator {
    StringEquals(Kind.STRING, Relation.EQ), StringEqualsPath(Kind.STRING, Relation.EQ),
    StringLessThan(Kind.STRING, Relation.LT), StringLessThanPath(Kind.STRING, Relation.LT),
    StringGreaterThan(Kind.STRING, Relation.GT), StringGreaterThanPath(Kind.STRING, Relation.GT),
    StringLessThanEquals(Kind.STRING, Relation.LE), StringLessThanEqualsPath(Kind.STRING, Relation.LE),
    StringGreaterThanEquals(Kind.STRING, Relation.GE), StringGreaterThanEqualsPath(Kind.STRING, Relation.GE),
    StringMatches(Kind.MATCH, Relation.EQ),
    NumericEquals(Kind.NUMERIC, Relation.EQ), NumericEqualsPath(Kind.NUMERIC, Relation.EQ),
    NumericLessThan(Kind.NUMERIC, Relation.LT), NumericLessThanPath(Kind.NUMERIC, Relation.LT),
    NumericGreaterThan(Kind.NUMERIC, Relation.GT), NumericGreaterThanPath(Kind.NUMERIC, Relation.GT),
    NumericLessThanEquals(Kind.NUMERIC, Relation.LE), NumericLessThanEqualsPath(Kind.NUMERIC, Relation.LE),
    NumericGreaterThanEquals(Kind.NUMERIC, Relation.GE), NumericGreaterThanEqualsPath(Kind.NUMERIC, Relation.GE),
    BooleanEquals(Kind.BOOLEAN, Relation.EQ), BooleanEqualsPath(Kind.BOOLEAN, Relation.EQ),
    TimestampEquals(Kind.TIMESTAMP, Relation.EQ), TimestampEqualsPath(Kind.TIMESTAMP, Relation.EQ),
    TimestampLessThan(Kind.TIMESTAMP, Relation.LT), TimestampLessThanPath(Kind.TIMESTAMP, Relation.LT),
    TimestampGreaterThan(Kind.TIMESTAMP, Relation.GT), TimestampGreaterThanPath(Kind.TIMESTAMP, Relation.GT),
    TimestampLessThanEquals(Kind.TIMESTAMP, Relation.LE), TimestampLessThanEqualsPath(Kind.TIMESTAMP, Relation.LE),
    TimestampGreaterThanEquals(Kind.TIMESTAMP, Relation.GE), TimestampGreaterThanEqualsPath(Kind.TIMESTAMP, Relation.GE),
    IsNull(Kind.TYPE_TEST, Relation.EQ), IsPresent(Kind.TYPE_TEST, Relation.EQ), IsNumeric(Kind.TYPE_TEST, Relation.EQ),
    IsString(Kind.TYPE_TEST, Relation.EQ), IsBoolean(Kind.TYPE_TEST, Relation.EQ), IsTimestamp(Kind.TYPE_TEST, Relation.EQ);

    /** What an operator compares. */
    public enum Kind { STRING, NUMERIC, BOOLEAN, TIMESTAMP, MATCH, TYPE_TEST }

    /** How it compares. */
    public enum Relation { EQ, LT, GT, LE, GE }

    private final Kind kind;
    private final Relation relation;

    ComparisonOperator(Kind kind, Relation relation) {
        this.kind = kind;
        this.relation = relation;
    }

    /** What the operator compares. */
    public Kind kind() {
        return kind;
    }

    /** How. */
    public Relation relation() {
        return relation;
    }

    /** Whether its operand is a path to the value to compare with. */
    public boolean isPath() {
        return name().endsWith("Path");
    }

    /** The operator with this field name. */
    public static Optional<ComparisonOperator> named(String field) {
        return Arrays.stream(values()).filter(op -> op.name().equals(field)).findFirst();
    }

    /** Whether a comparison result (negative, zero, positive) satisfies the relation. */
    public boolean holds(int comparison) {
        return switch (relation) {
            case EQ -> comparison == 0;
            case LT -> comparison < 0;
            case GT -> comparison > 0;
            case LE -> comparison <= 0;
            case GE -> comparison >= 0;
        };
    }
}
