package dev.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.records.StatusCounts;
import dev.fleetrun.records.WaveRecord;
import dev.fleetrun.records.WaveStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The live display's renderer fed with wave records as the store gives them: plain lines only when the counts
 * change and at most one per {@link LiveDisplay#PLAIN_EVERY} off a terminal (a 5,000-node wave stays a handful of
 * lines), a redrawn line on a terminal, the ETA from the plan and what was observed; and {@code list}'s filters.
 */
class LiveDisplayTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final AtomicLong nanos = new AtomicLong();

    private LiveDisplay display(boolean interactive) {
        return new LiveDisplay(new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8), interactive), nanos::get);
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static WaveRecord wave(int wave, int size, int concurrency, int succeeded, int failed, int timedOut) {
        List<NodeStatus> done = new ArrayList<>();
        for (int i = 0; i < succeeded; i++) {
            done.add(NodeStatus.SUCCEEDED);
        }
        for (int i = 0; i < failed; i++) {
            done.add(NodeStatus.FAILED);
        }
        for (int i = 0; i < timedOut; i++) {
            done.add(NodeStatus.TIMED_OUT);
        }
        return new WaveRecord(Phase.MAIN, wave, size, done.size(), StatusCounts.of(done), "token", null, WaveStatus.SENT,
                Instant.EPOCH, 0, concurrency, (size + 49) / 50, size);
    }

    @Test
    void aFiveThousandNodeWaveOffATerminalPrintsALineOnlyWhenItsCountsChangedAndFiveSecondsPassed() {
        LiveDisplay d = display(false);
        List<WaveRecord> plan = List.of(wave(1, 5000, 500, 0, 0, 0));
        // 4 polls a second for 100 s, 12 or 13 more nodes done at each: 400 polls, every one with new counts.
        for (int poll = 0; poll < 400; poll++) {
            nanos.set(Duration.ofMillis(250L * poll).toNanos());
            int done = 5000 * poll / 399;
            d.progress("wave 1/1", wave(1, 5000, 500, done - done / 100, done / 100, 0), plan,
                    Duration.ofMillis(250L * poll), 0);
        }
        List<String> lines = lines();
        assertEquals(20, lines.size(), "one line at the start, then one per 5 s of 100 s:\n" + String.join("\n", lines));
        assertEquals("wave 1/1: 500 running, 0 succeeded, 0 failed, 0 timed out of 5000", lines.get(0));
        assertTrue(lines.get(1).startsWith("wave 1/1: 500 running, 248 succeeded, 2 failed, 0 timed out of 5000; ETA "),
                lines.get(1));
    }

    @Test
    void unchangedCountsPrintNothingMoreOffATerminal() {
        LiveDisplay d = display(false);
        WaveRecord w = wave(1, 10, 5, 2, 0, 0);
        for (int poll = 0; poll < 100; poll++) {
            nanos.set(Duration.ofSeconds(poll).toNanos());
            d.progress("wave 1/2", w, List.of(w), Duration.ofSeconds(poll), 0);
        }
        assertEquals(1, lines().size(), lines().toString());
    }

    @Test
    void onATerminalTheProgressLineIsRedrawnInPlaceWithABar() {
        LiveDisplay d = display(true);
        WaveRecord w = wave(2, 20, 5, 10, 1, 1);
        d.progress("wave 2/3", w, List.of(wave(1, 1, 1, 1, 0, 0), w, wave(3, 40, 5, 0, 0, 0)), Duration.ofSeconds(12), 3);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\r\033[Kwave 2/3 [############........] 5 running, 10 succeeded, 1 failed, 1 timed out of 20; ETA "),
                text);
        assertTrue(!text.contains("\n"), "no line ends: the next status or line replaces it");
    }

    @Test
    void theEtaCountsTheRestOfTheWaveTheLaterWavesAtTheObservedPaceAndTheBakes() {
        LiveDisplay d = display(false);
        // Wave 1: 1 node took 4 s: 4 s a round. Wave 2: 20 nodes, 5 at a time, 5 done in 6 s: 15 left at that pace, 18 s;
        // then a bake of 30 s and wave 3: 40 nodes, 5 at a time, 8 rounds of 4 s.
        d.waveDone(wave(1, 1, 1, 1, 0, 0), Duration.ofSeconds(4));
        WaveRecord current = wave(2, 20, 5, 5, 0, 0);
        List<WaveRecord> plan = List.of(wave(1, 1, 1, 1, 0, 0), current, wave(3, 40, 5, 0, 0, 0));
        assertEquals(Duration.ofSeconds(18 + 30 + 8 * 4), d.eta(current, plan, Duration.ofSeconds(6), 30).orElseThrow());
        assertTrue(display(false).eta(wave(1, 1, 1, 0, 0, 0), plan, Duration.ofSeconds(1), 0).isEmpty(),
                "nothing observed yet: no ETA");
        // Nothing done yet in wave 2, 3 s in: its 4 rounds at 4 s, less the 3 s gone.
        assertEquals(Duration.ofSeconds(16 - 3 + 30 + 32), d.eta(wave(2, 20, 5, 0, 0, 0), plan, Duration.ofSeconds(3), 30).orElseThrow());
    }

    @Test
    void underAStrictBudgetsRoundsOnlyTheNodesDispatchedRunAndTheEtaGoesAtTheirPace() {
        // 20 nodes, concurrency 10, sent in rounds: the first round dispatched 2 nodes, 1 of them done after 4 s.
        WaveRecord round = new WaveRecord(Phase.MAIN, 1, 20, 1, StatusCounts.of(List.of(NodeStatus.SUCCEEDED)), "token", null,
                WaveStatus.SENT, Instant.EPOCH, 0, 10, 1, 2);
        assertTrue(LiveDisplay.counts(round, true).startsWith("1 running, 1 succeeded"), LiveDisplay.counts(round, true));
        // The rest of the wave at the pace so far: 19 left at 4 s each, 76 s.
        assertEquals(Duration.ofSeconds(76), display(false).eta(round, List.of(round), Duration.ofSeconds(4), 0).orElseThrow());
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertEquals("45s", LiveDisplay.human(Duration.ofSeconds(45)));
        assertEquals("3m05s", LiveDisplay.human(Duration.ofSeconds(185)));
        assertEquals("1h02m", LiveDisplay.human(Duration.ofMinutes(62)));
    }

    @Test
    void sinceTakesADurationADateALocalTimeOrAnInstant() {
        Instant now = Instant.parse("2026-12-08T12:00:00Z");
        assertEquals(Instant.parse("2026-12-08T10:00:00Z"), ListCommand.since("2h", now, ZoneOffset.UTC));
        assertEquals(Instant.parse("2026-12-08T10:30:00Z"), ListCommand.since("1h30m", now, ZoneOffset.UTC));
        assertEquals(Instant.parse("2026-12-01T12:00:00Z"), ListCommand.since("1w", now, ZoneOffset.UTC));
        assertEquals(Instant.parse("2026-12-07T23:00:00Z"), ListCommand.since("2026-12-08", now, ZoneOffset.ofHours(1)));
        assertEquals(Instant.parse("2026-12-08T14:30:00Z"), ListCommand.since("2026-12-08T14:30", now, ZoneOffset.UTC));
        assertEquals(Instant.parse("2026-12-08T14:30:00Z"), ListCommand.since("2026-12-08 14:30", now, ZoneOffset.UTC));
        assertEquals(Instant.parse("2026-12-08T12:30:00Z"), ListCommand.since("2026-12-08T14:30:00+02:00", now, ZoneOffset.UTC));
        UsageException bad = assertThrows(UsageException.class, () -> ListCommand.since("yesterday", now, ZoneOffset.UTC));
        assertTrue(bad.getMessage().startsWith("--since 'yesterday' is neither a duration"), bad.getMessage());
        assertThrows(UsageException.class, () -> ListCommand.since("2h3", now, ZoneOffset.UTC));
        // Bounded: an oversized number is a usage error, not NumberFormatException or ArithmeticException.
        UsageException huge = assertThrows(UsageException.class, () -> ListCommand.since("999999999w", now, ZoneOffset.UTC));
        assertTrue(huge.getMessage().startsWith("--since 999999999w is longer than the most it takes"), huge.getMessage());
        assertThrows(UsageException.class, () -> ListCommand.since("99999999999999999999h", now, ZoneOffset.UTC));
        assertEquals(Instant.parse("2026-12-08T11:58:30Z"), ListCommand.since("90", now, ZoneOffset.UTC));
    }

    @Test
    void statusTakesRunStatusesInAnyCase() {
        assertEquals(EnumSet.of(RunStatus.RUNNING, RunStatus.NODES_FAILED), ListCommand.statuses("running,nodes-failed"));
        UsageException bad = assertThrows(UsageException.class, () -> ListCommand.statuses("DONE"));
        assertTrue(bad.getMessage().startsWith("--status: 'DONE' is no run status; give one or more of RUNNING, CLOSING,"),
                bad.getMessage());
    }
}
