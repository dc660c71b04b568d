package dev.fleetrun.local.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetrun.local.wire.LocalCredentials;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The installed AWS CLI, run as a subprocess against a local endpoint as a user would type it:
 * {@code aws <service> <operation> <args> --endpoint-url <endpoint> --output json}, signed with the
 * endpoint's credentials and with nothing of this machine's AWS setup (no profile, config or pager).
 * {@link #find} skips the calling test where {@code aws} is not installed, except under {@code CI=true},
 * where its absence fails it. Commands run in {@code directory}, so {@code file://} paths are relative to it.
 */
public final class AwsCli {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path aws;
    private final URI endpoint;
    private final LocalCredentials credentials;
    private final Path directory;

    private AwsCli(Path aws, URI endpoint, LocalCredentials credentials, Path directory) {
        this.aws = aws;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.directory = directory;
    }

    /**
     * The AWS CLI on the PATH, pointed at {@code endpoint}; aborts the test (fails it under CI) when there is none.
     *
     * @param what what the test checks against the CLI, for the message
     */
    public static AwsCli find(String what, URI endpoint, LocalCredentials credentials) {
        Path aws = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "aws"))
                .filter(Files::isExecutable)
                .findFirst().orElse(null);
        if (aws == null) {
            String why = "the AWS CLI ('aws') is not on the PATH, so " + what + " is not checked against it;"
                    + " install it (pip install awscli, or AWS CLI v2) to run this test";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + ". CI requires it.");
            }
            Assumptions.abort(why);
        }
        return new AwsCli(aws, endpoint, credentials, Path.of(System.getProperty("fleetrun.root", ".")));
    }

    /** The same CLI, running its commands in {@code directory} (where {@code file://} paths start). */
    public AwsCli in(Path directory) {
        return new AwsCli(aws, endpoint, credentials, directory);
    }

    /** What one command returned. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** The JSON it printed; fails the test when the command failed. */
        public JsonNode json() {
            assertEquals(0, exitCode, "the aws command failed: " + stderr);
            try {
                return JSON.readTree(stdout.isBlank() ? "{}" : stdout);
            } catch (IOException e) {
                throw new UncheckedIOException("the aws command printed no JSON: " + stdout, e);
            }
        }

        /** The AWS error code it printed ("An error occurred (Code) when calling ..."), or null. */
        public String errorCode() {
            int open = stderr.indexOf("An error occurred (");
            return open < 0 ? null : stderr.substring(open + 19, stderr.indexOf(')', open));
        }
    }

    /** {@code aws <service> <operation> <args>}. */
    public Result run(String service, String operation, String... args) throws IOException, InterruptedException {
        return run(Map.of(), service, operation, args);
    }

    /** As {@link #run(String, String, String...)}, with these variables over the endpoint's own credentials. */
    public Result run(Map<String, String> environment, String service, String operation, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(aws.toString(), service, operation));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", endpoint.toString(), "--output", "json"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_"));
        Path nowhere = Files.createTempDirectory("aws-cli-home");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
        settings.put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
        settings.put("AWS_DEFAULT_REGION", "us-east-1");
        settings.put("AWS_CONFIG_FILE", nowhere.resolve("config").toString());
        settings.put("AWS_SHARED_CREDENTIALS_FILE", nowhere.resolve("credentials").toString());
        settings.put("AWS_PAGER", "");
        env.putAll(settings);
        env.putAll(environment);
        Path stderr = nowhere.resolve("stderr");
        builder.redirectError(stderr.toFile());
        Process process = builder.start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("aws " + service + " " + operation + " did not end within 60 s");
        }
        return new Result(process.exitValue(), stdout, Files.readString(stderr));
    }
}
