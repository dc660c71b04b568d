package dev.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that drive the installed AWS CLI: where {@code aws} is not on the PATH they are skipped with a message,
 * except under {@code CI=true}, where its absence fails them.
 */
final class AwsCliRequired {
    private AwsCliRequired() {
    }

    /** The {@code aws} executable; skips (or under CI fails) the calling test without it. */
    static Path check(String what) {
        Path aws = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "aws")).filter(Files::isExecutable).findFirst().orElse(null);
        if (aws == null) {
            String why = "the AWS CLI ('aws') is not on the PATH, so " + what + " is not checked against it;"
                    + " install it (pip install awscli, or AWS CLI v2) to run this test";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + ". CI requires it.");
            }
            Assumptions.abort(why);
        }
        return aws;
    }
}
