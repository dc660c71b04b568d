package dev.fleetrun.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusMapperTest {

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource(nullValues = "null", value = {
            "Pending, Pending, IN_PROGRESS",
            "InProgress, In Progress, IN_PROGRESS",
            "Delayed, Delayed, IN_PROGRESS",
            "Cancelling, Cancelling, IN_PROGRESS",
            "Success, Success, SUCCEEDED",
            "Failed, Failed, FAILED",
            "Failed, null, FAILED",
            "Failed, Undeliverable, UNDELIVERABLE",
            "Failed, Invalid Platform, UNDELIVERABLE",
            "Failed, InvalidPlatform, UNDELIVERABLE",
            "Failed, Access Denied, UNDELIVERABLE",
            "TimedOut, Delivery Timed Out, DELIVERY_TIMED_OUT",
            "TimedOut, DeliveryTimedOut, DELIVERY_TIMED_OUT",
            "TimedOut, Execution Timed Out, TIMED_OUT",
            "TimedOut, '', TIMED_OUT",
            "Cancelled, Cancelled, CANCELLED",
            "Cancelled, Terminated, TERMINATED",
            "Failed, Terminated, TERMINATED",
            "Success, '', SUCCEEDED"})
    void mapsStatusRefinedByDetails(String status, String details, NodeStatus expected) {
        assertEquals(expected, StatusMapper.fromSsm(status, details));
    }

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource({
            "in progress, '', IN_PROGRESS",
            "IN PROGRESS, '', IN_PROGRESS",
            "timed out, delivery timed out, DELIVERY_TIMED_OUT",
            "SUCCESS, '', SUCCEEDED",
            "' Failed ', ' undeliverable', UNDELIVERABLE"})
    void ignoresSpacesAndCase(String status, String details, NodeStatus expected) {
        assertEquals(expected, StatusMapper.fromSsm(status, details));
    }

    @ParameterizedTest(name = "(blank) / {0} -> {1}")
    @CsvSource({
            "Pending, IN_PROGRESS",
            "In Progress, IN_PROGRESS",
            "Success, SUCCEEDED",
            "Failed, FAILED",
            "Execution Timed Out, TIMED_OUT",
            "Delivery Timed Out, DELIVERY_TIMED_OUT",
            "Undeliverable, UNDELIVERABLE",
            "Access Denied, UNDELIVERABLE",
            "Cancelled, CANCELLED",
            "Terminated, TERMINATED"})
    void detailsDecideAloneWhenTheStatusIsBlank(String details, NodeStatus expected) {
        assertEquals(expected, StatusMapper.fromSsm("", details));
        assertEquals(expected, StatusMapper.fromSsm(null, details));
    }

    @Test
    void aSuccessIsNotRefinedByDetails() {
        assertEquals(NodeStatus.SUCCEEDED, StatusMapper.fromSsm("Success", "Terminated"));
        assertEquals(NodeStatus.IN_PROGRESS, StatusMapper.fromSsm("InProgress", "Undeliverable"));
    }

    @Test
    void anUnknownStatusIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StatusMapper.fromSsm("Exploded", "Failed"));
        assertTrue(e.getMessage().contains("\"Exploded\""), e.getMessage());
    }

    @Test
    void unknownDetailsAreRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StatusMapper.fromSsm("Failed", "Gremlins"));
        assertTrue(e.getMessage().contains("\"Gremlins\""), e.getMessage());
    }

    @Test
    void nothingAtAllIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> StatusMapper.fromSsm(null, null));
        assertThrows(IllegalArgumentException.class, () -> StatusMapper.fromSsm(" ", ""));
    }
}
