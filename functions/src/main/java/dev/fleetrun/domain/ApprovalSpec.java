package dev.fleetrun.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * How long an approval gate ({@code approvalAfterWave}) waits for {@code fleetrun approve} or {@code reject}, and
 * what happens when nobody answers in time: the request's {@code "approval": {"timeoutSeconds": N,
 * "onTimeout": "fail" | "reject" | "approve"}}.
 *
 * @param timeoutSeconds how long the gate waits, {@value #MIN_TIMEOUT_SECONDS}..{@value #MAX_TIMEOUT_SECONDS}
 *                       (default: the most, 7 days)
 * @param onTimeout      what an unanswered gate does when its time is up
 */
public record ApprovalSpec(int timeoutSeconds, OnTimeout onTimeout) {
    public static final int MIN_TIMEOUT_SECONDS = 60;
    /** 7 days: the longest a gate waits (its leases are renewed for as long). */
    public static final int MAX_TIMEOUT_SECONDS = 604_800;
    public static final ApprovalSpec DEFAULT = new ApprovalSpec(MAX_TIMEOUT_SECONDS, OnTimeout.FAIL);

    static final List<String> FIELDS = List.of("timeoutSeconds", "onTimeout");

    /** What an unanswered gate does at its timeout. */
    public enum OnTimeout {
        /** The run ends FAILED (Fleetrun.ApprovalTimedOut): the default, and what a 7-day gate always did. */
        FAIL,
        /** The run ends REJECTED, rolled back as a rejection with {@code fleetrun reject} would be. */
        REJECT,
        /** The gate opens by itself: the next wave starts. */
        APPROVE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean isDefault() {
        return equals(DEFAULT);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("timeoutSeconds", timeoutSeconds);
        o.put("onTimeout", onTimeout.id());
        return o;
    }

    /** Reads the request's {@code approval} object; problems go to {@code p} and the default is returned. */
    static ApprovalSpec read(JsonNode n, Problems p) {
        if (n == null) {
            return DEFAULT;
        }
        if (!(n instanceof ObjectNode o)) {
            p.add("approval", "must be an object such as {\"timeoutSeconds\": 7200, \"onTimeout\": \"reject\"}, got "
                    + JsonKinds.describe(n));
            return DEFAULT;
        }
        int timeout = MAX_TIMEOUT_SECONDS;
        JsonNode t = o.get("timeoutSeconds");
        if (t != null && !t.isNull()) {
            Integer v = JsonReader.integer(t, "approval.timeoutSeconds", MIN_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS, "seconds", p);
            timeout = v == null ? timeout : v;
        }
        OnTimeout action = OnTimeout.FAIL;
        JsonNode a = o.get("onTimeout");
        if (a != null && !a.isNull()) {
            String s = JsonReader.string(a, "approval.onTimeout", p);
            if (s != null) {
                action = null;
                for (OnTimeout x : OnTimeout.values()) {
                    if (x.id().equalsIgnoreCase(s)) {
                        action = x;
                    }
                }
                if (action == null) {
                    p.add("approval.onTimeout", "must be \"fail\" (the run ends FAILED, the default), \"reject\" (it ends"
                            + " REJECTED, rolled back as the request says) or \"approve\" (the next wave starts), got \"" + s + "\"");
                    action = OnTimeout.FAIL;
                }
            }
        }
        JsonReader.unknownFields(o, "approval", FIELDS, p);
        return new ApprovalSpec(timeout, action);
    }
}
