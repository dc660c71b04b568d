package dev.fleetrun.cli;

import dev.fleetrun.cli.embedded.EmbeddedRuntime;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a command goes. With {@code --profile} or {@code --region} (or {@code AWS_PROFILE} set), the
 * deployed stack in that account; with {@code --endpoint}, a runtime started by {@code fleetrun serve};
 * otherwise a {@code fleetrun serve} this user has running, or an embedded runtime started just for
 * this command, over a simulated fleet.
 */
public final class ConnectionOptions {
    @Option(names = "--profile", description = "AWS profile: drive the deployed stack in that account.")
    String profile;

    @Option(names = "--region", description = "AWS Region of the deployed stack.")
    String region;

    @Option(names = "--stack", defaultValue = "Fleetrun", description = "The deployed stack's name (default: ${DEFAULT-VALUE}).")
    String stack;

    @Option(names = "--endpoint", paramLabel = "URL", description = "A running 'fleetrun serve', e.g. http://127.0.0.1:4599 (default: the one in ~/.fleetrun/serve.json, if running).")
    String endpoint;

    @Option(names = "--fleet", paramLabel = "FILE", description = "Embedded runtime: the simulated fleet (JSON, see local/FLEET.md).")
    Path fleetFile;

    @Option(names = "--nodes", paramLabel = "N", description = "Embedded runtime: simulate N Linux nodes (default 20 when no --fleet).")
    Integer nodes;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "Embedded runtime: a tag on every simulated node (repeat).")
    java.util.List<String> tags = new java.util.ArrayList<>();

    @Option(names = "--max-scripts", paramLabel = "N", description = "Embedded runtime: the most node scripts this machine"
            + " runs at once, over all simulated nodes (default " + EmbeddedRuntime.DEFAULT_MAX_RUNNING_SCRIPTS + "); more"
            + " wait, InProgress, for a free slot.")
    Integer maxScripts;

    @Option(names = "--script-isolation", paramLabel = "auto|bubblewrap|none", description = "Embedded runtime: how node"
            + " scripts are confined. auto (default): in a bubblewrap sandbox each (only the node's sandbox writable, a"
            + " private /tmp, no network unless the fleet file allows it) where bubblewrap works here, otherwise not at"
            + " all; bubblewrap: refuse to start without it; none: plain processes.")
    String scriptIsolation;

    @Option(names = "--allow-document", paramLabel = "NAME", description = "Embedded runtime: also allow this SSM"
            + " document in run requests (repeat), besides AWS-RunShellScript and AWS-RunPowerShellScript: the"
            + " deployment's allow-list (FLEETRUN_ALLOWED_DOCUMENTS).")
    java.util.List<String> allowedDocuments = new java.util.ArrayList<>();

    /** The --fault examples of --help, each a form the runtime takes (FaultsCommandLineComponentTest starts serve with them). */
    static final String FAULT_EXAMPLES = "drop-events:source=aws.ssm,times=3 | repeat-events:source=aws.ssm,times=every"
            + " | throttle:service=ssm,operation=SendCommand,times=2 | fail-lambda:function=SendWave";

    @Option(names = "--fault", paramLabel = "SPEC", description = "Embedded runtime: inject a fault (repeat), e.g. "
            + FAULT_EXAMPLES + "; times=N or times=every. Forms: local/README.md.")
    java.util.List<String> faults = new java.util.ArrayList<>();

    public java.util.List<String> faults() {
        return faults;
    }

    public java.nio.file.Path fleetFile() {
        return fleetFile;
    }

    public Integer nodes() {
        return nodes;
    }

    public java.util.List<String> tags() {
        return tags;
    }

    public Integer maxScripts() {
        return maxScripts;
    }

    public String scriptIsolation() {
        return scriptIsolation;
    }

    /** The documents given with --allow-document, besides the two AWS shell documents. */
    public java.util.List<String> allowedDocuments() {
        return allowedDocuments;
    }

    boolean aws() {
        return profile != null || region != null
                || (endpoint == null && System.getenv("AWS_PROFILE") != null && System.getenv("FLEETRUN_ENDPOINT") == null);
    }
}
