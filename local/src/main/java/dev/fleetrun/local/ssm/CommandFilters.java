package dev.fleetrun.local.ssm;

import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.RequestFields;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Predicate;

/**
 * The {@code Filters} of ListCommands and ListCommandInvocations ({@code [{"key", "value"}]}, 1 to 5):
 * {@code InvokedAfter} / {@code InvokedBefore} (ISO-8601, inclusive), {@code Status} (the coarse
 * status or the StatusDetails, e.g. {@code Failed} or {@code Undeliverable}), {@code DocumentName},
 * and for ListCommands only {@code ExecutionStage} ({@code Executing} | {@code Complete}).
 * Several filters must all match.
 */
public final class CommandFilters {
    private CommandFilters() {
    }

    /** One listed row: a command, and for ListCommandInvocations one of its invocations. */
    public record Row(SsmCommand command, SsmInvocation invocation) {
        public String status() {
            return invocation == null ? command.rollup().status() : invocation.status();
        }

        public String statusDetails() {
            return invocation == null ? command.rollup().statusDetails() : invocation.statusDetails();
        }
    }

    public static Predicate<Row> forCommands(JsonNode input) {
        return parse(input, true);
    }

    public static Predicate<Row> forInvocations(JsonNode input) {
        return parse(input, false);
    }

    private static Predicate<Row> parse(JsonNode input, boolean commands) {
        List<JsonNode> filters = RequestFields.objects(input, "Filters");
        if (RequestFields.has(input, "Filters")) {
            RequestFields.checkSize("Filters", filters, 1, 5);
        }
        Predicate<Row> all = row -> true;
        for (JsonNode filter : filters) {
            all = all.and(one(RequestFields.requiredText(filter, "key"), RequestFields.requiredText(filter, "value"),
                    commands));
        }
        return all;
    }

    private static Predicate<Row> one(String key, String value, boolean commands) {
        return switch (key) {
            case "InvokedAfter" -> {
                Instant after = instant(key, value);
                yield row -> !row.command().requestedAt().isBefore(after);
            }
            case "InvokedBefore" -> {
                Instant before = instant(key, value);
                yield row -> !row.command().requestedAt().isAfter(before);
            }
            case "DocumentName" -> row -> row.command().document().name().equals(value);
            case "Status" -> row -> value.equals(row.status()) || value.equals(row.statusDetails());
            case "ExecutionStage" -> {
                if (!commands) {
                    throw invalidKey(key, false);
                }
                if (!value.equals("Executing") && !value.equals("Complete")) {
                    throw AwsError.of("InvalidFilterValue", "ExecutionStage must be Executing or Complete, not '"
                            + value + "'");
                }
                boolean complete = value.equals("Complete");
                yield row -> row.command().rollup().terminal() == complete;
            }
            default -> throw invalidKey(key, commands);
        };
    }

    private static Instant instant(String key, String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw AwsError.of("InvalidFilterValue", "Filter " + key + " needs an ISO-8601 timestamp such as"
                    + " 2024-05-14T10:00:00Z, not '" + value + "'");
        }
    }

    private static AwsError invalidKey(String key, boolean commands) {
        String allowed = commands ? "InvokedAfter, InvokedBefore, Status, DocumentName, ExecutionStage"
                : "InvokedAfter, InvokedBefore, Status, DocumentName";
        return AwsError.of("InvalidFilterKey", "Filter key '" + key + "' is not valid here; use " + allowed);
    }
}
