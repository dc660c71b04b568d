package dev.fleetrun.local.sfn.moto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * moto's server, started on a free loopback port through {@code src/test/moto/moto_fleetrun.py} (moto 5.2.1 with
 * known bugs patched, executing state machines), for a second opinion: on Step Functions behaviour here, and on
 * CloudFormation in infra's deploy rehearsal (which uses this class through this module's test jar). The server's
 * output goes to a log file; {@link #close()} stops it.
 *
 * <p>The Python interpreter is {@code python3}, or the one named by the environment variable
 * {@code FLEETRUN_MOTO_PYTHON}. It must be able to import {@code moto.server} (moto installed with its server
 * extra: {@code pip install 'moto[server]==5.2.1'}, which also gives the {@code moto_server} command).
 */
public final class MotoServer implements AutoCloseable {

    /** The region and account moto answers for, as our engine's defaults. */
    public static final Region REGION = Region.US_EAST_1;

    private static final String WRAPPER = "local/src/test/moto/moto_fleetrun.py";
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final Path log;

    private MotoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Why moto cannot run here (no interpreter, moto not importable, wrapper not found), or empty if it can. */
    public static Optional<String> unavailable() {
        if (wrapper().isEmpty()) {
            return Optional.of("the wrapper " + WRAPPER + " was not found from " + Path.of("").toAbsolutePath());
        }
        try {
            Process probe = new ProcessBuilder(python(), "-c", "import moto.server; print(moto.__version__)")
                    .redirectErrorStream(true).start();
            String out = new String(probe.getInputStream().readAllBytes()).trim();
            if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
                return Optional.of(python() + " cannot import moto.server: " + lastLine(out));
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("no Python interpreter '" + python() + "' (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while looking for moto");
        }
    }

    /**
     * Starts moto on a free port of 127.0.0.1 and waits until it answers.
     *
     * @param log where the server's output goes
     */
    public static MotoServer start(Path log) throws IOException, InterruptedException {
        Path script = wrapper().orElseThrow(() -> new IllegalStateException(unavailable().orElse("no wrapper")));
        Files.createDirectories(log.toAbsolutePath().getParent());
        int port = freePort();
        Process process = new ProcessBuilder(List.of(python(), "-u", script.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port)))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        MotoServer server = new MotoServer(process, port, log);
        server.awaitReady();
        return server;
    }

    /** A log file of this name in the {@code target/} folder of the module that holds the wrapper ({@code local/}). */
    public static Path logFile(String name) {
        Path script = wrapper().orElseThrow(() -> new IllegalStateException(unavailable().orElse("no wrapper")));
        return script.getParent().getParent().getParent().getParent().resolve("target").resolve(name);
    }

    /** The endpoint, {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A Step Functions client of moto (url-connection HTTP client, dummy credentials). */
    public SfnClient sfnClient() {
        return SfnClient.builder()
                .endpointOverride(endpoint())
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("fleetrun", "fleetrun")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
                .build();
    }

    /**
     * Changes moto's configuration as {@code POST /moto-api/config} does, for example
     * {@code {"stepfunctions":{"execute_state_machine":false}}} so that executions are recorded, not run.
     */
    public void configure(String json) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(endpoint().resolve("/moto-api/config")).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("moto refused the configuration " + json + ": HTTP " + response.statusCode()
                    + " " + response.body());
        }
    }

    /** The server's log file. */
    public Path log() {
        return log;
    }

    /** Stops the server (and any process it started) and waits for it to exit. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() throws InterruptedException, IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ping = HttpRequest.newBuilder(endpoint().resolve("/")).timeout(Duration.ofSeconds(5))
                .GET().build();
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto's server exited (" + process.exitValue() + ") before answering; "
                        + "its log " + log + " ends: " + tail());
            }
            try {
                http.send(ping, HttpResponse.BodyHandlers.discarding());
                return;  // any HTTP answer means the server is serving
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        close();
        throw new IllegalStateException("moto's server did not answer on " + endpoint() + " within " + READY_WITHIN.toSeconds()
                + " s; its log " + log + " ends: " + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static String python() {
        String configured = System.getenv("FLEETRUN_MOTO_PYTHON");
        return configured == null || configured.isBlank() ? "python3" : configured;
    }

    /** The wrapper script, found from the module directory (surefire), the repository root or -Dfleetrun.root. */
    private static Optional<Path> wrapper() {
        String root = System.getProperty("fleetrun.root", "");
        for (Path candidate : List.of(Path.of(WRAPPER.substring("local/".length())), Path.of(WRAPPER), Path.of(root, WRAPPER))) {
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port for moto", e);
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.split("\n");
        return lines[lines.length - 1];
    }
}
