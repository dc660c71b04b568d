package dev.fleetrun.local.sfn.errors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorMatcherTest {

    @Test
    void allMatchesEveryCatchableError() {
        assertTrue(ErrorMatcher.matches(List.of("States.ALL"), AslError.of("Custom.Error", null)));
        assertTrue(ErrorMatcher.matches(List.of("States.ALL"), new StatesTimeout("t")));
        assertTrue(ErrorMatcher.matches(List.of("States.ALL"), AslError.fromFailState(null, "no name")));
    }

    @Test
    void taskFailedMatchesAllButTimeout() {
        assertTrue(ErrorMatcher.matches(List.of("States.TaskFailed"), AslError.of("Lambda.Unknown", null)));
        assertTrue(ErrorMatcher.matches(List.of("States.TaskFailed"), new StatesHeartbeatTimeout("h")));
        assertFalse(ErrorMatcher.matches(List.of("States.TaskFailed"), new StatesTimeout("t")));
    }

    @Test
    void terminalErrorsMatchNothing() {
        assertFalse(ErrorMatcher.matches(List.of("States.ALL"), new StatesRuntime("r")));
        assertFalse(ErrorMatcher.matches(List.of("States.Runtime"), new StatesRuntime("r")));
        assertFalse(ErrorMatcher.matches(List.of("States.ALL"), new StatesDataLimitExceeded("d")));
    }

    @Test
    void namesAreCaseSensitive() {
        assertFalse(ErrorMatcher.matches(List.of("custom.error"), AslError.of("Custom.Error", null)));
    }
}
