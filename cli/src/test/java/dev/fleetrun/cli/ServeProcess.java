package dev.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.fleetrun.local.wire.LocalCredentials;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.fleetrun.local.testing.ProcessLines;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./fleetrun serve} started as a user starts it, in a process of its own with its own {@code FLEETRUN_HOME},
 * and the commands a user runs beside it in another terminal: {@code ./fleetrun ...} and shell lines such as
 * {@code eval "$(./fleetrun env)"; aws ...}, each with none of this machine's AWS settings.
 */
final class ServeProcess implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("fleetrun.root", "..")).toAbsolutePath().normalize();
    private static final Pattern READY = Pattern.compile("fleetrun: ready on (http://127\\.0\\.0\\.1:(\\d+))");

    final Process process;
    final Path home;
    final Path stderr;
    final URI endpoint;
    final LinkedBlockingQueue<String> stdout;

    private ServeProcess(Process process, Path home, Path stderr, URI endpoint, LinkedBlockingQueue<String> stdout) {
        this.process = process;
        this.home = home;
        this.stderr = stderr;
        this.endpoint = endpoint;
        this.stdout = stdout;
    }

    /** {@code ./fleetrun serve ARGS} (add {@code --port 0}), once it has printed its ready line. */
    static ServeProcess start(String... args) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("serve-test-home"); // not fleetrun-*: those are the product's, which it removes
        Path stderr = home.resolve("serve.err");
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("fleetrun").toString(), "serve"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectError(stderr.toFile());
        environment(builder.environment(), home);
        Process process = builder.start();
        process.getOutputStream().close();
        LinkedBlockingQueue<String> stdout = ProcessLines.of(process);
        // Bounded so that a broken launcher cannot hang the build; a first run may build the modules.
        String ready = stdout.poll(240, TimeUnit.SECONDS);
        if (ready == null) {
            process.destroyForcibly();
            fail("no ready line from fleetrun serve; stderr: " + Files.readString(stderr));
        }
        Matcher m = READY.matcher(ready);
        assertTrue(m.matches(), "the ready line: " + ready);
        return new ServeProcess(process, home, stderr, URI.create(m.group(1)), stdout);
    }

    int port() {
        return endpoint.getPort();
    }

    /** The credentials serve keeps under its FLEETRUN_HOME. */
    LocalCredentials credentials() {
        return LocalCredentials.read(home.resolve(LocalCredentials.FILE_NAME))
                .orElseThrow(() -> new AssertionError("serve made no credentials under FLEETRUN_HOME " + home));
    }

    String stderrText() throws IOException {
        return Files.readString(stderr);
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    /** {@code ./fleetrun ARGS} in another terminal of the same user (same FLEETRUN_HOME). */
    Result fleetrun(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("fleetrun").toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    /** A line of bash in the repository's root, as the user types it (same FLEETRUN_HOME, no AWS settings). */
    Result shell(String line) throws IOException, InterruptedException {
        return run(List.of("bash", "-c", line));
    }

    /** A bash script in the repository's root, given up to {@code seconds} (a walkthrough of many commands). */
    Result script(String script, int seconds) throws IOException, InterruptedException {
        return run(List.of("bash", "-c", script), seconds);
    }

    private Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, 120);
    }

    private Result run(List<String> command, int seconds) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
        environment(builder.environment(), home);
        Path err = Files.createTempFile(home, "command", ".err");
        builder.redirectError(err.toFile());
        Process p = builder.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(command + " did not end within " + seconds + " s");
        }
        return new Result(p.exitValue(), out, Files.readString(err));
    }

    /** FLEETRUN_HOME, the JDK, and none of the AWS settings of this machine or its user. */
    static void environment(Map<String, String> env, Path home) {
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("FLEETRUN_"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("FLEETRUN_HOME", home.toString());
        env.put("AWS_CONFIG_FILE", home.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("no-aws-credentials").toString());
        env.put("AWS_PAGER", "");
    }

    /** SIGTERM, as Ctrl-C or a service manager stops it; returns the exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "fleetrun serve did not stop on SIGTERM");
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** The first bash block after README.md's heading {@code heading} (e.g. {@code ### Resource groups}), as it stands. */
    static String readmeBashBlock(String heading) throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int section = readme.indexOf(heading);
        assertTrue(section >= 0, "README.md has the heading " + heading);
        Matcher block = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(section), "the section " + heading + " has a bash block");
        return block.group(1);
    }

    static void assertContains(String text, String part) {
        assertNotNull(text);
        assertTrue(text.contains(part), "expected '" + part + "' in:\n" + text);
    }
}
