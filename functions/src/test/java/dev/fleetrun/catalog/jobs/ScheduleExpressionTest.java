package dev.fleetrun.catalog.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Schedule expressions as EventBridge rules accept them. */
class ScheduleExpressionTest {

    @ParameterizedTest
    @ValueSource(strings = {"rate(1 minute)", "rate(5 minutes)", "rate(1 hour)", "rate(12 hours)", "rate(1 day)",
            "rate(7 days)", "cron(0 3 ? * SUN *)", "cron(0/15 * * * ? *)", "cron(0 18 ? * MON-FRI *)",
            "cron(0 8 1 * ? *)", "cron(30 2 L * ? *)", "cron(0 9 ? * 2#1 *)", "cron(0 10 15W * ? 2027)",
            "cron(0 12 ? JAN,JUL 6L 2026-2030)", "cron(5,35 14 * * ? *)"})
    void accepts(String expression) {
        assertEquals(Optional.empty(), ScheduleExpression.problem(expression));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rate(1 minutes)", "rate(2 hour)", "rate(0 days)", "rate(5 weeks)", "rate(five minutes)",
            "cron(0 3 * * ? )", "cron(0 3 * * MON *)", "cron(0 3 ? * ? *)", "cron(60 3 ? * SUN *)",
            "cron(0 24 ? * SUN *)", "cron(0 3 ? 13 SUN *)", "cron(0 3 ? * FUN *)", "cron(0 3 ? * 2#6 *)",
            "cron(0/0 3 ? * SUN *)", "cron(0 3 ? * SUN 1969)", "at(2026-01-01T00:00:00)", "every day", ""})
    void refuses(String expression) {
        assertTrue(ScheduleExpression.problem(expression).isPresent(), expression);
    }

    @Test
    void saysWhichFieldIsWrongAndWhatItTakes() {
        assertEquals(Optional.of("'cron(0 25 ? * SUN *)': hours '25' is not valid: hours takes 0-23 with , - * /"),
                ScheduleExpression.problem("cron(0 25 ? * SUN *)"));
    }

    @Test
    void saysHowToWriteARateOfOne() {
        assertEquals(Optional.of("'rate(1 hours)': a rate of 1 takes the singular unit, rate(1 hour)"),
                ScheduleExpression.problem("rate(1 hours)"));
    }
}
