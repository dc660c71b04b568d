package dev.fleetrun.infra;

import dev.fleetrun.catalog.FleetrunFunction;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Function;

/**
 * One deployed fleetrun function: the function, the {@code live} alias that points at its current published version
 * (what the workflow and the rules invoke, so SnapStart's snapshot is what runs), and its own execution role.
 */
public record ProjectFunction(FleetrunFunction entry, Function function, Alias alias, Role role) {
}
