package dev.fleetrun.testing;

import dev.fleetrun.local.testing.MutableClock;
import dev.fleetrun.local.testing.RawHttp;
import dev.fleetrun.local.wire.AwsServer;
import dev.fleetrun.local.wire.RecordedRequest;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One HTTP server on 127.0.0.1 (a free port) that speaks the AWS wire protocols of the services
 * fleetrun's Lambda handlers call, so that real AWS SDK clients pointed at {@link #endpoint()} work
 * against it unchanged. Component tests use it until the embedded runtime exists.
 *
 * <ul>
 *   <li>{@link #ssm()}: Run Command and the fleet (AWS JSON 1.1)</li>
 *   <li>{@link #sfn()}: task token callbacks (AWS JSON 1.0)</li>
 *   <li>{@link #events()}: PutEvents (AWS JSON 1.1)</li>
 *   <li>{@link #sns()}: Publish (AWS Query)</li>
 *   <li>{@link #cloudWatch()}: DescribeAlarms (Smithy RPC v2 CBOR)</li>
 *   <li>{@link #resourceGroups()}: tag-based groups over the fleet's nodes (REST-JSON, the embedded runtime's own
 *       Resource Groups)</li>
 * </ul>
 *
 * Requests are routed by {@code X-Amz-Target} prefix, by the {@code /service/<shape>/operation/<op>}
 * path of RPC v2, or by the {@code Action} form field of Query. Every request is recorded
 * ({@link #requests()}) with its answer. An operation the fake does not implement is answered with
 * HTTP 400 {@code UnknownOperationException} naming it. Signatures are not checked.
 *
 * <pre>{@code
 * try (FakeAws fake = FakeAws.start(); FakeAwsClients aws = fake.clients()) {
 *     fake.ssm().addNode("i-0123456789abcdef0", "Linux", "Online", Map.of("Role", "web"));
 *     fake.ssm().onSend(cmd -> cmd.completeAll(InvocationOutcome.success("ok")));
 *     // give aws.ssm(), aws.sfn() ... to the handler's test constructor, run it, then assert on
 *     // fake.requests("SendCommand"), fake.sfn().successes(), fake.events().entries() ...
 * }
 * }</pre>
 *
 * Thread-safe: requests are served on virtual threads, each service handles one call at a time.
 * A bug inside the fake or in a test's {@code onSend} policy is answered with HTTP 500 and
 * rethrown by {@link #close()}, so it cannot pass unnoticed.
 */
public final class FakeAws implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "123456789012";
    private final FakeSsm ssm;
    private final FakeStepFunctions sfn;
    private final FakeEventBridge events;
    private final FakeSns sns;
    private final FakeCloudWatch cloudWatch;
    private final FakeResourceGroups resourceGroups;
    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final AwsServer server;

    private FakeAws(Clock clock) {
        ssm = new FakeSsm(clock);
        sfn = new FakeStepFunctions(clock);
        events = new FakeEventBridge(clock);
        sns = new FakeSns(clock);
        cloudWatch = new FakeCloudWatch(clock);
        resourceGroups = new FakeResourceGroups(clock, ssm);
        server = AwsServer.start(0)
                .jsonService("AmazonSSM", ssm)
                .jsonService("AWSStepFunctions", sfn)
                .jsonService("AWSEvents", events)
                .rpcV2Service(FakeCloudWatch.SERVICE_SHAPE, cloudWatch)
                .queryService(sns)
                .onRequest(requests::add);
        resourceGroups.service().serveOn(server);
    }

    /** Starts a fake on a free loopback port, with the system clock. */
    public static FakeAws start() {
        return start(Clock.systemUTC());
    }

    /** Starts a fake whose timestamps come from {@code clock} (see {@link MutableClock}). */
    public static FakeAws start(Clock clock) {
        return new FakeAws(clock);
    }

    /** The URL to give SDK clients as endpointOverride, or to set as AWS_ENDPOINT_URL. */
    public URI endpoint() {
        return server.endpoint();
    }

    /** Raw HTTP to this fake, signed with its credentials, for requests no SDK client sends. */
    public RawHttp rawHttp() {
        return RawHttp.to(server);
    }

    public FakeSsm ssm() {
        return ssm;
    }

    public FakeStepFunctions sfn() {
        return sfn;
    }

    public FakeEventBridge events() {
        return events;
    }

    public FakeSns sns() {
        return sns;
    }

    public FakeCloudWatch cloudWatch() {
        return cloudWatch;
    }

    public FakeResourceGroups resourceGroups() {
        return resourceGroups;
    }

    /** SDK clients for every service, pointed at this fake, with the SDK's default retries (as in Lambda). */
    public FakeAwsClients clients() {
        return FakeAwsClients.create(endpoint(), server.credentials(), 0);
    }

    /** SDK clients that make at most {@code maxAttempts} attempts per call (1: every error surfaces). */
    public FakeAwsClients clients(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        return FakeAwsClients.create(endpoint(), server.credentials(), maxAttempts);
    }

    /** Every request received so far, in arrival order. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The requests for one operation (e.g. "SendCommand"), in arrival order, failed attempts included. */
    public List<RecordedRequest> requests(String operation) {
        return requests().stream().filter(request -> request.operation().equals(operation)).toList();
    }

    /** Stops the server; throws if the fake itself (or an onSend policy) failed while serving. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "FakeAws[" + endpoint() + ", " + requests.size() + " requests]";
    }
}
