package dev.fleetrun.local.ssm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A simulated node's corner of the host's disk, under the runtime's work directory:
 * <pre>
 *   &lt;workDir&gt;/&lt;instanceId&gt;/home                 HOME and the default working directory of every script
 *   &lt;workDir&gt;/&lt;instanceId&gt;/tmp                  TMPDIR
 *   &lt;workDir&gt;/&lt;instanceId&gt;/runs/&lt;commandId&gt;/    script.sh (or script.ps1), stdout, stderr: complete output
 * </pre>
 * and the environment a script runs with: nothing of the runtime's own environment but PATH and the
 * locale, plus variables naming the node (see {@link #environment}).
 */
final class NodeSandbox {
    private final Path root;

    NodeSandbox(Path workDir, String instanceId) {
        this.root = workDir.resolve(instanceId);
        try {
            Files.createDirectories(home());
            Files.createDirectories(tmp());
            Files.createDirectories(root.resolve("runs"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the sandbox of node " + instanceId + " under " + workDir
                    + ": " + e.getMessage() + " (choose a writable work directory)", e);
        }
    }

    /** The sandbox itself: with isolation, the only place on the host its scripts can write. */
    Path root() {
        return root;
    }

    Path home() {
        return root.resolve("home");
    }

    Path tmp() {
        return root.resolve("tmp");
    }

    /** The directory of one command's files on this node, created on demand. */
    Path runDirectory(String commandId) throws IOException {
        return Files.createDirectories(root.resolve("runs").resolve(commandId));
    }

    /**
     * The environment of a script: PATH, LANG and LC_ALL from the runtime (when set); HOME and PWD
     * (the working directory); TMPDIR; {@code FLEETRUN_INSTANCE_ID} and {@code AWS_SSM_INSTANCE_ID}
     * (the node id; the agent sets the latter), {@code AWS_SSM_REGION_NAME}, {@code FLEETRUN_PLATFORM},
     * {@code FLEETRUN_COMMAND_ID}; each tag as {@code FLEETRUN_TAG_<KEY>} (key upper-cased, characters
     * other than letters and digits as {@code _}) and all of them as {@code FLEETRUN_TAGS}
     * ({@code Key=Value,...}, sorted by key).
     */
    Map<String, String> environment(ManagedNode node, String region, String commandId, Path workingDirectory) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String inherited : new String[] {"PATH", "LANG", "LC_ALL"}) {
            String value = System.getenv(inherited);
            if (value != null) {
                env.put(inherited, value);
            }
        }
        env.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", home().toString());
        env.put("PWD", workingDirectory.toString());
        env.put("TMPDIR", tmp().toString());
        env.put("FLEETRUN_INSTANCE_ID", node.instanceId());
        env.put("AWS_SSM_INSTANCE_ID", node.instanceId());
        env.put("AWS_SSM_REGION_NAME", region);
        env.put("FLEETRUN_PLATFORM", node.platformType());
        env.put("FLEETRUN_COMMAND_ID", commandId);
        Map<String, String> sorted = new TreeMap<>(node.tags());
        sorted.forEach((key, value) -> env.put("FLEETRUN_TAG_" + variableName(key), value));
        env.put("FLEETRUN_TAGS", sorted.entrySet().stream()
                .map(tag -> tag.getKey() + "=" + tag.getValue()).collect(Collectors.joining(",")));
        return env;
    }

    static String variableName(String tagKey) {
        return tagKey.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
