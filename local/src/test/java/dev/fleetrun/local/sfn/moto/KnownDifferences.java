package dev.fleetrun.local.sfn.moto;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The explained differences between our engine and moto, read from {@code src/test/resources/moto/known-differences.json}
 * (and written up for people in {@code local/MOTO-DIFFERENCES.md}):
 * <ul>
 *   <li>{@code notCompared}: case id to why the case cannot be compared (its result is random or depends on the
 *       wall clock, or moto cannot run it);</li>
 *   <li>{@code disagreements}: case id to a {@link Disagreement}: the fields of the outcome that differ, which
 *       engine follows the specification, why, and where the specification says so.</li>
 * </ul>
 */
public final class KnownDifferences {

    /** Where the file is on the test class path. */
    public static final String RESOURCE = "moto/known-differences.json";

    private final Map<String, String> notCompared = new HashMap<>();
    private final Map<String, Disagreement> disagreements = new HashMap<>();

    /**
     * One known disagreement.
     *
     * @param fields  the outcome fields that differ: status, output, error, cause
     * @param follows which engine follows the specification: {@code fleetrun}, {@code moto}, or {@code both} where the
     *                specification leaves the point open
     * @param why     the explanation
     * @param spec    the citation: document and section
     */
    public record Disagreement(Set<String> fields, String follows, String why, String spec) {
    }

    /** The file on the class path. */
    public static KnownDifferences load() {
        try (InputStream in = KnownDifferences.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no " + RESOURCE + " on the test class path");
            }
            return new KnownDifferences(Json.MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private KnownDifferences(JsonNode root) {
        root.path("notCompared").properties().forEach(e -> notCompared.put(e.getKey(), e.getValue().asText()));
        List<String> problems = new ArrayList<>();
        root.path("disagreements").properties().forEach(e -> {
            JsonNode entry = e.getValue();
            Set<String> fields = new TreeSet<>();
            entry.path("fields").forEach(f -> fields.add(f.asText()));
            String follows = entry.path("follows").asText();
            if (fields.isEmpty() || !Set.of("fleetrun", "moto", "both").contains(follows)
                    || entry.path("why").asText().isBlank() || entry.path("spec").asText().isBlank()) {
                problems.add(e.getKey());
            }
            disagreements.put(e.getKey(), new Disagreement(fields, follows, entry.path("why").asText(), entry.path("spec").asText()));
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException(RESOURCE + ": every disagreement needs 'fields', 'follows' (fleetrun, moto or both), "
                    + "'why' and 'spec'; these do not: " + problems);
        }
    }

    /** Why a case is not compared, if it is listed as such. */
    public Optional<String> notCompared(String caseId) {
        return Optional.ofNullable(notCompared.get(caseId));
    }

    /** The known disagreement on a case, if any. */
    public Optional<Disagreement> disagreement(String caseId) {
        return Optional.ofNullable(disagreements.get(caseId));
    }

    /** The case ids of the disagreements. */
    public Set<String> disagreementIds() {
        return new TreeSet<>(disagreements.keySet());
    }

    /** Every case id the file names. */
    public Set<String> caseIds() {
        Set<String> ids = new TreeSet<>(notCompared.keySet());
        ids.addAll(disagreements.keySet());
        return ids;
    }
}
