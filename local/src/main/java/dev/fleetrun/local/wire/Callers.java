package dev.fleetrun.local.wire;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Who an {@link AwsServer} answers. The simulated nodes behind it run shell commands as the user who started it,
 * so a request is served only when
 * <ol>
 *   <li>its {@code Host} is the endpoint itself ({@code 127.0.0.1:PORT}, {@code localhost:PORT} or
 *       {@code [::1]:PORT}, or a name under localhost such as {@code BUCKET.localhost:PORT}, which S3 clients use):
 *       a web page that rebinds its own DNS name to 127.0.0.1 sends its own name;</li>
 *   <li>it carries no {@code Origin}, or the endpoint's own: a cross-site form post or fetch from a page in the
 *       user's browser carries the page's;</li>
 *   <li>it is signed (AWS Signature Version 4) with the endpoint's {@link LocalCredentials}, which only the user
 *       can read ({@link SignatureCheck}); unless the endpoint was started to accept {@link #anyCredentials}.</li>
 * </ol>
 * A refused request is answered with HTTP 403 in its protocol's shape before anything runs.
 */
public final class Callers {
    private final LocalCredentials credentials;
    private final SignatureCheck signatures;

    private Callers(LocalCredentials credentials, boolean verify) {
        this.credentials = credentials;
        this.signatures = verify ? new SignatureCheck(credentials, Clock.systemUTC()) : null;
    }

    /** Only requests signed with {@code credentials}. */
    public static Callers signedWith(LocalCredentials credentials) {
        return new Callers(credentials, true);
    }

    /**
     * Any signature, or none, is accepted (for tools that cannot be configured); the {@code Host} and {@code Origin}
     * checks stay. {@link #credentials()} are still made, so that fleetrun's own clients have something to sign with.
     */
    public static Callers anyCredentials() {
        return new Callers(LocalCredentials.generate(), false);
    }

    /** The credentials requests must be signed with (with {@link #anyCredentials}: a pair that works too). */
    public LocalCredentials credentials() {
        return credentials;
    }

    /** False when any signature is accepted. */
    public boolean verifiesSignatures() {
        return signatures != null;
    }

    /** Null when the request may be served; else why not, as the service's protocol words it. */
    AwsError refusal(int port, String method, URI uri, Map<String, List<String>> headers, byte[] body, AuthErrors errors) {
        AwsError early = refusalBeforeBody(port, uri, headers, errors);
        if (early != null) {
            return early;
        }
        return signatures == null ? null : signatures.check(method, uri, headers, body, errors);
    }

    /**
     * What can be refused before the body is read: a foreign Host or Origin, and a signature that is missing, names
     * another key, leaves an x-amz-* header unsigned or is stale. A caller who cannot sign never gets its body read.
     */
    AwsError refusalBeforeBody(int port, URI uri, Map<String, List<String>> headers, AuthErrors errors) {
        String host = SignatureCheck.header(headers, "Host");
        if (host == null || !ownHost(host.trim().toLowerCase(Locale.ROOT), port)) {
            return errors.denied("fleetrun serve answers only requests addressed to itself (Host 127.0.0.1:" + port
                    + ", localhost:" + port + " or [::1]:" + port + "); this one names Host '" + host
                    + "', as a web page that rebound its DNS name to this machine would. Nothing was run.");
        }
        String origin = SignatureCheck.header(headers, "Origin");
        if (origin != null && !ownOrigins(port).contains(origin.trim().toLowerCase(Locale.ROOT))) {
            return errors.denied("fleetrun serve does not answer requests from other origins (this one comes from '"
                    + origin + "', a web page's cross-site request). Nothing was run.");
        }
        return signatures == null ? null : signatures.checkHead(uri, headers, errors);
    }

    /**
     * The endpoint's own names, and any name under {@code localhost} with its port ({@code BUCKET.localhost:PORT},
     * S3's virtual-hosted addressing against this endpoint): RFC 6761 reserves {@code localhost} and its subdomains
     * for the loopback interface, so no DNS-rebinding page can have such a name.
     */
    static boolean ownHost(String host, int port) {
        if (ownHosts(port).contains(host)) {
            return true;
        }
        String suffix = ".localhost" + (port == 80 && !host.endsWith(":80") ? "" : ":" + port);
        return host.endsWith(suffix) && LOCALHOST_LABELS.matcher(host.substring(0, host.length() - suffix.length())).matches();
    }

    private static final java.util.regex.Pattern LOCALHOST_LABELS =
            java.util.regex.Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private static Set<String> ownHosts(int port) {
        return port == 80
                ? Set.of("127.0.0.1:80", "localhost:80", "[::1]:80", "127.0.0.1", "localhost", "[::1]")
                : Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
    }

    private static Set<String> ownOrigins(int port) {
        return port == 80
                ? Set.of("http://127.0.0.1", "http://localhost", "http://[::1]")
                : Set.of("http://127.0.0.1:" + port, "http://localhost:" + port, "http://[::1]:" + port);
    }
}
