package dev.fleetrun.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.testing.RepoFiles;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The execution inputs under events/inputs/ are what the README says they are, to the parser. */
class SampleInputsTest {
    private final RunRequestParser parser = new RunRequestParser(RunRequestParser.DEFAULT_ALLOWED_DOCUMENTS);

    @ParameterizedTest
    @ValueSource(strings = {"minimal.json", "full.json", "dry-run.json", "explicit-waves.json", "rollback.json"})
    void validSampleInputsParse(String file) {
        RunRequest r = parser.parse(RepoFiles.event("inputs/" + file));

        assertFalse(r.instanceIds().isEmpty() && r.targets().isEmpty(), "a valid input targets something");
    }

    @Test
    void theDryRunSampleIsADryRunAndTheRollbackSampleHasARollback() {
        assertTrue(parser.parse(RepoFiles.event("inputs/dry-run.json")).dryRun());
        assertTrue(parser.parse(RepoFiles.event("inputs/rollback.json")).rollback() != null);
        assertEquals(3, parser.parse(RepoFiles.event("inputs/explicit-waves.json")).waves().size());
    }

    /** Each invalid sample fails with exactly the fields events/README.md names. */
    @Test
    void invalidSampleInputsFailNamingEveryBadField() {
        Map<String, Set<String>> expected = Map.of(
                "invalid-targets-and-instance-ids.json", Set.of("targets"),
                "invalid-unknown-field.json", Set.of("maxConcurency"),
                "invalid-max-errors-101-percent.json", Set.of("maxErrors"),
                "invalid-empty-instance-ids.json", Set.of("instanceIds"),
                "invalid-document-not-allowed.json", Set.of("document.name"),
                "invalid-commands-and-document.json", Set.of("commands"),
                "invalid-wrong-types.json", Set.of("instanceIds", "bakeSeconds", "dryRun"),
                "invalid-several-errors.json", Set.of("targets", "maxConcurrency", "maxErrors", "waves[0]", "waves[1]", "colour"));
        List<String> files = RepoFiles.filesEndingWith(RepoFiles.eventsDir().resolve("inputs"), ".json").stream()
                .map(p -> p.getFileName().toString()).filter(n -> n.startsWith("invalid-")).sorted().toList();
        assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(files), "every invalid sample has its expectation here");

        for (String file : files) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> parser.parse(RepoFiles.event("inputs/" + file)), file);
            Set<String> fields = e.errors().stream().map(FieldError::field).collect(Collectors.toCollection(TreeSet::new));
            assertTrue(fields.containsAll(expected.get(file)), file + ": expected errors on " + expected.get(file) + ", got " + e.getMessage());
            assertTrue(e.getMessage().startsWith("invalid run request: "), e.getMessage());
        }
    }
}
