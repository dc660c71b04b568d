package dev.fleetrun.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.local.testing.MutableClock;
import dev.fleetrun.records.RunControls.Control;
import dev.fleetrun.records.RunControls.HoldKind;
import dev.fleetrun.testing.DynamoDbLocal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Control at the gates on the run item, against DynamoDB Local: flags that refuse what does not apply, the log of
 * who did what, and tokens that exactly one caller takes.
 */
class RunControlsComponentTest {
    private static final Instant T0 = Instant.parse("2026-12-08T02:00:00Z");
    private static DynamoDbClient dynamo;

    private final MutableClock clock = new MutableClock(T0);
    private DynamoRunStore store;
    private RunControls controls;

    @BeforeAll
    static void startDynamoDbLocal() {
        dynamo = DynamoDbLocal.newClient(new dev.fleetrun.testing.RequestCounter());
    }

    @BeforeEach
    void freshRun() {
        store = new DynamoRunStore(dynamo, DynamoDbLocal.newTable(), clock, Duration.ofDays(7));
        TestPlan.of("r1", T0, List.of(List.of("i-a"), List.of("i-b")), List.of(), "offline").create(store);
        controls = store.controls();
    }

    private static Control by(String action, String who) {
        return new Control(action, who, T0, null);
    }

    @Test
    void pauseAndUnpauseAreRefusedWhereTheyDoNotApplyAndLoggedWhereTheyDo() {
        RunControls.Refused notPaused = assertThrows(RunControls.Refused.class, () -> controls.unpause("r1", by("unpaused", "bob")));
        assertEquals("run r1 is not paused (fleetrun pause r1 holds it before its next wave)", notPaused.getMessage());

        assertTrue(controls.pause("r1", by("paused", "alice")).paused());
        RunControls.Refused again = assertThrows(RunControls.Refused.class, () -> controls.pause("r1", by("paused", "bob")));
        assertEquals("run r1 is paused already (by alice at " + T0 + "): fleetrun unpause r1 lets it go on", again.getMessage());
        assertFalse(controls.unpause("r1", by("unpaused", "bob")).paused());

        assertEquals(List.of(by("paused", "alice"), by("unpaused", "bob")), controls.read("r1").orElseThrow().controls(),
                "refused controls are not logged");
        store.finishRun("r1", RunStatus.SUCCEEDED, null);
        RunControls.Refused finished = assertThrows(RunControls.Refused.class, () -> controls.promote("r1", by("promoted", "carol")));
        assertEquals("run r1 is finished (SUCCEEDED): there is nothing to promote", finished.getMessage());
    }

    @Test
    void theGatesTokenIsTakenOnceAndFinishingClearsWhatTheRunWasParkedOn() {
        assertEquals(Optional.empty(), controls.answerGate("r1", by("approved", "alice")), "no gate yet");
        RunControls.State parked = controls.park("r1", HoldKind.APPROVAL, "gate-token", T0.plusSeconds(3600));
        assertEquals(HoldKind.APPROVAL, parked.holdKind());
        assertEquals(T0.plusSeconds(3600), parked.holdUntil());

        assertEquals(Optional.of("gate-token"), controls.answerGate("r1", new Control("rejected", "alice", T0, "slow")));
        assertEquals(Optional.empty(), controls.answerGate("r1", by("approved", "bob")), "answered already");
        assertEquals(List.of(new Control("rejected", "alice", T0, "slow")), controls.read("r1").orElseThrow().controls());

        controls.park("r1", HoldKind.PAUSE, "pause-token", T0.plusSeconds(60));
        assertFalse(controls.takeHoldToken("r1", "another-token"));
        assertTrue(controls.takeHoldToken("r1", "pause-token"));
        assertFalse(controls.takeHoldToken("r1", "pause-token"), "the token goes to one caller");

        controls.park("r1", HoldKind.BAKE, "bake-token", T0.plusSeconds(60));
        store.finishRun("r1", RunStatus.CANCELLED, null);
        RunControls.State closed = controls.read("r1").orElseThrow();
        assertNull(closed.holdKind());
        assertNull(closed.holdToken());
        assertThrows(IllegalStateException.class, () -> controls.park("r1", HoldKind.PAUSE, "late", T0));
    }
}
