package dev.fleetrun.local.events;

import java.util.List;

/**
 * A rule of the bus, as DescribeRule shows it, with its targets.
 *
 * @param name               unique on its bus
 * @param arn                {@code arn:aws:events:<region>:<account>:rule/<name>}
 * @param eventPattern       the event pattern (JSON text), or null for a scheduled rule
 * @param scheduleExpression {@code rate(...)} or {@code cron(...)}, or null
 * @param enabled            whether the rule matches or fires
 * @param description        may be null
 * @param roleArn            may be null
 * @param eventBusName       always {@code default} here
 * @param targets            in the order they were put
 */
public record Rule(String name, String arn, String eventPattern, String scheduleExpression, boolean enabled,
                   String description, String roleArn, String eventBusName, List<Target> targets) {

    public Rule {
        targets = List.copyOf(targets);
    }

    /** {@code ENABLED} or {@code DISABLED}, as the API spells the state. */
    public String state() {
        return enabled ? "ENABLED" : "DISABLED";
    }
}
