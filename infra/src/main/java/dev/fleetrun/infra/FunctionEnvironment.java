package dev.fleetrun.infra;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment every function gets: the names in docs/internals.md "Configuration", filled from the deployed
 * resources and the {@link FleetrunSettings}.
 */
public final class FunctionEnvironment {

    public static final String TABLE = "FLEETRUN_TABLE";
    public static final String ALERT_TOPIC_ARN = "FLEETRUN_ALERT_TOPIC_ARN";
    public static final String EVENT_BUS = "FLEETRUN_EVENT_BUS";
    public static final String ALLOWED_DOCUMENTS = "FLEETRUN_ALLOWED_DOCUMENTS";
    public static final String RETENTION_DAYS = "FLEETRUN_RETENTION_DAYS";
    public static final String COUNT_UNREACHABLE_AS_ERRORS = "FLEETRUN_COUNT_UNREACHABLE_AS_ERRORS";
    public static final String LEASE_SECONDS = "FLEETRUN_LEASE_SECONDS";
    public static final String HEARTBEAT_SECONDS = "FLEETRUN_HEARTBEAT_SECONDS";
    public static final String DELIVERY_TIMEOUT_SECONDS = "FLEETRUN_DELIVERY_TIMEOUT_SECONDS";

    /** fleetrun's events go to the default bus, where SSM's and the users' rules are. */
    public static final String DEFAULT_BUS = "default";

    private FunctionEnvironment() {
    }

    /** The variables, in the order of docs/internals.md. */
    public static Map<String, String> of(FleetrunSettings settings, String tableName, String alertTopicArn) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(TABLE, tableName);
        env.put(ALERT_TOPIC_ARN, alertTopicArn);
        env.put(EVENT_BUS, DEFAULT_BUS);
        env.put(ALLOWED_DOCUMENTS, String.join(",", settings.allowedDocuments()));
        env.put(RETENTION_DAYS, Integer.toString(settings.retentionDays()));
        env.put(COUNT_UNREACHABLE_AS_ERRORS, Boolean.toString(settings.countUnreachableAsErrors()));
        env.put(LEASE_SECONDS, Integer.toString(settings.leaseSeconds()));
        env.put(HEARTBEAT_SECONDS, Integer.toString(settings.heartbeatSeconds()));
        env.put(DELIVERY_TIMEOUT_SECONDS, Integer.toString(settings.deliveryTimeoutSeconds()));
        return env;
    }
}
