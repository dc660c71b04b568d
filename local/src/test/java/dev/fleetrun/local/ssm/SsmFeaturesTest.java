package dev.fleetrun.local.ssm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.local.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** local/FEATURES.md lists every SSM operation the simulated SSM answers, and every status it reaches. */
class SsmFeaturesTest {

    @Test
    void everyOperationAndStatusHasItsLineInFeaturesMd() throws IOException {
        String features = Files.readString(RepoFiles.root().resolve("local/FEATURES.md"));
        String ssm = features.substring(features.indexOf("## Systems Manager"));

        for (String operation : SimulatedSsm.OPERATIONS) {
            assertTrue(ssm.contains("| " + operation + " |") || ssm.contains("| " + operation + ", ")
                    || ssm.contains(", " + operation + " |"), operation + " has a row in FEATURES.md's SSM table");
        }
        for (String status : java.util.List.of("Pending / Pending", "InProgress / InProgress", "Delayed / Delayed",
                "Success / Success", "Failed / Failed", "Cancelling / Cancelling", "Cancelled / Cancelled",
                "TimedOut / DeliveryTimedOut", "TimedOut / ExecutionTimedOut", "Failed / Undeliverable",
                "Cancelled / Terminated", "Failed / InvalidPlatform", "Failed / AccessDenied")) {
            assertTrue(ssm.contains("| " + status + " |"), status + " has a row in FEATURES.md's statuses");
        }
    }
}
