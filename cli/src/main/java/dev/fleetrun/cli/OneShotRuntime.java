package dev.fleetrun.cli;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A one-shot embedded runtime, for a {@code run} or {@code plan} that finds no serve: started in this process and
 * closed with the command. The launcher starts every command but {@code serve} on the lean client class path
 * (README, "A quick command line"), which has no runtime; it names the whole runtime class path in the system
 * property {@value #RUNTIME_CLASSPATH}, and the runtime is loaded from there in a class loader of its own, beside
 * (not below) the client's, so the two never mix classes: only JDK types cross ({@code embedded.OneShotEntry}).
 * Without the property (tests, a JVM started on the whole class path) the runtime is loaded with this class's own
 * loader.
 */
final class OneShotRuntime {
    static final String RUNTIME_CLASSPATH = "fleetrun.runtime.classpath";
    private static final String ENTRY = "dev.fleetrun.cli.embedded.OneShotEntry";

    /** What the client needs of the runtime it started. */
    record Started(URI endpoint, String accessKeyId, String secretAccessKey, String isolation, int fleetSize,
                   String workDir, AutoCloseable runtime) {
    }

    private OneShotRuntime() {
    }

    static Started start(ConnectionOptions o) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("fleetFile", o.fleetFile());
        args.put("nodes", o.nodes());
        args.put("tags", List.copyOf(o.tags()));
        args.put("maxScripts", o.maxScripts());
        args.put("scriptIsolation", o.scriptIsolation());
        args.put("allowedDocuments", List.copyOf(o.allowedDocuments()));
        args.put("faults", List.copyOf(o.faults()));
        Map<?, ?> out;
        ClassLoader loader = loader();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // The runtime's threads inherit this context loader, through which the SDK and DynamoDB Local find services.
        thread.setContextClassLoader(loader);
        try {
            out = (Map<?, ?>) loader.loadClass(ENTRY).getMethod("start", Map.class).invoke(null, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException || Fleetrun.isA(cause, UsageException.class)) {
                throw new UsageException(cause.getMessage());
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("the embedded runtime did not start: " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the embedded runtime (" + e + "): rebuild with ./dev build", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
        return new Started((URI) out.get("endpoint"), (String) out.get("accessKeyId"), (String) out.get("secretAccessKey"),
                (String) out.get("isolation"), (Integer) out.get("fleetSize"), (String) out.get("workDir"),
                (AutoCloseable) out.get("runtime"));
    }

    private static ClassLoader loader() {
        String classpath = System.getProperty(RUNTIME_CLASSPATH);
        if (classpath == null || classpath.isBlank()) {
            return OneShotRuntime.class.getClassLoader();
        }
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                try {
                    urls.add(new File(entry).toURI().toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalStateException("the runtime class path names " + entry + ": " + e.getMessage(), e);
                }
            }
        }
        // Beside the client's loader, not below it: the runtime's classes (and its copies of the SDK, Jackson and
        // fleetrun's own) all come from the runtime class path.
        return new URLClassLoader("fleetrun-runtime", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }
}
