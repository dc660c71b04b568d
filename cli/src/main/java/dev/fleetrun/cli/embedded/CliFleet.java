package dev.fleetrun.cli.embedded;

import dev.fleetrun.cli.ConnectionOptions;
import dev.fleetrun.cli.UsageException;
import dev.fleetrun.local.ssm.Fleet;
import java.util.LinkedHashMap;
import java.util.Map;

/** The simulated fleet a command line asks for: {@code --fleet FILE}, or {@code --nodes N} with {@code --tag}s. */
public final class CliFleet {
    /** Without --fleet or --nodes: twenty Linux nodes, tagged as a staging web tier. */
    public static final int DEFAULT_NODES = 20;
    public static final Map<String, String> DEFAULT_TAGS = Map.of("Environment", "staging", "Role", "web");

    private CliFleet() {
    }

    public static Fleet of(ConnectionOptions o) {
        return of(o.fleetFile(), o.nodes(), o.tags());
    }

    public static Fleet of(java.nio.file.Path fleetFile, Integer nodes, java.util.List<String> tagOptions) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String t : tagOptions) {
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--tag " + t + ": write KEY=VALUE, for example --tag Environment=staging");
            }
            tags.put(t.substring(0, eq), t.substring(eq + 1));
        }
        Fleet generated = null;
        if (nodes != null) {
            if (nodes < 0 || nodes > 100_000) {
                throw new UsageException("--nodes " + nodes + ": give 0 to 100000");
            }
            generated = Fleet.generate(nodes, tags.isEmpty() ? DEFAULT_TAGS : tags);
        }
        if (fleetFile != null) {
            Fleet file = Fleet.load(fleetFile);
            return generated == null ? file : file.plus(generated);
        }
        return generated != null ? generated : Fleet.generate(DEFAULT_NODES, tags.isEmpty() ? DEFAULT_TAGS : tags);
    }
}
