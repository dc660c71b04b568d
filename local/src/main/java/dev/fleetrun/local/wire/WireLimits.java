package dev.fleetrun.local.wire;

import java.time.Duration;

/**
 * How much one {@link AwsServer} takes from a caller before it refuses, so that bad bytes (a body that never
 * ends, ten thousand nested arrays, a flood of connections) cost a bounded amount and are answered with a 4xx in
 * the protocol's own error shape instead of running anything or taking the endpoint down. Each limit sits above
 * what AWS itself accepts for the APIs served, so no request AWS would take is refused here:
 *
 * <ul>
 *   <li>{@code maxBodyBytes} (4 MiB): the body of a request to a service answered in process (SSM, Step Functions,
 *       EventBridge, SNS, CloudWatch). The largest of their requests AWS accepts is a 1 MiB state machine
 *       definition (CreateStateMachine); as a JSON string it may grow by its escapes. SNS's 256 KiB message is
 *       at most 768 KiB form-encoded; PutEvents, SendCommand and PutMetricAlarm are smaller.</li>
 *   <li>{@code maxRelayedBodyBytes} (16 MiB): the body of a request relayed to DynamoDB Local: BatchWriteItem's
 *       request limit (25 items of up to 400 KB each fit well below it).</li>
 *   <li>{@code maxHeaderBytes} (64 KiB) and {@code maxHeaders} (100): the request line and header fields, each
 *       field counted as its name, its value and 32 bytes, as the JDK's server counts them (RFC 9113's
 *       SETTINGS_MAX_HEADER_LIST_SIZE). An SDK's signed request has about ten fields in under 2 KiB.</li>
 *   <li>{@code maxConcurrentRequests} (64) and {@code maxWait} (10 s): requests read and answered at once; one
 *       more waits its turn for up to {@code maxWait} (its body not yet read), then is answered 503
 *       {@code ServiceUnavailable}, which the SDKs retry. Each service answers one call at a time anyway, so
 *       the turns bound the memory held in request bodies, not the throughput.</li>
 * </ul>
 *
 * A JSON or CBOR body may nest arrays and objects {@link #MAX_NESTING_DEPTH} levels deep: DynamoDB's 32 levels of
 * nested attributes take two levels each ({@code {"M": {...}}}) inside the request's own few.
 *
 * <p>The JDK's HTTP server has limits of its own, for the whole process, read once when its first server starts
 * ({@link #configureJdkServer()} sets them unless the JVM was given them with {@code -D}): header fields beyond
 * {@link #JDK_MAX_HEADER_BYTES} or {@link #JDK_MAX_HEADER_NAMES} names, and a request not received in full within
 * {@link #JDK_MAX_REQUEST_SECONDS}, close the connection without an answer (the HTTP layer gives up before any
 * protocol could be told); connections beyond {@link #JDK_MAX_CONNECTIONS} are closed as they are accepted. Idle
 * connections are closed after 30 s, at most 200 are kept (the JDK's defaults).
 */
public record WireLimits(int maxBodyBytes, int maxRelayedBodyBytes, int maxHeaderBytes, int maxHeaders,
                         int maxConcurrentRequests, Duration maxWait) {
    /** The deepest nesting of arrays and objects a JSON or CBOR request body may have. */
    public static final int MAX_NESTING_DEPTH = 100;

    /** The header block beyond which the JDK's server drops the connection unanswered (process-wide). */
    public static final int JDK_MAX_HEADER_BYTES = 256 * 1024;
    /** The distinct header names beyond which the JDK's server drops the connection unanswered (its default). */
    public static final int JDK_MAX_HEADER_NAMES = 200;
    /** The time within which a request's line, headers and body must have arrived (process-wide). */
    public static final int JDK_MAX_REQUEST_SECONDS = 30;
    /** The open connections beyond which the JDK's server closes new ones at once (process-wide). */
    public static final int JDK_MAX_CONNECTIONS = 512;

    /** The limits of {@code fleetrun serve}, described above. */
    public static final WireLimits DEFAULT = new WireLimits(4 * 1024 * 1024, 16 * 1024 * 1024, 64 * 1024, 100, 64,
            Duration.ofSeconds(10));

    public WireLimits {
        if (maxBodyBytes <= 0 || maxRelayedBodyBytes <= 0 || maxHeaderBytes <= 0 || maxHeaders <= 0
                || maxConcurrentRequests <= 0 || maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("every limit must be positive: " + this);
        }
        if (maxHeaderBytes > JDK_MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("maxHeaderBytes " + maxHeaderBytes + " is above the JDK server's "
                    + JDK_MAX_HEADER_BYTES + ", which would drop such requests before they could be answered");
        }
    }

    /** These limits with at most {@code requests} read and answered at once, one more waiting up to {@code wait}. */
    public WireLimits withConcurrency(int requests, Duration wait) {
        return new WireLimits(maxBodyBytes, maxRelayedBodyBytes, maxHeaderBytes, maxHeaders, requests, wait);
    }

    /** These limits with other body sizes. */
    public WireLimits withBodies(int bytes, int relayedBytes) {
        return new WireLimits(bytes, relayedBytes, maxHeaderBytes, maxHeaders, maxConcurrentRequests, maxWait);
    }

    /**
     * Gives the JDK's HTTP server the process-wide limits above, unless the JVM was started with its own. Takes
     * effect only before the first {@code HttpServer} of the process starts: {@link AwsServer} calls it first.
     */
    static void configureJdkServer() {
        setIfAbsent("sun.net.httpserver.maxReqHeaderSize", JDK_MAX_HEADER_BYTES);
        setIfAbsent("sun.net.httpserver.maxReqHeaders", JDK_MAX_HEADER_NAMES);
        setIfAbsent("sun.net.httpserver.maxReqTime", JDK_MAX_REQUEST_SECONDS);
        setIfAbsent("jdk.httpserver.maxConnections", JDK_MAX_CONNECTIONS);
    }

    private static void setIfAbsent(String property, int value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(value));
        }
    }
}
