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
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The installed AWS CLI ({@code aws}) as a user runs it against a runtime endpoint: a subprocess with
 * {@code --endpoint-url}, the runtime's credentials, and nothing of this machine's AWS setup (no config or credentials
 * file, no {@code AWS_*} variables but those given). {@link #find} skips the calling test with a message where
 * {@code aws} is not installed, except under {@code CI=true}, where its absence fails the test.
 */
public final class AwsCli {
    private final Path executable;
    private final URI endpoint;
    private final LocalCredentials credentials;

    private AwsCli(Path executable, URI endpoint, LocalCredentials credentials) {
        this.executable = executable;
        this.endpoint = endpoint;
        this.credentials = credentials;
    }

    /** The AWS CLI on the PATH, pointed at {@code endpoint} with {@code credentials}; skips (or, on CI, fails) without it. */
    public static AwsCli find(URI endpoint, LocalCredentials credentials, String whatIsChecked) {
        Path aws = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "aws")).filter(Files::isExecutable).findFirst().orElse(null);
        if (aws == null) {
            String why = "the AWS CLI ('aws') is not on the PATH, so " + whatIsChecked + " is not checked against it;"
                    + " install it (pip install awscli, or AWS CLI v2) to run this test";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + ". CI requires it.");
            }
            Assumptions.abort(why);
        }
        return new AwsCli(aws, endpoint, credentials);
    }

    /** What one command returned. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** The JSON it printed; fails the test when the command failed. */
        public JsonNode json() {
            assertEquals(0, exitCode, "the aws command failed: " + stderr);
            try {
                return WireTree.JSON.readTree(stdout.isBlank() ? "{}" : stdout);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + stdout, e);
            }
        }

        /** The text it printed; fails the test when the command failed. */
        public String ok() {
            assertEquals(0, exitCode, "the aws command failed: " + stderr);
            return stdout;
        }
    }

    /** {@code aws ARGS --endpoint-url ENDPOINT --output json}. */
    public Result run(String... args) {
        return run(Map.of(), null, args);
    }

    /**
     * As {@link #run(String...)}, with these variables over the runtime's credentials and {@code stdin} on standard
     * input (null for none).
     */
    public Result run(Map<String, String> environment, byte[] stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(executable.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", endpoint.toString(), "--output", "json"));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_"));
        try {
            Path nowhere = Files.createTempDirectory("aws-cli-home");
            env.putAll(Map.of("AWS_ACCESS_KEY_ID", credentials.accessKeyId(),
                    "AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey(), "AWS_DEFAULT_REGION", "us-east-1",
                    "AWS_CONFIG_FILE", nowhere.resolve("config").toString(),
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
                fail("aws " + String.join(" ", args) + " did not end within 60 s");
            }
            return new Result(process.exitValue(), stdout, Files.readString(stderr));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
