package dev.fleetrun.local.sfn.path;

import static dev.fleetrun.local.sfn.EngineHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.errors.StatesResultPathMatchFailure;
import org.junit.jupiter.api.Test;

class ReferencePathTest {

    @Test
    void placesIntoACopyAndLeavesTheInputAlone() {
        JsonNode input = json("{\"a\": {\"b\": 1}}");
        JsonNode out = ReferencePath.parse("$.a.c").place(input, json("2"));
        assertEquals(json("{\"a\": {\"b\": 1, \"c\": 2}}"), out);
        assertEquals(json("{\"a\": {\"b\": 1}}"), input);
    }

    @Test
    void bracketsAndIndexesWork() {
        JsonNode out = ReferencePath.parse("$['x y'].list[1]").place(json("{\"x y\": {\"list\": [0, 0]}}"), json("true"));
        assertEquals(json("{\"x y\": {\"list\": [0, true]}}"), out);
    }

    @Test
    void anIndexPastTheEndIsAMatchFailure() {
        StatesResultPathMatchFailure e = assertThrows(StatesResultPathMatchFailure.class,
                () -> ReferencePath.parse("$.list[5]").place(json("{\"list\": []}"), json("1")));
        assertTrue(e.errorCause().contains("$.list[5]"), e.errorCause());
    }

    @Test
    void wildcardsFiltersAndContextAreRefused() {
        for (String bad : new String[] {"$.a[*]", "$..a", "$.a[?(@.b)]", "$$.Execution", "a.b", "$.a."}) {
            assertThrows(IllegalArgumentException.class, () -> ReferencePath.parse(bad), bad);
        }
    }
}
