package dev.fleetrun.cli.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.local.FleetrunHome;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code ~/.fleetrun/serve.json}: where this user's {@code fleetrun serve} listens, so that
 * {@code fleetrun run}, {@code status}, {@code stop} and {@code approve} in another terminal find it.
 * A file left by a process that is gone is ignored.
 */
public final class RuntimeFile {
    private RuntimeFile() {
    }

    public record Entry(URI endpoint, long pid) {
    }

    static Path path() {
        return FleetrunHome.directory().resolve("serve.json");
    }

    public static void write(EmbeddedRuntime runtime) {
        Path p = path();
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, Json.write(Json.object().put("endpoint", runtime.endpoint().toString())
                    .put("pid", ProcessHandle.current().pid())));
            p.toFile().deleteOnExit();
        } catch (IOException e) {
            System.err.println("fleetrun: cannot write " + p + " (other fleetrun commands will need --endpoint): " + e.getMessage());
        }
    }

    /** The serve of this user that is still running, if any. */
    public static Optional<Entry> running() {
        Path p = path();
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        try {
            JsonNode j = Json.parse(Files.readString(p));
            long pid = j.path("pid").asLong();
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return Optional.of(new Entry(URI.create(j.path("endpoint").asText()), pid));
            }
        } catch (IOException | IllegalArgumentException e) {
            // unreadable: treat as absent
        }
        return Optional.empty();
    }
}
