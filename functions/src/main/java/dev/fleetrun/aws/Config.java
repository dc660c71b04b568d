package dev.fleetrun.aws;

import dev.fleetrun.domain.ErrorPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A function's settings, read once from its environment (docs/internals.md, "Configuration").
 * A malformed value stops the function at init with a message naming the variable.
 */
public record Config(
        String table,
        String alertTopicArn,
        String eventBus,
        Set<String> allowedDocuments,
        Duration retention,
        ErrorPolicy errorPolicy,
        Duration lease,
        int heartbeatSeconds,
        int deliveryTimeoutSeconds) {

    public static final String DEFAULT_DOCUMENTS = "AWS-RunShellScript,AWS-RunPowerShellScript";

    public static Config fromEnvironment() {
        return from(System.getenv());
    }

    public static Config from(Map<String, String> env) {
        return new Config(
                env.getOrDefault("FLEETRUN_TABLE", "fleetrun"),
                blankToNull(env.get("FLEETRUN_ALERT_TOPIC_ARN")),
                env.getOrDefault("FLEETRUN_EVENT_BUS", "default"),
                documents(env.getOrDefault("FLEETRUN_ALLOWED_DOCUMENTS", DEFAULT_DOCUMENTS)),
                Duration.ofDays(number(env, "FLEETRUN_RETENTION_DAYS", 90, 1, 3650)),
                new ErrorPolicy(bool(env, "FLEETRUN_COUNT_UNREACHABLE_AS_ERRORS", true)),
                Duration.ofSeconds(number(env, "FLEETRUN_LEASE_SECONDS", 86_400, 60, 30 * 86_400)),
                number(env, "FLEETRUN_HEARTBEAT_SECONDS", 300, 10, 86_400),
                number(env, "FLEETRUN_DELIVERY_TIMEOUT_SECONDS", 600, 30, 2_592_000));
    }

    private static Set<String> documents(String csv) {
        Set<String> names = new LinkedHashSet<>();
        Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(names::add);
        if (names.isEmpty()) {
            throw new IllegalStateException("FLEETRUN_ALLOWED_DOCUMENTS is empty: name at least one SSM document");
        }
        return Set.copyOf(names);
    }

    private static int number(Map<String, String> env, String name, int fallback, int min, int max) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(raw.trim());
            if (v < min || v > max) {
                throw new IllegalStateException(name + "=" + raw + " is out of range: use " + min + " to " + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + "=" + raw + " is not a whole number", e);
        }
    }

    private static boolean bool(Map<String, String> env, String name, boolean fallback) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        return switch (raw.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalStateException(name + "=" + raw + " must be true or false");
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
