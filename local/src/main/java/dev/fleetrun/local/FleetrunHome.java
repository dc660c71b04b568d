package dev.fleetrun.local;

import dev.fleetrun.local.wire.Callers;
import dev.fleetrun.local.wire.LocalCredentials;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The user's fleetrun directory: {@code $FLEETRUN_HOME}, or {@code ~/.fleetrun}. It keeps what a running
 * {@code fleetrun serve} (or {@code fleetrun engine}) tells the user's other commands: where it listens
 * ({@code serve.json}) and the credentials its callers sign with ({@code credentials}, mode 0600).
 */
public final class FleetrunHome {
    private FleetrunHome() {
    }

    /** {@code $FLEETRUN_HOME}, or {@code ~/.fleetrun}. */
    public static Path directory() {
        String override = System.getenv("FLEETRUN_HOME");
        return override != null && !override.isBlank() ? Path.of(override)
                : Path.of(System.getProperty("user.home"), ".fleetrun");
    }

    /** The file the local endpoint's credentials are kept in. */
    public static Path credentialsFile() {
        return directory().resolve(LocalCredentials.FILE_NAME);
    }

    /**
     * Who a long-running local endpoint answers: requests signed with the credentials of {@link #credentialsFile()}
     * (made there on first use), or, with {@code anyCredentials}, any caller on this machine.
     */
    public static Callers callers(boolean anyCredentials, Consumer<String> warnings) {
        return anyCredentials ? Callers.anyCredentials()
                : Callers.signedWith(LocalCredentials.loadOrCreate(credentialsFile(), warnings));
    }

    /** The one start-up line that says who the endpoint answers. */
    public static String callersLine(Callers callers) {
        return callers.verifiesSignatures()
                ? "fleetrun: callers must sign with the credentials in " + credentialsFile()
                        + " (eval \"$(./fleetrun env)\" sets them for the AWS CLI and SDKs)"
                : "fleetrun: WARNING: --any-credentials: requests are served whatever their signature, so any process"
                        + " of any user on this machine can make the simulated nodes run commands as you";
    }
}
