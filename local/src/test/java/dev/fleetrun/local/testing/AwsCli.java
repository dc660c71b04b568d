package dev.fleetrun.local.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.wire.LocalCredentials;
import dev.fleetrun.local.wire.WireTree;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The installed AWS CLI ({@code aws} on the PATH) run as a user would run it against a runtime: as a subprocess,
 * with {@code --endpoint-url} and the runtime's credentials in {@code AWS_ACCESS_KEY_ID} and
 * {@code AWS_SECRET_ACCESS_KEY}, and nothing of this machine's AWS setup (no config or credentials file, no other
 * {@code AWS_*} variable but those given). Shared by every test that drives a service through the CLI, so that they
 * all run it the same way. Where {@code aws} is not installed the test is skipped with a message saying so, except
 * under {@code CI=true}, where its absence fails the test. Commands run in the JVM's working directory, or in the
 * one {@link #in} names, where {@code file://} paths then start.
 */
public final class AwsCli {
    private final Path aws;
    private final Supplier<URI> endpoint;
    private final Supplier<LocalCredentials> credentials;
    private final Path directory;

    private AwsCli(Path aws, Supplier<URI> endpoint, Supplier<LocalCredentials> credentials, Path directory) {
        this.aws = aws;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.directory = directory;
    }

    /**
     * The installed CLI, pointed at the endpoint and credentials the suppliers give when a command runs (so a test
     * class can find the CLI before its runtime starts). Aborts the test when there is no {@code aws} (fails under
     * {@code CI=true}); {@code checks} says what is then left unchecked.
     */
    public static AwsCli require(String checks, Supplier<URI> endpoint, Supplier<LocalCredentials> credentials) {
        Path aws = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "aws"))
                .filter(Files::isExecutable)
                .findFirst().orElse(null);
        if (aws == null) {
            String why = "the AWS CLI ('aws') is not on the PATH, so " + checks + " is not checked against it;"
                    + " install it (pip install awscli, or AWS CLI v2) to run this test";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + ". CI requires it.");
            }
            Assumptions.abort(why);
        }
        return new AwsCli(aws, endpoint, credentials, null);
    }

    /** As {@link #require}, for an endpoint and credentials known already. */
    public static AwsCli find(URI endpoint, LocalCredentials credentials, String checks) {
        return require(checks, () -> endpoint, () -> credentials);
    }

    /** The same CLI, running its commands in {@code directory} (where {@code file://} paths start). */
    public AwsCli in(Path directory) {
        return new AwsCli(aws, endpoint, credentials, directory);
    }

    /** What one {@code aws} command did. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** Standard output as JSON ({@code {}} when empty), after asserting that the command succeeded. */
        public JsonNode json() {
            assertEquals(0, exitCode, "the aws command failed: " + stderr);
            try {
                return WireTree.JSON.readTree(stdout.isBlank() ? "{}" : stdout);
            } catch (IOException e) {
                throw new UncheckedIOException("the aws command printed no JSON: " + stdout, e);
            }
        }

        /** The text it printed, after asserting that the command succeeded. */
        public String ok() {
            assertEquals(0, exitCode, "the aws command failed: " + stderr);
            return stdout;
        }

        /** The AWS error code it printed ("An error occurred (Code) when calling ..."), or null. */
        public String errorCode() {
            int open = stderr.indexOf("An error occurred (");
            return open < 0 ? null : stderr.substring(open + "An error occurred (".length(), stderr.indexOf(')', open));
        }
    }

    /** {@code aws <service> <operation> <args> --endpoint-url <runtime> --output json}. */
    public Result run(String service, String operation, String... args) {
        return run(Map.of(), service, operation, args);
    }

    /** As {@link #run(String, String, String...)}, with these environment variables over the runtime's credentials. */
    public Result run(Map<String, String> environment, String service, String operation, String... args) {
        List<String> words = new ArrayList<>(List.of(service, operation));
        words.addAll(List.of(args));
        return runWithInput(environment, null, words.toArray(String[]::new));
    }

    /**
     * {@code aws <words> --endpoint-url <runtime> --output json}, with these variables over the runtime's credentials
     * and {@code stdin} on standard input (null for none).
     */
    public Result runWithInput(Map<String, String> environment, byte[] stdin, String... words) {
        List<String> command = new ArrayList<>(List.of(aws.toString()));
        command.addAll(List.of(words));
        command.addAll(List.of("--endpoint-url", endpoint.get().toString(), "--output", "json"));
        String what = "aws " + String.join(" ", words);
        ProcessBuilder builder = new ProcessBuilder(command);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_"));
        try {
            Path nowhere = Files.createTempDirectory("aws-cli-home");
            LocalCredentials keys = credentials.get();
            env.putAll(Map.of("AWS_ACCESS_KEY_ID", keys.accessKeyId(), "AWS_SECRET_ACCESS_KEY", keys.secretAccessKey(),
                    "AWS_DEFAULT_REGION", "us-east-1", "AWS_CONFIG_FILE", nowhere.resolve("config").toString(),
                    "AWS_SHARED_CREDENTIALS_FILE", nowhere.resolve("credentials").toString(), "AWS_PAGER", ""));
            env.putAll(environment);
            Path stderr = nowhere.resolve("stderr");
            builder.redirectError(stderr.toFile());
            Process process = builder.start();
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(what + " did not end within 60 s");
            }
            return new Result(process.exitValue(), stdout, Files.readString(stderr));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what + " ran", e);
        }
    }

    /** A config file that makes the CLI address S3 virtual-hosted ({@code BUCKET.localhost:PORT}). */
    public static Map<String, String> virtualHostedS3(Path dir) {
        try {
            Path config = dir.resolve("virtual-hosted-config");
            Files.writeString(config, "[default]\ns3 =\n    addressing_style = virtual\n");
            return Map.of("AWS_CONFIG_FILE", config.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
