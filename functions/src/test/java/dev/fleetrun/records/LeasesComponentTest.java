package dev.fleetrun.records;

import static org.junit.jupiter.api.Assertions.*;

import dev.fleetrun.testing.DynamoDbLocal;
import dev.fleetrun.local.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Node leases against DynamoDB Local: one run at a time per node, all or nothing, expiring. */
class LeasesComponentTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant IN_AN_HOUR = T0.plus(Duration.ofHours(1));

    private final MutableClock clock = new MutableClock(T0);
    private DynamoRunStore store;

    @BeforeAll
    static void startDynamoDbLocal() {
        DynamoDbLocal.endpoint();
    }

    @BeforeEach
    void freshTable() {
        store = new DynamoRunStore(DynamoDbLocal.client(), DynamoDbLocal.newTable(), clock, Duration.ofDays(90));
    }

    @Test
    void aNodeLeasedByOneRunConflictsForAnotherNamingTheHolder() {
        assertTrue(store.acquireLeases("run-a", "arn:a", List.of("i-1", "i-2"), IN_AN_HOUR).acquired());

        LeaseResult result = store.acquireLeases("run-b", "arn:b", List.of("i-2", "i-3"), IN_AN_HOUR);

        assertFalse(result.acquired());
        assertEquals(List.of(new LeaseConflict("i-2", "run-a", "arn:a", IN_AN_HOUR)), result.conflicts());
        assertEquals("i-2 is held by run run-a until 2026-11-22T11:00:00Z", result.describeConflicts());
        assertTrue(store.leaseHolder("i-3").isEmpty(), "run-b took nothing");
        assertEquals("run-a", store.leaseHolder("i-2").orElseThrow().runId());
    }

    @Test
    void theSameRunRenewsItsLeases() {
        store.acquireLeases("run-a", "arn:a", List.of("i-1"), IN_AN_HOUR);
        Instant later = IN_AN_HOUR.plus(Duration.ofHours(2));

        LeaseResult again = store.acquireLeases("run-a", "arn:a", List.of("i-1", "i-2"), later);
        assertTrue(again.acquired());
        assertEquals(2, again.leased());
        assertEquals(later, store.leaseHolder("i-1").orElseThrow().until());

        Instant evenLater = later.plus(Duration.ofHours(1));
        assertEquals(new LeaseResult(2, List.of()), store.renewLeases("run-a", "arn:a", List.of("i-1", "i-2"), evenLater));
        assertEquals(new Lease("i-2", "run-a", "arn:a", evenLater), store.leaseHolder("i-2").orElseThrow());
    }

    @Test
    void anExpiredLeaseHoldsNothingAndCanBeTaken() {
        store.acquireLeases("run-a", "arn:a", List.of("i-1"), IN_AN_HOUR);
        clock.set(IN_AN_HOUR);

        assertTrue(store.leaseHolder("i-1").isEmpty(), "a lease ends at its until");
        LeaseResult taken = store.acquireLeases("run-b", "arn:b", List.of("i-1"), IN_AN_HOUR.plus(Duration.ofHours(1)));

        assertTrue(taken.acquired());
        assertEquals("run-b", store.leaseHolder("i-1").orElseThrow().runId());
    }

    @Test
    void releasingFreesOnlyTheRunsOwnLeases() {
        store.acquireLeases("run-a", "arn:a", List.of("i-1", "i-2"), IN_AN_HOUR);
        store.acquireLeases("run-b", "arn:b", List.of("i-3"), IN_AN_HOUR);

        store.releaseLeases("run-a", List.of("i-1", "i-2", "i-3", "i-never-leased"));

        assertTrue(store.leaseHolder("i-1").isEmpty());
        assertTrue(store.leaseHolder("i-2").isEmpty());
        assertEquals("run-b", store.leaseHolder("i-3").orElseThrow().runId());
    }

    @Test
    void aRunsLeasesAreReleasedWithoutNamingItsNodesAndOnlyThoseItStillHolds() {
        store.acquireLeases("run-a", "arn:a", List.of("i-1", "i-2", "i-3"), IN_AN_HOUR);
        store.acquireLeases("run-b", "arn:b", List.of("i-4"), IN_AN_HOUR.plus(Duration.ofHours(1)));
        clock.set(IN_AN_HOUR);
        store.acquireLeases("run-c", "arn:c", List.of("i-3"), IN_AN_HOUR.plus(Duration.ofHours(1))); // run-a's expired

        assertEquals(2, store.releaseRunLeases("run-a"));

        assertTrue(store.leaseHolder("i-1").isEmpty());
        assertTrue(store.leaseHolder("i-2").isEmpty());
        assertEquals("run-c", store.leaseHolder("i-3").orElseThrow().runId());
        assertEquals("run-b", store.leaseHolder("i-4").orElseThrow().runId());
        assertEquals(0, store.releaseRunLeases("run-a"), "nothing left");
        assertEquals(0, store.releaseRunLeases("run-never-started"));
    }

    @Test
    void aPartialConflictOverMoreThanOneTransactionTakesNothing() {
        List<String> nodes = IntStream.range(0, 250).mapToObj(n -> "i-" + n).toList();
        // Held by run-a: one node in the second transaction of 100, one in the third.
        store.acquireLeases("run-a", "arn:a", List.of("i-150", "i-230"), IN_AN_HOUR);
        // run-b held one of the first hundred before: after the failed call it holds none of them.
        store.acquireLeases("run-b", "arn:b", List.of("i-5"), IN_AN_HOUR);

        LeaseResult result = store.acquireLeases("run-b", "arn:b", nodes, IN_AN_HOUR);

        assertFalse(result.acquired());
        assertEquals(0, result.leased());
        assertEquals(List.of("i-150", "i-230"), result.conflicts().stream().map(LeaseConflict::instanceId).toList());
        assertTrue(result.conflicts().stream().allMatch(c -> c.holderRunId().equals("run-a")));
        long held = nodes.stream().filter(id -> store.leaseHolder(id).isPresent()).count();
        assertEquals(2, held, "only run-a's two leases remain");
    }

    @Test
    void moreThanOneTransactionOfLeasesIsTakenWhenAllAreFree() {
        List<String> nodes = IntStream.range(0, 230).mapToObj(n -> "i-" + n).toList();

        LeaseResult result = store.acquireLeases("run-a", "arn:a", nodes, IN_AN_HOUR);

        assertEquals(new LeaseResult(230, List.of()), result);
        assertEquals("run-a", store.leaseHolder("i-229").orElseThrow().runId());
    }

    @Test
    void renewingReportsLeasesAnotherRunTookAfterTheyExpiredAndRenewsTheRest() {
        store.acquireLeases("run-a", "arn:a", List.of("i-1", "i-2"), IN_AN_HOUR);
        clock.set(IN_AN_HOUR.plusSeconds(1));
        Instant bUntil = IN_AN_HOUR.plus(Duration.ofHours(1));
        store.acquireLeases("run-b", "arn:b", List.of("i-2"), bUntil);

        LeaseResult renewed = store.renewLeases("run-a", "arn:a", List.of("i-1", "i-2"), bUntil);

        assertEquals(1, renewed.leased());
        assertEquals(List.of(new LeaseConflict("i-2", "run-b", "arn:b", bUntil)), renewed.conflicts());
        assertEquals("run-a", store.leaseHolder("i-1").orElseThrow().runId());
        assertEquals("run-b", store.leaseHolder("i-2").orElseThrow().runId());
    }
}
