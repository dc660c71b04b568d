package dev.fleetrun.local.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a simulated node behaves beyond running its scripts, so a demo or a test can have a fleet with
 * trouble in it. The parts combine:
 * <ul>
 *   <li>{@code offline}: the node starts with ping status ConnectionLost; commands sent to it stay
 *       Pending until it comes back or their delivery timeout passes (DeliveryTimedOut).</li>
 *   <li>{@code delay}: a slow node; each run starts this much (simulated) time after the node picked
 *       it up (the invocation is already InProgress).</li>
 *   <li>{@code failExitCode} with {@code failShare}: that share of the runs (1.0: every run) fails
 *       with that exit code instead of running the script. Which runs fail is drawn from a random
 *       sequence seeded with {@code seed} and the node id, so the same fleet fails the same way
 *       every time.</li>
 *   <li>{@code rebootOnce}: the node's first run ends as if the script had exited 194, so the node
 *       reboots and runs the script again from the start.</li>
 *   <li>{@code deliveryFailures}: SSM's first N attempts to deliver a command to the node fail (it looks
 *       online but does not answer): the invocation is Delayed and SSM tries again
 *       ({@link Dispatcher#DELIVERY_RETRY}); {@code undeliverable}: every attempt fails, and the
 *       invocation ends Undeliverable after {@link Dispatcher#DELIVERY_ATTEMPTS} of them.</li>
 *   <li>{@code accessDenied}: the caller may not send commands to the node (its IAM policy does not
 *       allow it): every invocation ends Failed / AccessDenied at once.</li>
 * </ul>
 */
public record NodeProfile(boolean offline, Duration delay, int failExitCode, double failShare, long seed,
                          boolean rebootOnce, int deliveryFailures, boolean undeliverable, boolean accessDenied) {
    /** Runs every script as it is. */
    public static final NodeProfile HEALTHY = new NodeProfile(false, Duration.ZERO, 1, 0.0, 0, false);
    /** The names {@link #parse} accepts for a preset. */
    public static final List<String> PRESETS = List.of("healthy", "offline", "slow", "failing", "flaky", "reboot-once",
            "delayed", "undeliverable", "access-denied");
    private static final Set<String> FIELDS = Set.of("offline", "slowSeconds", "failExitCode", "failShare", "seed",
            "rebootOnce", "deliveryFailures", "undeliverable", "accessDenied");

    /** A profile without delivery trouble. */
    public NodeProfile(boolean offline, Duration delay, int failExitCode, double failShare, long seed, boolean rebootOnce) {
        this(offline, delay, failExitCode, failShare, seed, rebootOnce, 0, false, false);
    }

    public NodeProfile {
        if (deliveryFailures < 0) {
            throw new IllegalArgumentException("deliveryFailures must be 0 or more, was " + deliveryFailures);
        }
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("a node's delay must be zero or positive, was " + delay);
        }
        if (failExitCode == 0 || failExitCode == 194) {
            throw new IllegalArgumentException("failExitCode " + failExitCode + " would not fail the run ("
                    + (failExitCode == 0 ? "0 is success" : "194 asks for a reboot") + "); use 1 to 255");
        }
        if (!(failShare >= 0 && failShare <= 1)) {
            throw new IllegalArgumentException("failShare must be from 0 to 1 (the share of runs that fail), was "
                    + failShare);
        }
    }

    public static NodeProfile offlineNode() {
        return HEALTHY.withOffline(true);
    }

    public static NodeProfile slow(Duration delay) {
        return new NodeProfile(false, delay, 1, 0.0, 0, false);
    }

    /** Every run fails with {@code exitCode}. */
    public static NodeProfile failing(int exitCode) {
        return new NodeProfile(false, Duration.ZERO, exitCode, 1.0, 0, false);
    }

    /** About {@code share} of the runs fail with {@code exitCode}, in an order fixed by {@code seed}. */
    public static NodeProfile flaky(double share, int exitCode, long seed) {
        return new NodeProfile(false, Duration.ZERO, exitCode, share, seed, false);
    }

    public static NodeProfile rebootingOnce() {
        return new NodeProfile(false, Duration.ZERO, 1, 0.0, 0, true);
    }

    /** SSM's first {@code failures} attempts to deliver to the node fail: Delayed, then delivered. */
    public static NodeProfile delayedDelivery(int failures) {
        return HEALTHY.with(failures, false, false);
    }

    /** Every delivery attempt fails: Delayed, then Undeliverable. */
    public static NodeProfile undeliverableNode() {
        return HEALTHY.with(0, true, false);
    }

    /** The caller may not send to the node: AccessDenied. */
    public static NodeProfile accessDeniedNode() {
        return HEALTHY.with(0, false, true);
    }

    public NodeProfile withOffline(boolean value) {
        return new NodeProfile(value, delay, failExitCode, failShare, seed, rebootOnce, deliveryFailures, undeliverable,
                accessDenied);
    }

    private NodeProfile with(int failures, boolean never, boolean denied) {
        return new NodeProfile(offline, delay, failExitCode, failShare, seed, rebootOnce, failures, never, denied);
    }

    /**
     * A profile from a fleet file: a preset name ({@link #PRESETS}) or an object with any of
     * {@code offline} (boolean), {@code slowSeconds} (number), {@code failExitCode} (integer, default
     * 1), {@code failShare} (0 to 1; default 1 when failExitCode is given, else 0), {@code seed}
     * (integer), {@code rebootOnce}, {@code undeliverable}, {@code accessDenied} (booleans) and
     * {@code deliveryFailures} (integer). Absent: {@link #HEALTHY}.
     *
     * @param where names the node in error messages
     */
    public static NodeProfile parse(JsonNode profile, String where) {
        if (profile == null || profile.isNull()) {
            return HEALTHY;
        }
        if (profile.isTextual()) {
            return preset(profile.asText(), where);
        }
        if (!profile.isObject()) {
            throw new IllegalArgumentException(where + ": profile must be a preset name " + PRESETS
                    + " or an object with " + FIELDS + ", not " + profile);
        }
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : profile.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                unknown.add(field.getKey());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(where + ": unknown profile field(s) " + unknown + "; a profile has "
                    + FIELDS);
        }
        try {
            boolean failing = profile.has("failExitCode");
            return new NodeProfile(bool(profile, "offline", where),
                    Duration.ofMillis(Math.round(number(profile, "slowSeconds", 0, where) * 1000)),
                    (int) number(profile, "failExitCode", 1, where),
                    number(profile, "failShare", failing ? 1 : 0, where),
                    (long) number(profile, "seed", 0, where),
                    bool(profile, "rebootOnce", where),
                    (int) number(profile, "deliveryFailures", 0, where),
                    bool(profile, "undeliverable", where),
                    bool(profile, "accessDenied", where));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(where) ? e : new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static NodeProfile preset(String name, String where) {
        return switch (name) {
            case "healthy" -> HEALTHY;
            case "offline" -> offlineNode();
            case "slow" -> slow(Duration.ofSeconds(5));
            case "failing" -> failing(1);
            case "flaky" -> flaky(0.5, 1, 0);
            case "reboot-once" -> rebootingOnce();
            case "delayed" -> delayedDelivery(1);
            case "undeliverable" -> undeliverableNode();
            case "access-denied" -> accessDeniedNode();
            default -> throw new IllegalArgumentException(where + ": unknown profile '" + name + "'; use one of "
                    + PRESETS + " or an object with " + FIELDS);
        };
    }

    private static boolean bool(JsonNode profile, String field, String where) {
        JsonNode value = profile.get(field);
        if (value == null) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(where + ": profile." + field + " must be true or false, not " + value);
        }
        return value.asBoolean();
    }

    private static double number(JsonNode profile, String field, double fallback, String where) {
        JsonNode value = profile.get(field);
        if (value == null) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException(where + ": profile." + field + " must be a number, not " + value);
        }
        return value.asDouble();
    }
}
