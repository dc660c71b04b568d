package dev.fleetrun.local.events;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.BitSet;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge rule schedule: {@code rate(value unit)} or {@code cron(minutes hours day-of-month month
 * day-of-week year)}, in UTC, with the cron syntax EventBridge documents ({@code , - * / ?}, {@code L},
 * {@code W}, {@code #}, month and weekday names, weekdays 1-7 = SUN-SAT; exactly one of day-of-month and
 * day-of-week is {@code ?}).
 *
 * <p>A rate schedule fires one period after the rule is created (or enabled), then every period; a cron
 * schedule fires at each matching minute.
 */
public abstract sealed class ScheduleExpression {

    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");

    private final String text;

    private ScheduleExpression(String text) {
        this.text = text;
    }

    /**
     * Reads a schedule expression.
     *
     * @throws IllegalArgumentException naming what is wrong, with an example of a valid expression
     */
    public static ScheduleExpression parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("the schedule expression is missing");
        }
        String trimmed = text.trim();
        if (trimmed.startsWith("rate(")) {
            return Rate.parseRate(trimmed);
        }
        if (trimmed.startsWith("cron(")) {
            return Cron.parseCron(trimmed);
        }
        throw new IllegalArgumentException("'" + text + "' is neither rate(value unit), such as rate(5 minutes), nor"
                + " cron(minutes hours day-of-month month day-of-week year), such as cron(0 3 ? * SUN *)");
    }

    /** The expression as written. */
    public String text() {
        return text;
    }

    /**
     * The first time after {@code after} that the schedule fires.
     *
     * @param since when the schedule started (the rule was created or enabled): rate schedules count from it
     * @return empty when the schedule never fires again (a cron with a past year)
     */
    public abstract Optional<Instant> nextAfter(Instant after, Instant since);

    @Override
    public String toString() {
        return text;
    }

    /** {@code rate(value unit)}. */
    static final class Rate extends ScheduleExpression {
        private final Duration period;

        private Rate(String text, Duration period) {
            super(text);
            this.period = period;
        }

        static Rate parseRate(String text) {
            Matcher m = RATE.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + text + "' is not rate(value unit), for example rate(1 hour)"
                        + " or rate(15 minutes); units are minute(s), hour(s), day(s)");
            }
            long value;
            try {
                value = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                value = 0;
            }
            String unit = m.group(2);
            if (value < 1 || value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("'" + text + "': the rate value must be a positive whole number");
            }
            boolean plural = unit.endsWith("s");
            if (value == 1 && plural) {
                throw new IllegalArgumentException("'" + text + "': a rate of 1 takes the singular unit, rate(1 "
                        + unit.substring(0, unit.length() - 1) + ")");
            }
            if (value > 1 && !plural) {
                throw new IllegalArgumentException("'" + text + "': a rate above 1 takes the plural unit, rate(" + value
                        + " " + unit + "s)");
            }
            ChronoUnit chrono = unit.startsWith("minute") ? ChronoUnit.MINUTES
                    : unit.startsWith("hour") ? ChronoUnit.HOURS : ChronoUnit.DAYS;
            return new Rate(text, Duration.of(value, chrono));
        }

        /** The time between two firings. */
        public Duration period() {
            return period;
        }

        @Override
        public Optional<Instant> nextAfter(Instant after, Instant since) {
            if (after.isBefore(since)) {
                return Optional.of(since.plus(period));
            }
            long periods = Duration.between(since, after).toNanos() / period.toNanos() + 1;
            return Optional.of(since.plus(period.multipliedBy(periods)));
        }
    }

    /** {@code cron(minutes hours day-of-month month day-of-week year)}, UTC. */
    static final class Cron extends ScheduleExpression {
        private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
                "NOV", "DEC"};
        private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
        private static final int MIN_YEAR = 1970;
        private static final int MAX_YEAR = 2199;

        private final BitSet minutes;
        private final BitSet hours;
        private final DayOfMonth dayOfMonth;
        private final BitSet months;
        private final DayOfWeekField dayOfWeek;
        private final BitSet years;

        private Cron(String text, BitSet minutes, BitSet hours, DayOfMonth dayOfMonth, BitSet months,
                     DayOfWeekField dayOfWeek, BitSet years) {
            super(text);
            this.minutes = minutes;
            this.hours = hours;
            this.dayOfMonth = dayOfMonth;
            this.months = months;
            this.dayOfWeek = dayOfWeek;
            this.years = years;
        }

        static Cron parseCron(String text) {
            Matcher m = CRON.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + text + "' is not cron(...)");
            }
            String[] parts = m.group(1).trim().split("\\s+");
            if (parts.length != 6) {
                throw new IllegalArgumentException("'" + text + "' has " + parts.length + " fields; EventBridge cron takes 6:"
                        + " minutes hours day-of-month month day-of-week year, for example cron(0 3 ? * SUN *)");
            }
            for (int i = 0; i < parts.length; i++) {
                parts[i] = parts[i].toUpperCase(Locale.ROOT);
            }
            boolean domAny = parts[2].equals("?");
            boolean dowAny = parts[4].equals("?");
            if (domAny == dowAny) {
                throw new IllegalArgumentException("'" + text + "': exactly one of day-of-month and day-of-week must be"
                        + " '?', for example cron(0 3 ? * MON-FRI *) or cron(0 3 1 * ? *)");
            }
            try {
                return new Cron(text,
                        values("minutes", parts[0], 0, 59, null),
                        values("hours", parts[1], 0, 23, null),
                        domAny ? null : DayOfMonth.parse(parts[2]),
                        values("month", parts[3], 1, 12, MONTHS),
                        dowAny ? null : DayOfWeekField.parse(parts[4]),
                        values("year", parts[5], MIN_YEAR, MAX_YEAR, null));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + text + "': " + e.getMessage(), e);
            }
        }

        /** A field of plain values: {@code *}, {@code a}, {@code a-b}, {@code a/n}, {@code a-b/n}, comma lists. */
        static BitSet values(String field, String text, int min, int max, String[] names) {
            BitSet set = new BitSet();
            for (String item : text.split(",", -1)) {
                if (item.isEmpty()) {
                    throw new IllegalArgumentException(field + " '" + text + "' has an empty list item");
                }
                String range = item;
                int step = 1;
                int slash = item.indexOf('/');
                if (slash >= 0) {
                    range = item.substring(0, slash);
                    step = number(field, item.substring(slash + 1), 1, Integer.MAX_VALUE, null);
                }
                int from;
                int to;
                if (range.equals("*")) {
                    from = min;
                    to = max;
                } else if (range.contains("-")) {
                    String[] ends = range.split("-", -1);
                    if (ends.length != 2) {
                        throw new IllegalArgumentException(field + " '" + item + "' uses '-' as from-to");
                    }
                    from = number(field, ends[0], min, max, names);
                    to = number(field, ends[1], min, max, names);
                } else {
                    from = number(field, range, min, max, names);
                    to = slash >= 0 ? max : from;
                }
                if (from > to) {
                    throw new IllegalArgumentException(field + " '" + item + "' runs backwards");
                }
                for (int v = from; v <= to; v += step) {
                    set.set(v);
                }
            }
            return set;
        }

        static int number(String field, String text, int min, int max, String[] names) {
            if (names != null) {
                for (int i = 0; i < names.length; i++) {
                    if (names[i].equals(text)) {
                        return min + i;
                    }
                }
            }
            if (text.matches("\\d{1,4}")) {
                int n = Integer.parseInt(text);
                if (n >= min && n <= max) {
                    return n;
                }
            }
            throw new IllegalArgumentException(field + " value '" + text + "' is not valid: " + field + " takes " + min
                    + "-" + max + (names == null ? "" : " or " + String.join(",", names)));
        }

        @Override
        public Optional<Instant> nextAfter(Instant after, Instant since) {
            LocalDateTime from = LocalDateTime.ofInstant(after, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            LocalDate day = from.toLocalDate();
            LocalTime earliest = from.toLocalTime();
            while (day.getYear() <= MAX_YEAR) {
                if (!years.get(day.getYear())) {
                    int next = years.nextSetBit(day.getYear() + 1);
                    if (next < 0) {
                        return Optional.empty();
                    }
                    day = LocalDate.of(next, 1, 1);
                    earliest = LocalTime.MIDNIGHT;
                    continue;
                }
                if (!months.get(day.getMonthValue())) {
                    day = day.withDayOfMonth(1).plusMonths(1);
                    earliest = LocalTime.MIDNIGHT;
                    continue;
                }
                if (dayMatches(day)) {
                    Optional<LocalTime> time = firstTime(earliest);
                    if (time.isPresent()) {
                        return Optional.of(LocalDateTime.of(day, time.get()).toInstant(ZoneOffset.UTC));
                    }
                }
                day = day.plusDays(1);
                earliest = LocalTime.MIDNIGHT;
            }
            return Optional.empty();
        }

        private boolean dayMatches(LocalDate day) {
            return dayOfMonth != null ? dayOfMonth.matches(day) : dayOfWeek.matches(day);
        }

        private Optional<LocalTime> firstTime(LocalTime earliest) {
            for (int h = hours.nextSetBit(earliest.getHour()); h >= 0; h = hours.nextSetBit(h + 1)) {
                int fromMinute = h == earliest.getHour() ? earliest.getMinute() : 0;
                int m = minutes.nextSetBit(fromMinute);
                if (m >= 0) {
                    return Optional.of(LocalTime.of(h, m));
                }
            }
            return Optional.empty();
        }
    }

    /** Day-of-month: values, {@code L} (the last day) or {@code nW} (the weekday nearest to day n). */
    private record DayOfMonth(BitSet days, boolean last, int nearestWeekdayTo) {
        static DayOfMonth parse(String text) {
            if (text.equals("L")) {
                return new DayOfMonth(new BitSet(), true, 0);
            }
            if (text.matches("\\d{1,2}W")) {
                return new DayOfMonth(new BitSet(), false,
                        Cron.number("day-of-month", text.substring(0, text.length() - 1), 1, 31, null));
            }
            return new DayOfMonth(Cron.values("day-of-month", text, 1, 31, null), false, 0);
        }

        boolean matches(LocalDate day) {
            if (last) {
                return day.getDayOfMonth() == day.lengthOfMonth();
            }
            if (nearestWeekdayTo > 0) {
                return day.equals(nearestWeekday(day.withDayOfMonth(1), nearestWeekdayTo));
            }
            return days.get(day.getDayOfMonth());
        }

        private static LocalDate nearestWeekday(LocalDate firstOfMonth, int target) {
            LocalDate day = firstOfMonth.withDayOfMonth(Math.min(target, firstOfMonth.lengthOfMonth()));
            return switch (day.getDayOfWeek()) {
                case SATURDAY -> day.getDayOfMonth() == 1 ? day.plusDays(2) : day.minusDays(1);
                case SUNDAY -> day.getDayOfMonth() == day.lengthOfMonth() ? day.minusDays(2) : day.plusDays(1);
                default -> day;
            };
        }
    }

    /** Day-of-week (1-7 = SUN-SAT): values, {@code L} (Saturday), {@code dL} (the last d of the month), {@code d#n}. */
    private record DayOfWeekField(BitSet days, int lastOfMonth, int nth, int nthDay) {
        static DayOfWeekField parse(String text) {
            if (text.equals("L")) {
                BitSet saturday = new BitSet();
                saturday.set(7);
                return new DayOfWeekField(saturday, 0, 0, 0);
            }
            if (text.length() > 1 && text.endsWith("L")) {
                return new DayOfWeekField(new BitSet(), day(text.substring(0, text.length() - 1)), 0, 0);
            }
            if (text.contains("#")) {
                String[] p = text.split("#", -1);
                if (p.length != 2 || !p[1].matches("[1-5]")) {
                    throw new IllegalArgumentException("day-of-week '" + text + "' uses '#' as day#n, with n from 1 to 5");
                }
                return new DayOfWeekField(new BitSet(), 0, Integer.parseInt(p[1]), day(p[0]));
            }
            return new DayOfWeekField(Cron.values("day-of-week", text, 1, 7, Cron.DAYS), 0, 0, 0);
        }

        private static int day(String text) {
            return Cron.number("day-of-week", text, 1, 7, Cron.DAYS);
        }

        /** 1 = Sunday ... 7 = Saturday. */
        private static int number(LocalDate day) {
            return day.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : day.getDayOfWeek().getValue() + 1;
        }

        private static DayOfWeek javaDay(int number) {
            return number == 1 ? DayOfWeek.SUNDAY : DayOfWeek.of(number - 1);
        }

        boolean matches(LocalDate day) {
            if (lastOfMonth > 0) {
                return day.equals(day.with(TemporalAdjusters.lastInMonth(javaDay(lastOfMonth))));
            }
            if (nth > 0) {
                return day.equals(day.with(TemporalAdjusters.dayOfWeekInMonth(nth, javaDay(nthDay))))
                        && day.getMonth() == day.with(TemporalAdjusters.dayOfWeekInMonth(nth, javaDay(nthDay))).getMonth();
            }
            return days.get(number(day));
        }
    }
}
