package dev.fleetrun.infra;

import dev.fleetrun.catalog.ConfigurationException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Context settings: defaults, typed values, and every bad value reported with its key. */
class FleetrunSettingsTest {

    private static final Path INFRA = Path.of("/repo/infra");
    private static final Path JAR = Path.of("/repo/functions/target/f-lambda.jar");

    private static FleetrunSettings read(Map<String, Object> context) {
        return FleetrunSettings.fromContext(context::get, INFRA, JAR);
    }

    @Test
    void defaultsAreSafe() {
        assertEquals(new FleetrunSettings("Fleetrun", List.of("AWS-RunShellScript", "AWS-RunPowerShellScript"),
                        Optional.empty(), Optional.empty(), 90, true, 86_400, 300, 600, 30, 90, 5,
                        INFRA.resolve("jobs.json"), JAR),
                read(Map.of()));
    }

    @Test
    void readsEverySettingFromStrings() {
        assertEquals(new FleetrunSettings("Ops-Fleetrun", List.of("AWS-RunShellScript", "MyOrg-Patch"),
                        Optional.of(new FleetrunSettings.InstanceTag("fleetrun:managed", "true")), Optional.of("ops@example.com"),
                        30, false, 3600, 120, 900, 14, 7, 10, Path.of("/repo/ops/jobs.json"), Path.of("/tmp/f.jar")),
                read(Map.ofEntries(
                        Map.entry("stackName", "Ops-Fleetrun"),
                        Map.entry("allowedDocuments", " AWS-RunShellScript , MyOrg-Patch,AWS-RunShellScript"),
                        Map.entry("instanceTag", "fleetrun:managed=true"),
                        Map.entry("alertEmail", "ops@example.com"),
                        Map.entry("retentionDays", "30"),
                        Map.entry("countUnreachableAsErrors", "false"),
                        Map.entry("leaseSeconds", "3600"),
                        Map.entry("heartbeatSeconds", "120"),
                        Map.entry("deliveryTimeoutSeconds", "900"),
                        Map.entry("logRetentionDays", "14"),
                        Map.entry("outputRetentionDays", "7"),
                        Map.entry("reconcileAlarmThreshold", "10"),
                        Map.entry("jobsFile", "../ops/jobs.json"),
                        Map.entry("functionsJar", "/tmp/f.jar"))));
    }

    @Test
    void takesJsonValuesFromCdkJson() {
        assertEquals(List.of("AWS-RunShellScript", "MyOrg-Patch"),
                read(Map.of("allowedDocuments", List.of("AWS-RunShellScript", "MyOrg-Patch"), "retentionDays", 30))
                        .allowedDocuments());
    }

    @Test
    void reportsEveryBadValueWithItsKey() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> read(Map.of(
                "allowedDocuments", "AWS-RunShellScript,no spaces allowed",
                "instanceTag", "fleetrun:managed",
                "alertEmail", "ops",
                "retentionDays", "ninety",
                "countUnreachableAsErrors", "yes",
                "logRetentionDays", "10")));
        assertEquals(List.of(
                "context 'allowedDocuments': 'no spaces allowed' is not an SSM document name (3-128 letters, digits, _ - .) or a document ARN",
                "context 'instanceTag': 'fleetrun:managed' is not key=value, for example fleetrun:managed=true",
                "context 'alertEmail': 'ops' is not an e-mail address such as ops@example.com",
                "context 'retentionDays': 'ninety' is not a whole number of days between 1 and 3650",
                "context 'countUnreachableAsErrors': 'yes' is not true or false",
                "context 'logRetentionDays': CloudWatch Logs does not offer 10 days; choose one of "
                        + FleetrunSettings.LOG_RETENTION_CHOICES), e.problems());
    }

    @Test
    void refusesAnEmptyAllowList() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> read(Map.of("allowedDocuments", " , ")));
        assertEquals(List.of("context 'allowedDocuments': no document given; name at least one, comma-separated, for example"
                + " AWS-RunShellScript,MyOrg-Patch (default AWS-RunShellScript,AWS-RunPowerShellScript)"), e.problems());
    }

    @Test
    void keepsLeaseWithinWhatTheFunctionsAccept() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> read(Map.of("leaseSeconds", "31536000")));
        assertEquals(List.of("context 'leaseSeconds': '31536000' is not a whole number of seconds between 60 and 2592000"),
                e.problems());
    }
}
