package dev.fleetrun.local.testing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository's shared fixtures for local/'s tests: the sample events under {@code events/}.
 * The root is the system property {@code fleetrun.root} (surefire sets it from the parent pom) or the
 * nearest directory at or above {@code user.dir} that holds {@code statemachines/}. JSON is read strictly.
 */
public final class RepoFiles {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private RepoFiles() {
    }

    /** The repository root: the directory that holds {@code statemachines/} and {@code events/}. */
    public static Path root() {
        String configured = System.getProperty("fleetrun.root");
        if (configured != null && !configured.isBlank() && Files.isDirectory(Path.of(configured, "statemachines"))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("statemachines"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the fleetrun repository root (fleetrun.root is '" + configured
                + "'); run the tests through Maven from the repository, or pass -Dfleetrun.root=<repo>");
    }

    /** A file under {@code events/}, such as {@code ssm/invocation-success.json}, as JSON. */
    public static JsonNode event(String relativePath) {
        Path file = root().resolve("events").resolve(relativePath);
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " as JSON: " + e.getMessage(), e);
        }
    }
}
