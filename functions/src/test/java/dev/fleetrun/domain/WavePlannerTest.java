package dev.fleetrun.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WavePlannerTest {

    /** n distinct, sorted instance ids. */
    static List<String> ids(int n) {
        return IntStream.range(0, n).mapToObj(i -> String.format("i-%017x", i)).toList();
    }

    static List<WaveSize> waves(Object... entries) {
        List<WaveSize> sizes = new ArrayList<>();
        for (Object e : entries) {
            sizes.add(e instanceof Integer n ? new WaveSize(n, false)
                    : new WaveSize(Integer.parseInt(((String) e).replace("%", "")), true));
        }
        return sizes;
    }

    static List<Integer> sizes(WavePlan plan) {
        return plan.waves().stream().map(Wave::size).toList();
    }

    static List<Integer> concurrencies(WavePlan plan) {
        return plan.waves().stream().map(Wave::concurrency).toList();
    }

    @Test
    void oneNodeIsOneWaveOfOne() {
        WavePlan plan = WavePlanner.plan(ids(1), List.of(), Rate.count(50));
        assertEquals(List.of(new Wave(1, ids(1), 1)), plan.waves());
        assertEquals(1, plan.targeted());
    }

    @Test
    void noNodesIsNoWaves() {
        WavePlan plan = WavePlanner.plan(List.of(), List.of(), Rate.percentage(100));
        assertEquals(List.of(), plan.waves());
        assertEquals(0, plan.targeted());
        assertEquals(1, plan.concurrency());
        assertEquals(List.of(), WavePlanner.plan(List.of(), waves(1, "50%"), Rate.count(5)).waves());
    }

    @Test
    void defaultPlanIsACanaryThenDoubling() {
        WavePlan plan = WavePlanner.plan(ids(20), List.of(), Rate.count(50));
        assertEquals(List.of(1, 2, 4, 8, 5), sizes(plan));
        assertEquals(List.of(1, 2, 4, 8, 5), concurrencies(plan));
        assertEquals(50, plan.concurrency());
    }

    @Test
    void defaultPlanCapsEachWaveAtTheConcurrencyThenContinuesWithWavesOfIt() {
        WavePlan plan = WavePlanner.plan(ids(20), List.of(), Rate.count(3));
        assertEquals(List.of(1, 2, 3, 3, 3, 3, 3, 2), sizes(plan));
        assertEquals(List.of(1, 2, 3, 3, 3, 3, 3, 2), concurrencies(plan));
    }

    @Test
    void aDefaultPlanOfMoreThanSixtyFourWavesKeepsWavesOfTheConcurrency() {
        WavePlan plan = WavePlanner.plan(ids(3_000), List.of(), Rate.count(50));   // the default maxConcurrency

        List<Integer> expected = new ArrayList<>(List.of(1, 2, 4, 8, 16, 32));
        expected.addAll(java.util.Collections.nCopies(58, 50));
        expected.add(3_000 - 63 - 58 * 50);
        assertEquals(expected, sizes(plan), "the doubling stops at the concurrency; it must not overflow after 63 waves");
    }

    @Test
    void tenPercentOfFifteenIsAConcurrencyOfTwo() {
        WavePlan plan = WavePlanner.plan(ids(15), List.of(), Rate.percentage(10));
        assertEquals(2, plan.concurrency());
        assertEquals(List.of(1, 2, 2, 2, 2, 2, 2, 2), sizes(plan));
    }

    @Test
    void hundredPercentConcurrencyOnlyLimitsByTheDoubling() {
        WavePlan plan = WavePlanner.plan(ids(10), List.of(), Rate.percentage(100));
        assertEquals(10, plan.concurrency());
        assertEquals(List.of(1, 2, 4, 3), sizes(plan));
    }

    @Test
    void onePercentOfASmallFleetStillRunsOneAtATime() {
        WavePlan plan = WavePlanner.plan(ids(3), List.of(), Rate.percentage(1));
        assertEquals(1, plan.concurrency());
        assertEquals(List.of(1, 1, 1), sizes(plan));
    }

    @Test
    void explicitWavesAreSizesWithPercentagesOfTheTotalRoundedUp() {
        WavePlan plan = WavePlanner.plan(ids(40), waves(1, "10%", "50%", "100%"), Rate.count(50));
        assertEquals(List.of(1, 4, 20, 15), sizes(plan));
    }

    @Test
    void percentageWavesOfAnOddTotalRoundUp() {
        WavePlan plan = WavePlanner.plan(ids(15), waves("10%", "10%", "100%"), Rate.count(50));
        assertEquals(List.of(2, 2, 11), sizes(plan));
    }

    @Test
    void aWaveLargerThanTheFleetTakesWhatIsLeftAndLaterEntriesAreDropped() {
        assertEquals(List.of(5), sizes(WavePlanner.plan(ids(5), waves(100), Rate.count(50))));
        assertEquals(List.of(1, 4), sizes(WavePlanner.plan(ids(5), waves(1, 100, 5, "10%"), Rate.count(50))));
    }

    @Test
    void nodesLeftAfterTheLastEntryGoIntoTheLastWave() {
        assertEquals(List.of(1, 9), sizes(WavePlanner.plan(ids(10), waves(1, 2), Rate.count(50))));
        assertEquals(List.of(1, 9), sizes(WavePlanner.plan(ids(10), waves(1, "20%"), Rate.count(50))));
    }

    @Test
    void eachWaveRunsAtMostTheRunConcurrency() {
        WavePlan plan = WavePlanner.plan(ids(40), waves(1, "10%", "50%", "100%"), Rate.count(8));
        assertEquals(List.of(1, 4, 8, 8), concurrencies(plan));
    }

    @Test
    void aWaveOfMoreThanFiftyTimesTheConcurrencyIsSplit() {
        WavePlan plan = WavePlanner.plan(ids(250), waves("100%"), Rate.count(2));
        assertEquals(2, plan.concurrency());
        assertEquals(List.of(100, 100, 50), sizes(plan));
        assertEquals(List.of(2, 2, 2), concurrencies(plan));
        assertEquals(List.of(1, 2, 3), plan.waves().stream().map(Wave::number).toList());
    }

    @Test
    void splittingKeepsTheWavesAroundIt() {
        WavePlan plan = WavePlanner.plan(ids(160), waves(1, 150), Rate.count(1));
        assertEquals(List.of(1, 50, 50, 50, 9), sizes(plan));
        assertEquals(List.of(1, 2, 3, 4, 5), plan.waves().stream().map(Wave::number).toList());
    }

    @Test
    void aRepeatedIdIsPlannedOnce() {
        WavePlan plan = WavePlanner.plan(List.of("i-0000000a", "i-0000000b", "i-0000000a"), List.of(), Rate.count(5));
        assertEquals(2, plan.targeted());
        assertEquals(List.of(List.of("i-0000000a"), List.of("i-0000000b")),
                plan.waves().stream().map(Wave::instanceIds).toList());
    }

    static Stream<Arguments> plans() {
        return Stream.of(
                Arguments.of(1, List.of(), Rate.count(1)),
                Arguments.of(7, List.of(), Rate.count(2)),
                Arguments.of(100, List.of(), Rate.percentage(10)),
                Arguments.of(1000, List.of(), Rate.count(50)),
                Arguments.of(10_000, List.of(), Rate.count(50)),
                Arguments.of(10_000, List.of(), Rate.percentage(25)),
                Arguments.of(10_000, waves(1, "1%", "100%"), Rate.count(3)),
                Arguments.of(333, waves(1, "33%", "33%"), Rate.percentage(1)),
                Arguments.of(50, waves(200, 1), Rate.count(1)),
                Arguments.of(9, waves(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), Rate.count(100)));
    }

    @ParameterizedTest(name = "{0} nodes, waves {1}, maxConcurrency {2}")
    @MethodSource("plans")
    void everyNodeIsInExactlyOneNonEmptyWaveInOrderWithinTheLimits(int n, List<WaveSize> explicit, Rate maxConcurrency) {
        WavePlan plan = WavePlanner.plan(ids(n), explicit, maxConcurrency);

        int c = Math.max(1, maxConcurrency.ceilOf(n));
        assertEquals(c, plan.concurrency());
        assertEquals(n, plan.targeted());
        assertEquals(ids(n), plan.waves().stream().flatMap(w -> w.instanceIds().stream()).toList());
        for (int i = 0; i < plan.waves().size(); i++) {
            Wave w = plan.waves().get(i);
            assertEquals(i + 1, w.number());
            assertTrue(w.size() >= 1, "wave " + w.number() + " is empty");
            assertTrue(w.size() <= 50 * c, "wave " + w.number() + " is larger than 50 x C");
            assertEquals(Math.min(c, w.size()), w.concurrency());
        }
    }

    @Test
    void aPlanSerializesToJsonWithItsComponentsOnly() {
        WavePlan plan = WavePlanner.plan(ids(3), List.of(), Rate.count(50));
        com.fasterxml.jackson.databind.JsonNode json = TestJson.MAPPER.valueToTree(plan);
        assertEquals(TestJson.json("{'waves': [{'number': 1, 'instanceIds': ['" + ids(3).get(0) + "'], 'concurrency': 1},"
                + " {'number': 2, 'instanceIds': ['" + ids(3).get(1) + "', '" + ids(3).get(2) + "'], 'concurrency': 2}],"
                + " 'concurrency': 50, 'targeted': 3}"), json);
    }

    @Test
    void aSmallWaveIsOneBatchWithTheWaveConcurrency() {
        Wave wave = new Wave(3, ids(30), 5);
        assertEquals(List.of(new Batch(1, ids(30), 5)), WavePlanner.batches(wave));
    }

    @Test
    void batchesSplitEvenlyAndShareTheConcurrency() {
        Wave wave = new Wave(1, ids(120), 10);
        List<Batch> batches = WavePlanner.batches(wave);
        assertEquals(List.of(40, 40, 40), batches.stream().map(b -> b.instanceIds().size()).toList());
        assertEquals(List.of(4, 3, 3), batches.stream().map(Batch::concurrency).toList());
        assertEquals(List.of(1, 2, 3), batches.stream().map(Batch::number).toList());
    }

    @Test
    void aHundredAndOneIdsAreThreeBatchesOfThirtyFourThirtyFourThirtyThree() {
        List<Batch> batches = WavePlanner.batches(new Wave(1, ids(101), 3));
        assertEquals(List.of(34, 34, 33), batches.stream().map(b -> b.instanceIds().size()).toList());
        assertEquals(List.of(1, 1, 1), batches.stream().map(Batch::concurrency).toList());
    }

    @Test
    void batchConcurrencyAddsUpToTheWaveSizeWhenThatIsSmaller() {
        List<Batch> batches = WavePlanner.batches(new Wave(1, ids(3), 10));
        assertEquals(List.of(new Batch(1, ids(3), 3)), batches);
    }

    @Test
    void aWaveWithFewerSlotsThanBatchesIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WavePlanner.batches(new Wave(2, ids(120), 2)));
        assertTrue(e.getMessage().contains("wave 2"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} nodes, waves {1}, maxConcurrency {2}")
    @MethodSource("plans")
    void batchesOfEveryPlannedWaveCoverItAndSumToItsConcurrency(int n, List<WaveSize> explicit, Rate maxConcurrency) {
        for (Wave wave : WavePlanner.plan(ids(n), explicit, maxConcurrency).waves()) {
            List<Batch> batches = WavePlanner.batches(wave);
            assertEquals(wave.instanceIds(), batches.stream().flatMap(b -> b.instanceIds().stream()).toList());
            assertEquals(Math.min(wave.concurrency(), wave.size()), batches.stream().mapToInt(Batch::concurrency).sum());
            for (Batch b : batches) {
                assertTrue(b.instanceIds().size() <= WavePlanner.MAX_IDS_PER_COMMAND, "batch of " + b.instanceIds().size());
                assertTrue(b.concurrency() >= 1 && b.concurrency() <= b.instanceIds().size(),
                        "batch concurrency " + b.concurrency() + " for " + b.instanceIds().size() + " ids");
            }
        }
    }
}
