package dev.fleetrun.catalog.jobs;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks an EventBridge rule schedule expression, {@code rate(value unit)} or {@code cron(minutes hours
 * day-of-month month day-of-week year)}, against the rules EventBridge applies when the rule is created, so a typo
 * fails the synth rather than the deployment.
 */
public final class ScheduleExpression {

    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) ([a-z]+)\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");
    private static final Set<String> SINGULAR = Set.of("minute", "hour", "day");
    private static final Set<String> PLURAL = Set.of("minutes", "hours", "days");
    private static final String MONTHS = "JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC";
    private static final String DAYS = "SUN|MON|TUE|WED|THU|FRI|SAT";

    /** One cron field: its name, numeric range, names allowed in place of numbers, and extra symbols. */
    private record Field(String name, int min, int max, String names, String extras) {
    }

    private static final Field[] FIELDS = {
            new Field("minutes", 0, 59, null, ""),
            new Field("hours", 0, 23, null, ""),
            new Field("day-of-month", 1, 31, null, "?LW"),
            new Field("month", 1, 12, MONTHS, ""),
            new Field("day-of-week", 1, 7, DAYS, "?L#"),
            new Field("year", 1970, 2199, null, ""),
    };

    private ScheduleExpression() {
    }

    /** Why {@code expression} is not a valid rule schedule, or empty when it is. */
    public static Optional<String> problem(String expression) {
        if (expression.startsWith("rate(")) {
            return rateProblem(expression);
        }
        if (expression.startsWith("cron(")) {
            return cronProblem(expression);
        }
        if (expression.startsWith("at(")) {
            return Optional.of("at(...) one-time schedules belong to EventBridge Scheduler, not to rules;"
                    + " use cron(...) with a year, for example cron(0 3 24 12 ? 2026)");
        }
        return Optional.of("'" + expression + "' is neither rate(value unit) nor cron(minutes hours day-of-month month"
                + " day-of-week year)");
    }

    private static Optional<String> rateProblem(String expression) {
        Matcher m = RATE.matcher(expression);
        if (!m.matches()) {
            return Optional.of("'" + expression + "' is not rate(value unit), for example rate(1 hour) or rate(15 minutes)");
        }
        long value;
        try {
            value = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            value = 0;
        }
        String unit = m.group(2);
        if (value < 1 || value > Integer.MAX_VALUE) {
            return Optional.of("'" + expression + "': the rate value must be a positive whole number");
        }
        if (!SINGULAR.contains(unit) && !PLURAL.contains(unit)) {
            return Optional.of("'" + expression + "': the unit must be minute(s), hour(s) or day(s)");
        }
        if (value == 1 && PLURAL.contains(unit)) {
            return Optional.of("'" + expression + "': a rate of 1 takes the singular unit, rate(1 "
                    + unit.substring(0, unit.length() - 1) + ")");
        }
        if (value > 1 && SINGULAR.contains(unit)) {
            return Optional.of("'" + expression + "': a rate above 1 takes the plural unit, rate(" + value + " " + unit + "s)");
        }
        return Optional.empty();
    }

    private static Optional<String> cronProblem(String expression) {
        Matcher m = CRON.matcher(expression);
        if (!m.matches()) {
            return Optional.of("'" + expression + "' is not cron(...)");
        }
        String[] parts = m.group(1).trim().split("\\s+");
        if (parts.length != FIELDS.length) {
            return Optional.of("'" + expression + "' has " + parts.length + " fields; EventBridge cron takes 6:"
                    + " minutes hours day-of-month month day-of-week year, for example cron(0 3 ? * SUN *)");
        }
        for (int i = 0; i < parts.length; i++) {
            Optional<String> problem = fieldProblem(FIELDS[i], parts[i].toUpperCase(Locale.ROOT));
            if (problem.isPresent()) {
                return Optional.of("'" + expression + "': " + FIELDS[i].name() + " '" + parts[i] + "' " + problem.get());
            }
        }
        boolean domAny = parts[2].equals("?");
        boolean dowAny = parts[4].equals("?");
        if (domAny == dowAny) {
            return Optional.of("'" + expression + "': exactly one of day-of-month and day-of-week must be '?'"
                    + " (EventBridge cannot combine both), for example cron(0 3 ? * MON-FRI *)");
        }
        return Optional.empty();
    }

    private static Optional<String> fieldProblem(Field field, String text) {
        if (text.equals("?")) {
            return field.extras().contains("?") ? Optional.empty() : Optional.of("cannot be '?'");
        }
        for (String item : text.split(",", -1)) {
            Optional<String> problem = itemProblem(field, item);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> itemProblem(Field field, String item) {
        if (item.isEmpty()) {
            return Optional.of("has an empty list item");
        }
        String extras = field.extras();
        if (extras.contains("L") && item.equals("L")) {
            return Optional.empty(); // the last day of the month / of the week
        }
        if (extras.contains("W") && item.matches("\\d+W")) {
            return valueProblem(field, item.substring(0, item.length() - 1)); // the weekday nearest to that day
        }
        if (extras.contains("#") && item.length() > 1 && item.endsWith("L")) {
            return valueProblem(field, item.substring(0, item.length() - 1)); // the last such weekday of the month
        }
        if (extras.contains("#") && item.contains("#")) {
            String[] p = item.split("#", -1);
            if (p.length != 2 || !p[1].matches("[1-5]")) {
                return Optional.of("uses '#' as day#n, with n from 1 to 5 (the n-th such weekday of the month)");
            }
            return valueProblem(field, p[0]);
        }
        String range = item;
        if (item.contains("/")) {
            String[] p = item.split("/", -1);
            if (p.length != 2 || !p[1].matches("\\d+") || Integer.parseInt(p[1]) < 1) {
                return Optional.of("uses '/' as start/step, with a positive whole step");
            }
            range = p[0];
        }
        if (range.equals("*")) {
            return Optional.empty();
        }
        if (range.contains("-")) {
            String[] p = range.split("-", -1);
            if (p.length != 2) {
                return Optional.of("uses '-' as from-to");
            }
            Optional<String> from = valueProblem(field, p[0]);
            return from.isPresent() ? from : valueProblem(field, p[1]);
        }
        return valueProblem(field, range);
    }

    private static Optional<String> valueProblem(Field field, String value) {
        if (field.names() != null && value.matches(field.names())) {
            return Optional.empty();
        }
        if (value.matches("\\d{1,4}")) {
            int n = Integer.parseInt(value);
            if (n >= field.min() && n <= field.max()) {
                return Optional.empty();
            }
        }
        return Optional.of("is not valid: " + field.name() + " takes " + field.min() + "-" + field.max()
                + (field.names() == null ? "" : " or " + field.names().replace('|', ','))
                + " with , - * /" + (field.extras().isEmpty() ? "" : " and " + String.join(" ", field.extras().split(""))));
    }
}
