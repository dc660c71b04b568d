package dev.fleetrun.cli;

/**
 * The environment variables the {@code fleetrun} command line reads, for {@code --help} (here and in the launcher's
 * usage, which a test keeps the same) and the README.
 */
public final class Environment {
    public static final String HELP = """
            Environment: FLEETRUN_HOME (default ~/.fleetrun: serve.json, which names the running serve, and the
            credentials it accepts), FLEETRUN_ENDPOINT (a serve's URL, as --endpoint), AWS_PROFILE (with no --endpoint:
            the deployed stack, as --profile), AWS_REGION / AWS_DEFAULT_REGION and the AWS SDK's own credentials and
            config variables (the deployed stack), TERM (dumb: no live status line), COLUMNS
            (the live status line's width when the terminal's size cannot be read; default 80), JAVA_HOME (the JDK, 21 or newer),
            FLEETRUN_JAVA_OPTS (more JVM options), FLEETRUN_FULL_CLASSPATH=1 (start every command on the whole runtime
            class path, as serve starts). The first line on standard error says where a command went.""";

    private Environment() {
    }
}
