package dev.fleetrun.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** infra/README.md is what an operator follows: its commands are the tested ones, its examples and settings real. */
class InfraReadmeTest {

    /** Steps the build itself runs before the synth tier: ./dev installs the pinned CLI with npm ci in infra/. */
    private static final Set<String> SETUP = Set.of("cd infra", "npm ci");
    private static final String NEEDS_AN_ACCOUNT = "needs an AWS account";
    /** The LocalStack tier's commands: they run only where a Docker engine does, which the build machine lacks. */
    private static final String NEEDS_DOCKER = "needs a Docker engine";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyCommandIsOneTheTestsRunOrIsMarkedAsNeedingAnAwsAccount() {
        Set<String> tested = new TreeSet<>(SETUP);
        CdkCliSynthTest.OPERATORS.forEach(o -> tested.add(o.command()));
        List<String> neither = InfraReadme.commands().stream()
                .filter(c -> !tested.contains(c.text()) && !c.comment().contains(NEEDS_AN_ACCOUNT)
                        && !c.comment().contains(NEEDS_DOCKER))
                .map(InfraReadme.Command::text).toList();
        assertEquals(List.of(), neither);
    }

    @Test
    void theJobsExampleIsTheExampleFileTheTestsSynthesize() throws IOException {
        String example = InfraReadme.blocks("json").stream().filter(b -> b.contains("\"jobs\"")).findFirst().orElseThrow();
        assertEquals(JSON.readTree(Synthesized.ROOT.resolve("infra/examples/jobs.json").toFile()), JSON.readTree(example));
    }

    @Test
    void theSettingsTableHasEverySetting() throws Exception {
        Set<String> missing = new TreeSet<>();
        for (var field : FleetrunSettings.Keys.class.getFields()) {
            String key = (String) field.get(null);
            if (!InfraReadme.text().contains("| `" + key + "` |")) {
                missing.add(key);
            }
        }
        assertEquals(Set.of(), missing);
    }
}
