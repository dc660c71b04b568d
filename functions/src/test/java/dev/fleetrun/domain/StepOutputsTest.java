package dev.fleetrun.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.fleetrun.domain.StepOutputs.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepOutputsTest {

    @Test
    void theFirstFailedStepDecidesTheExitCodeAndEveryStepsOutputIsKeptUnderItsName() {
        StepOutputs.Combined combined = StepOutputs.combine(List.of(
                new Step("unpack", "Success", 0, "unpacked\n"),
                new Step("check", "Failed", 3, "missing file"),
                new Step("verify", "TimedOut", 137, "slow\n"),
                new Step("report", "Pending", -1, "")));

        assertEquals(3, combined.responseCode());
        assertEquals("[unpack] Success\nunpacked\n[check] Failed\nmissing file\n[verify] TimedOut\nslow\n", combined.output());
    }

    @Test
    void withoutAFailureTheLastStepDecides() {
        assertEquals(168, StepOutputs.combine(List.of(new Step("a", "Success", 0, ""), new Step("b", "Success", 168, "done")))
                .responseCode());
        assertEquals(137, StepOutputs.combine(List.of(new Step("a", "Cancelled", 1, ""), new Step("b", "TimedOut", 137, "")))
                .responseCode(), "TimedOut before Cancelled, as the agent rolls them up");
        assertNull(StepOutputs.combine(List.of()).responseCode());
    }
}
