package dev.fleetrun.testing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The repository's shared files, for tests of any module: the workflow definitions under
 * {@code statemachines/} and the sample inputs under {@code events/}.
 *
 * <p>The root is the system property {@code fleetrun.root} (surefire sets it from the parent pom)
 * when it holds {@code statemachines/}; otherwise the nearest directory at or above
 * {@code user.dir} that does. JSON is read strictly: a duplicated key or trailing text is an error,
 * so a fixture cannot say two things at once.
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
        if (configured != null && !configured.isBlank() && isRoot(Path.of(configured))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (isRoot(dir)) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the fleetrun repository root: fleetrun.root is '" + configured
                + "' and no directory at or above " + start + " holds statemachines/."
                + " Run the tests through Maven from the repository (./dev test), or pass -Dfleetrun.root=<repo>.");
    }

    /** {@code <root>/events}. */
    public static Path eventsDir() {
        return root().resolve("events");
    }

    /** {@code <root>/statemachines}. */
    public static Path stateMachinesDir() {
        return root().resolve("statemachines");
    }

    /** A file under {@code events/}, such as {@code ssm/invocation-success.json}, as JSON. */
    public static JsonNode event(String relativePath) {
        return readJson(eventsDir().resolve(relativePath));
    }

    /** A definition under {@code statemachines/}, such as {@code rolling-run.asl.json}, as JSON. */
    public static JsonNode stateMachine(String fileName) {
        return readJson(stateMachinesDir().resolve(fileName));
    }

    /** Every {@code *.asl.json} under {@code statemachines/}, sorted by name. */
    public static List<Path> stateMachineFiles() {
        return filesEndingWith(stateMachinesDir(), ".asl.json");
    }

    /** Every regular file under {@code dir} (recursively) whose name ends with {@code suffix}, sorted. */
    public static List<Path> filesEndingWith(Path dir, String suffix) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Reads one file as JSON, strictly; the exception names the file. */
    public static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " as JSON: " + e.getMessage(), e);
        }
    }

    /** Parses JSON held in a string (an event's embedded input, a cause), as strictly as the files. */
    public static JsonNode parseJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + e.getMessage(), e);
        }
    }

    /** Reads one file as text (UTF-8). */
    public static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static boolean isRoot(Path dir) {
        return Files.isDirectory(dir.resolve("statemachines"));
    }
}
