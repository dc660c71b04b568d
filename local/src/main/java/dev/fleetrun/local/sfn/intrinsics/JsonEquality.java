package dev.fleetrun.local.sfn.intrinsics;

import com.fasterxml.jackson.databind.JsonNode;

/** JSON value equality where numbers compare by value (1 equals 1.0), as JSON means them. */
final class JsonEquality {

    private JsonEquality() {
    }

    static boolean equal(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }
}
