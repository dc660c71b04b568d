package dev.fleetrun.local.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** EventBridge schedule expressions: when they fire next, and what is refused. */
class ScheduleExpressionTest {
    private static final Instant SINCE = Instant.parse("2024-05-14T10:07:30Z"); // a Tuesday

    private static Instant next(String expression, String after) {
        return ScheduleExpression.parse(expression).nextAfter(Instant.parse(after), SINCE).orElseThrow();
    }

    @Test
    void aRateFiresEveryPeriodCountedFromTheStart() {
        assertEquals(Instant.parse("2024-05-14T10:12:30Z"), next("rate(5 minutes)", "2024-05-14T10:07:30Z"));
        assertEquals(Instant.parse("2024-05-14T10:17:30Z"), next("rate(5 minutes)", "2024-05-14T10:12:30Z"));
        assertEquals(Instant.parse("2024-05-14T11:07:30Z"), next("rate(1 hour)", "2024-05-14T10:20:00Z"));
        assertEquals(Instant.parse("2024-05-16T10:07:30Z"), next("rate(2 days)", "2024-05-14T10:07:30Z"));
    }

    @Test
    void cronFiresAtTheNextMatchingMinuteInUtc() {
        assertEquals(Instant.parse("2024-05-19T03:00:00Z"), next("cron(0 3 ? * SUN *)", "2024-05-14T10:07:30Z"));
        assertEquals(Instant.parse("2024-05-14T10:15:00Z"), next("cron(0/15 * * * ? *)", "2024-05-14T10:07:30Z"));
        assertEquals(Instant.parse("2024-05-14T10:30:00Z"), next("cron(0/15 * * * ? *)", "2024-05-14T10:15:00Z"));
        assertEquals(Instant.parse("2024-05-15T08:00:00Z"), next("cron(0 8 ? * MON-FRI *)", "2024-05-14T10:07:30Z"));
        assertEquals(Instant.parse("2024-05-31T12:00:00Z"), next("cron(0 12 L * ? *)", "2024-05-14T10:07:30Z"));
        assertEquals(Instant.parse("2024-06-03T09:00:00Z"), next("cron(0 9 ? * 2#1 *)", "2024-05-14T10:07:30Z"));
        assertEquals(Instant.parse("2024-05-31T18:00:00Z"), next("cron(0 18 ? * 6L *)", "2024-05-14T10:07:30Z"));
        assertEquals(Instant.parse("2024-06-14T06:00:00Z"), next("cron(0 6 15W * ? *)", "2024-05-15T07:00:00Z"),
                "June 15th 2024 is a Saturday: the nearest weekday is Friday the 14th");
        assertEquals(Instant.parse("2025-01-01T00:00:00Z"), next("cron(0 0 1 JAN ? *)", "2024-05-14T10:07:30Z"));
    }

    @Test
    void aCronWithAPastYearNeverFiresAgain() {
        assertEquals(Optional.empty(), ScheduleExpression.parse("cron(0 0 1 1 ? 2020)")
                .nextAfter(Instant.parse("2024-01-01T00:00:00Z"), SINCE));
    }

    @Test
    void badExpressionsAreRefusedWithTheReason() {
        assertMessage("rate(1 minutes)", "singular");
        assertMessage("rate(5 minute)", "plural");
        assertMessage("rate(0 minutes)", "positive");
        assertMessage("rate(5 weeks)", "units");
        assertMessage("cron(0 3 * * *)", "6");
        assertMessage("cron(0 3 * * MON *)", "exactly one of day-of-month and day-of-week");
        assertMessage("cron(61 3 ? * MON *)", "minutes");
        assertMessage("cron(0 3 ? * 2#6 *)", "#");
        assertMessage("at(2024-05-14T10:00:00)", "neither rate");
    }

    private static void assertMessage(String expression, String fragment) {
        var error = assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse(expression));
        assertTrue(error.getMessage().contains(fragment), expression + ": " + error.getMessage());
    }
}
