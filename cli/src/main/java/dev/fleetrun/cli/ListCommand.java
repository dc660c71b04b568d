package dev.fleetrun.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.records.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fleetrun list}: the runs, newest first, from the run records in the records table (DynamoDB) of the
 * runtime or stack, the same source on AWS and on a serve. A run refused before it started (invalid request,
 * leased nodes, no targets) has no record: Step Functions' list-executions shows it.
 */
@Command(name = "list", mixinStandardHelpOptions = true, description = "The runs, newest first: id, status, nodes, errors, when.",
        footer = {"", "The runs come from the run records of the records table (on AWS and on a serve alike); a run refused"
                + " before it started has none (see: aws stepfunctions list-executions).",
                "Examples: fleetrun list --status RUNNING    fleetrun list --since 2h --limit 5    fleetrun list --since 2026-12-08",
                ExitCode.HELP})
final class ListCommand extends Fleetrun.Base {
    /** How many of the newest runs a filtered list looks at. */
    static final int FILTER_WINDOW = 1000;
    /** The longest --since back from now: ten years. */
    static final Duration SINCE_MOST = Duration.ofDays(3650);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Mixin
    OutputOption output;

    @Option(names = "--status", paramLabel = "S[,S...]", description = "Only runs with this status (comma-separated): "
            + "RUNNING, CLOSING, SUCCEEDED, NODES_FAILED, BREACHED, ROLLED_BACK, ROLLBACK_FAILED, REJECTED, FAILED, CANCELLED.")
    String status;

    @Option(names = "--since", paramLabel = "D", description = "Only runs started since D: a duration back from now (45s,"
            + " 30m, 2h, 1d, 1w, 1h30m, or seconds) or a date or time (2026-12-08, 2026-12-08T14:30 in this machine's time zone,"
            + " 2026-12-08T14:30:00Z).")
    String since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N runs (1 to 1000; default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1 || limit > FILTER_WINDOW) {
            throw new UsageException("--limit " + limit + ": give a number of runs from 1 to " + FILTER_WINDOW);
        }
        Set<RunStatus> statuses = statuses(status);
        Instant from = since == null ? null : since(since, Instant.now(), ZoneId.systemDefault());
        Terminal t = output.lines(terminal);
        try (Backend backend = Connections.open(connection, t)) {
            boolean filtered = statuses != null || from != null;
            List<RunRecord> runs = backend.store().recentRuns(filtered ? FILTER_WINDOW : limit).stream()
                    .filter(r -> statuses == null || statuses.contains(r.status()))
                    .filter(r -> from == null || !r.createdAt().isBefore(from))
                    .limit(limit).toList();
            if (output.json()) {
                ObjectNode doc = CliJson.document("runs");
                ArrayNode a = doc.putArray("runs");
                // A record still open asks its execution, which may have ended without closing it (see status).
                runs.forEach(r -> {
                    java.util.Optional<software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse> exec =
                            r.status().isTerminal() ? java.util.Optional.empty() : backend.execution(r.runId());
                    a.add(CliJson.run(r.runId(), r, null, exec, RunFollower.exitCode(java.util.Optional.of(r), exec)));
                });
                terminal.document(doc);
                return ExitCode.OK;
            }
            if (runs.isEmpty()) {
                t.line("fleetrun: no run" + (filtered ? " matching " + describe(statuses, from) : "") + " on " + backend.description());
                return ExitCode.OK;
            }
            t.line(String.format("%-40s %-15s %6s %6s %6s  %-19s  %s", "RUN", "STATUS", "NODES", "WAVES", "ERRORS", "STARTED", "TOOK"));
            for (RunRecord r : runs) {
                Instant end = r.finishedAt() != null ? r.finishedAt() : Instant.now();
                t.line(String.format("%-40s %-15s %6d %6d %6d  %-19s  %s", r.runId(), r.status(), r.targeted(), r.waveCount(),
                        r.errors(), WHEN.format(LocalDateTime.ofInstant(r.createdAt(), ZoneId.systemDefault())),
                        LiveDisplay.human(Duration.between(r.createdAt(), end)) + (r.finishedAt() == null ? " so far" : "")));
            }
            return ExitCode.OK;
        }
    }

    private static String describe(Set<RunStatus> statuses, Instant from) {
        String s = statuses == null ? "" : "status " + statuses.stream().map(Enum::name).collect(Collectors.joining(","));
        String f = from == null ? "" : "started since " + from;
        return s.isEmpty() ? f : f.isEmpty() ? s : s + ", " + f;
    }

    /** The statuses of --status, or null for all. */
    static Set<RunStatus> statuses(String text) {
        if (text == null) {
            return null;
        }
        Set<RunStatus> set = EnumSet.noneOf(RunStatus.class);
        for (String part : text.split(",")) {
            String name = part.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                set.add(RunStatus.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--status: '" + part.trim() + "' is no run status; give one or more of "
                        + Arrays.stream(RunStatus.values()).map(Enum::name).collect(Collectors.joining(", ")));
            }
        }
        return set;
    }

    /** --since: a duration back from {@code now} (2h, 1h30m), or a date, a local date-time, or an instant. */
    static Instant since(String text, Instant now, ZoneId zone) {
        String t = text.trim();
        if (Durations.looksLikeOne(t)) {
            return now.minus(Durations.parse(t, "--since", SINCE_MOST));
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            // not an instant with an offset: a local date-time or a date
        }
        try {
            return LocalDateTime.parse(t.replace(' ', 'T')).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            // nor a local date-time
        }
        try {
            return LocalDate.parse(t).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new UsageException("--since '" + text + "' is neither a duration (" + Durations.FORMS + ") nor a date"
                    + " or time (2026-12-08, 2026-12-08T14:30, 2026-12-08T14:30:00Z)");
        }
    }
}
