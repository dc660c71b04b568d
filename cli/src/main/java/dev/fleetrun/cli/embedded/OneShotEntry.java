package dev.fleetrun.cli.embedded;

import dev.fleetrun.cli.UsageException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where {@link dev.fleetrun.cli.OneShotRuntime} starts a one-shot embedded runtime, across a class loader
 * boundary: the lean client JVM loads this class (and the whole runtime) from the full runtime class path in a
 * loader of its own, so only JDK types cross: a map of the command line's fleet options in, a map of what the
 * client needs out. A bad option comes back as an {@link IllegalArgumentException} with the message to print.
 */
public final class OneShotEntry {
    private OneShotEntry() {
    }

    /**
     * @param args {@code fleetFile} (Path), {@code nodes}, {@code maxScripts} (Integer), {@code scriptIsolation} (String),
     *             {@code tags}, {@code allowedDocuments}, {@code faults} (List of String); absent for not given
     * @return {@code endpoint} (URI), {@code accessKeyId}, {@code secretAccessKey}, {@code isolation} (String),
     *         {@code fleetSize} (Integer), {@code workDir} (String) and {@code runtime} (AutoCloseable)
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> start(Map<String, Object> args) {
        try {
            EmbeddedRuntime runtime = EmbeddedRuntime.start(EmbeddedRuntime.Options.from(
                    (Path) args.get("fleetFile"), (Integer) args.get("nodes"), (List<String>) args.get("tags"),
                    (Integer) args.get("maxScripts"), (String) args.get("scriptIsolation"),
                    (List<String>) args.get("allowedDocuments"), (List<String>) args.get("faults"), 0));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("endpoint", runtime.endpoint());
            out.put("accessKeyId", runtime.credentials().accessKeyId());
            out.put("secretAccessKey", runtime.credentials().secretAccessKey());
            out.put("isolation", runtime.scriptIsolation());
            out.put("fleetSize", runtime.fleetSize());
            out.put("workDir", runtime.workDir().toString());
            out.put("runtime", runtime);
            return out;
        } catch (UsageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
