package dev.fleetrun.local.sfn.moto;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code moto/known-differences.json} honest without moto: every case it names exists, and every disagreement
 * is written up in {@code local/MOTO-DIFFERENCES.md}.
 */
class KnownDifferencesTest {

    private static final KnownDifferences KNOWN = KnownDifferences.load();

    @Test
    void everyCaseTheKnownDifferencesNameExists() {
        Set<String> ids = new TreeSet<>();
        MotoDifferentialTest.FEATURES.forEach(f -> DifferentialCase.load(f).forEach(c -> ids.add(c.id())));
        Set<String> unknown = new TreeSet<>(KNOWN.caseIds());
        unknown.removeAll(ids);
        assertTrue(unknown.isEmpty(), KnownDifferences.RESOURCE + " names cases that do not exist (renamed or removed?): " + unknown);
    }

    @Test
    void everyKnownDisagreementIsWrittenUpInMotoDifferencesMd() throws Exception {
        Path page = Path.of("MOTO-DIFFERENCES.md");
        if (!Files.isRegularFile(page)) {
            page = Path.of(System.getProperty("fleetrun.root", ""), "local", "MOTO-DIFFERENCES.md");
        }
        String text = Files.readString(page);
        Set<String> missing = new TreeSet<>();
        for (String id : KNOWN.disagreementIds()) {
            if (!text.contains("**" + id + "**")) {
                missing.add(id);
            }
        }
        assertTrue(missing.isEmpty(), page + " does not write up these disagreements of " + KnownDifferences.RESOURCE + ": " + missing);
    }
}
