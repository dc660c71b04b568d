package dev.fleetrun.cli.embedded;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.local.FleetrunHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * {@code $FLEETRUN_HOME/serve.json} (default {@code ~/.fleetrun/serve.json}): where this user's {@code fleetrun serve}
 * listens, its pid, work directory and the checkout it was started from, so that {@code fleetrun run}, {@code status}
 * and the rest in another terminal find it. {@link #lookup()} tells a live serve of this checkout from one of
 * another checkout (never used silently) and from a file left by a serve that is gone (named, never ignored).
 * Only this class reads and writes the file, and it needs nothing of the runtime (the lean client loads it).
 */
public final class RuntimeFile {
    /** The system property the launcher sets to the checkout it runs from (its root directory). */
    public static final String CHECKOUT_PROPERTY = "fleetrun.checkout";

    private RuntimeFile() {
    }

    /**
     * What serve.json says.
     *
     * @param checkout the checkout the serve was started from, or null when unknown (a serve started outside the
     *                 launcher, or by a fleetrun that did not record it)
     * @param workDir  the serve's work directory (node sandboxes, SNS log), or null when unknown
     */
    public record Entry(URI endpoint, long pid, String checkout, String workDir) {
        /** One line for people: {@code the fleetrun serve on URL (pid N, work dir D)}. */
        public String describe() {
            return "the fleetrun serve on " + endpoint + " (pid " + pid + (workDir != null ? ", work dir " + workDir : "") + ")";
        }
    }

    /** What {@link #lookup()} found. */
    public sealed interface Found {
        /** No serve.json. */
        record Nothing(Path file) implements Found {
        }

        /** A live serve started from this checkout (or from an unknown one). */
        record Running(Entry entry, Path file) implements Found {
        }

        /** A live serve of another checkout: never used without --endpoint. */
        record OtherCheckout(Entry entry, Path file, String here) implements Found {
        }

        /** A file whose serve is gone (its pid ended, or its port does not answer), or that cannot be read. */
        record Stale(Path file, String why) implements Found {
        }
    }

    public static Path path() {
        return FleetrunHome.directory().resolve("serve.json");
    }

    /** This process's checkout, as the launcher names it, or null (tests, a JVM started by hand). */
    public static String checkout() {
        String c = System.getProperty(CHECKOUT_PROPERTY);
        return c == null || c.isBlank() ? null : Path.of(c).toAbsolutePath().normalize().toString();
    }

    /** Records {@code runtime} as this user's serve; the file goes when this process ends. */
    public static void write(EmbeddedRuntime runtime) {
        Path p = path();
        try {
            Files.createDirectories(p.getParent());
            ObjectNode j = Json.object().put("endpoint", runtime.endpoint().toString())
                    .put("pid", ProcessHandle.current().pid())
                    .put("workDir", runtime.workDir().toString());
            if (checkout() != null) {
                j.put("checkout", checkout());
            }
            Path tmp = p.resolveSibling("serve.json." + ProcessHandle.current().pid());
            Files.writeString(tmp, Json.write(j));
            Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            p.toFile().deleteOnExit();
        } catch (IOException | UncheckedIOException e) {
            System.err.println("fleetrun: cannot write " + p + " (other fleetrun commands will need --endpoint): " + e.getMessage());
        }
    }

    /** What serve.json names; {@link Found.Stale} when what it names is gone. */
    public static Found lookup() {
        Path p = path();
        if (!Files.isRegularFile(p)) {
            return new Found.Nothing(p);
        }
        Entry e;
        try {
            // Read without Jackson, whose start-up a quick command need not pay: the file is four flat members.
            String text = Files.readString(p);
            String endpoint = member(text, "endpoint");
            String pid = member(text, "pid");
            e = new Entry(URI.create(endpoint == null ? "" : endpoint), pid == null ? 0 : Long.parseLong(pid),
                    member(text, "checkout"), member(text, "workDir"));
            if (e.endpoint().getPort() <= 0 || e.pid() <= 0) {
                return new Found.Stale(p, p + " names no endpoint and pid: remove it");
            }
        } catch (IOException | RuntimeException ex) {
            return new Found.Stale(p, p + " cannot be read (" + ex.getMessage() + "): remove it");
        }
        boolean alive = ProcessHandle.of(e.pid()).map(ProcessHandle::isAlive).orElse(false);
        if (!alive || !answers(e.endpoint())) {
            return new Found.Stale(p, p + " names pid " + e.pid() + " on port " + e.endpoint().getPort() + ", which is "
                    + (alive ? "not listening (that pid is another process now)" : "gone")
                    + ": start `fleetrun serve` or remove " + p);
        }
        String here = checkout();
        if (e.checkout() != null && here != null && !e.checkout().equals(here)) {
            return new Found.OtherCheckout(e, p, here);
        }
        return new Found.Running(e, p);
    }

    /** The serve serve.json names if it is running, of this checkout or another. */
    public static Optional<Entry> live() {
        return switch (lookup()) {
            case Found.Running r -> Optional.of(r.entry());
            case Found.OtherCheckout o -> Optional.of(o.entry());
            default -> Optional.empty();
        };
    }

    /** The serve of this user and checkout that is running, if any. */
    public static Optional<Entry> running() {
        return lookup() instanceof Found.Running r ? Optional.of(r.entry()) : Optional.empty();
    }

    /** A string or number member of the flat JSON object serve.json holds (no escapes but \\ and \"), or null. */
    static String member(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + java.util.regex.Pattern.quote(name)
                + "\"\\s*:\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(-?[0-9]+))").matcher(json);
        if (!m.find()) {
            return null;
        }
        return m.group(1) != null ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : m.group(2);
    }

    private static boolean answers(URI endpoint) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
