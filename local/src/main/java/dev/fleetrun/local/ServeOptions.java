package dev.fleetrun.local;

/**
 * The command line of {@code fleetrun engine}: {@code [--port N] [--time-scale X] [--any-credentials]}.
 *
 * @param port      the loopback port to listen on; 0 picks a free one (the ready line names it)
 * @param timeScale how many times faster than the wall clock the engine's time runs (Wait states,
 *                  timeouts, heartbeats, retries)
 * @param anyCredentials serve requests whatever their signature (the Host and Origin checks stay)
 * @param help      whether the usage was asked for
 */
public record ServeOptions(int port, double timeScale, boolean anyCredentials, boolean help) {

    /** The port an unconfigured {@code fleetrun engine} listens on. */
    public static final int DEFAULT_PORT = 4599;

    public static final String USAGE = """
            usage: fleetrun engine [--port N] [--time-scale X] [--any-credentials]
              --port N         listen on 127.0.0.1:N (default %d; 0 picks a free port, named in the ready line)
              --time-scale X   run the engine's time X times faster than the wall clock (default 1):
                               Wait states, retries, task timeouts and heartbeats all speed up
              --any-credentials  accept requests whatever their signature (for tools that cannot be
                               configured); by default only requests signed with the credentials in
                               $FLEETRUN_HOME/credentials (~/.fleetrun/credentials) are served
            Prints 'fleetrun: ready on http://127.0.0.1:N' once it accepts calls, and serves until
            interrupted (Ctrl-C, SIGTERM). Point AWS SDKs and the AWS CLI at it with AWS_ENDPOINT_URL.""".formatted(DEFAULT_PORT);

    /** Reads the arguments; a wrong one is an {@link IllegalArgumentException} that says which and why. */
    public static ServeOptions parse(String... args) {
        int port = DEFAULT_PORT;
        double timeScale = 1.0;
        boolean help = false;
        boolean anyCredentials = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            switch (name) {
                case "--port" -> {
                    String value = value(args, i, arg, name);
                    i += arg.contains("=") ? 0 : 1;
                    port = port(value);
                }
                case "--time-scale" -> {
                    String value = value(args, i, arg, name);
                    i += arg.contains("=") ? 0 : 1;
                    timeScale = timeScale(value);
                }
                case "--any-credentials" -> anyCredentials = true;
                case "-h", "--help" -> help = true;
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return new ServeOptions(port, timeScale, anyCredentials, help);
    }

    private static String value(String[] args, int i, String arg, String name) {
        if (arg.contains("=")) {
            return arg.substring(arg.indexOf('=') + 1);
        }
        if (i + 1 >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i + 1];
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--port takes a port number from 0 to 65535, not '" + value + "'");
    }

    private static double timeScale(String value) {
        try {
            double scale = Double.parseDouble(value);
            if (scale > 0 && !Double.isInfinite(scale)) {
                return scale;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--time-scale takes a positive number (60: one minute takes one second), not '"
                + value + "'");
    }
}
