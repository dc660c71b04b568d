package dev.fleetrun.cli.fuzz;

import static dev.fleetrun.cli.fuzz.BadBytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.cli.embedded.EmbeddedRuntime;
import dev.fleetrun.local.events.Rule;
import dev.fleetrun.local.ssm.Fleet;
import dev.fleetrun.local.testing.RawHttp;
import dev.fleetrun.local.testing.RawHttp.Answer;
import dev.fleetrun.local.testing.RawHttp.Request;
import dev.fleetrun.local.wire.RecordedRequest;
import dev.fleetrun.local.wire.WireLimits;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The whole embedded runtime of {@code fleetrun serve} (two simulated nodes) takes bad bytes on every protocol it
 * speaks (AWS JSON 1.0 and 1.1 for SSM, Step Functions, EventBridge and the DynamoDB relay; AWS Query for SNS; RPC v2
 * CBOR for CloudWatch; there is no REST-XML service) and on its HTTP framing: malformed, truncated, not-UTF-8,
 * oversized and deeply nested bodies, members of the wrong type, wrong content types and targets, too many or too
 * large header fields, broken lengths and chunks, a flood of parallel connections. Each case is signed over its
 * exact bytes (where the body is the point, so the signature check lets it through to the handlers) and must get a
 * 4xx in its protocol's error shape; after every test nothing has run (no command, execution, message, event, alarm,
 * rule, topic, table or item) and the endpoint still answers a good signed SDK call. The cases come from fixed seeds
 * and a fixed count, so a failure repeats.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WireFuzzComponentTest {
    private static final long SEED = 0x5EED_F022L;
    /** Generated malformed bodies per service; the wrong-type mutations and the hand-made cases come on top. */
    private static final int GENERATED_PER_SERVICE = 150;

    /** A service of the endpoint, with the requests of {@code fuzz/requests.json}. */
    private record Service(String key, String signingName, Wire wire, String prefix) {
    }

    private static final List<Service> SERVICES = List.of(
            new Service("ssm", "ssm", Wire.JSON_1_1, "AmazonSSM"),
            new Service("sfn", "states", Wire.JSON_1_0, "AWSStepFunctions"),
            new Service("events", "events", Wire.JSON_1_1, "AWSEvents"),
            new Service("dynamodb", "dynamodb", Wire.JSON_1_0, "DynamoDB_20120810"),
            new Service("sns", "sns", Wire.QUERY, null),
            new Service("cloudwatch", "monitoring", Wire.CBOR, "GraniteServiceVersion20100801"));

    /** What a case must get. */
    private enum Expect {
        /** A 4xx in the protocol's error shape. */
        REFUSED,
        /** No 5xx; an error, if any, in the protocol's shape (for mutations that may still be well-formed). */
        SURVIVES,
        /** The JDK's HTTP server's own 400 (or 501 for a transfer coding it does not implement, as RFC 9112 says). */
        HTTP_LAYER,
        /** No answer: the HTTP layer drops a connection whose header block it will not read. */
        UNANSWERED
    }

    /**
     * One request and what it must get.
     *
     * @param codes the error codes it may be refused with (empty: any), or with a leading '!' the one it must not be
     */
    private record Case(String what, Wire wire, byte[] bytes, boolean halfClose, Expect expect, List<String> codes) {
        Case(String what, Wire wire, byte[] bytes, boolean halfClose, Expect expect) {
            this(what, wire, bytes, halfClose, expect, List.of());
        }

        static Case of(String what, Wire wire, Request request, Expect expect) {
            return new Case(what, wire, request.bytes(), false, expect);
        }

        Case withCodes(String... allowed) {
            return new Case(what, wire, bytes, halfClose, expect, List.of(allowed));
        }
    }

    private EmbeddedRuntime runtime;
    private RawHttp http;
    private JsonNode requests;
    private SfnClient sfn;
    private SsmClient ssm;
    private DynamoDbClient dynamo;
    private List<String> rulesAtStart;
    private final List<RecordedRequest> served = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    void start() throws IOException {
        runtime = EmbeddedRuntime.start(EmbeddedRuntime.Options.of(Fleet.generate(2, Map.of("Role", "fuzz"))));
        runtime.server().onRequest(served::add);
        http = new RawHttp(runtime.server().port(), runtime.credentials());
        sfn = SfnClient.builder().endpointOverride(runtime.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(runtime.credentialsProvider()).httpClient(UrlConnectionHttpClient.create()).build();
        ssm = SsmClient.builder().endpointOverride(runtime.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(runtime.credentialsProvider()).httpClient(UrlConnectionHttpClient.create()).build();
        dynamo = DynamoDbClient.builder().endpointOverride(runtime.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(runtime.credentialsProvider()).httpClient(UrlConnectionHttpClient.create()).build();
        rulesAtStart = ruleNames();
        try (InputStream in = getClass().getResourceAsStream("/fuzz/requests.json")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${instanceId}", Fleet.instanceId(1))
                    .replace("${stateMachineArn}", runtime.stateMachineArn())
                    .replace("${roleArn}", "arn:aws:iam::123456789012:role/fleetrun-local")
                    .replace("${alertTopicArnEncoded}", URLEncoder.encode(runtime.alertTopicArn(), StandardCharsets.UTF_8));
            requests = BadBytes.JSON.readTree(text);
        }
    }

    @AfterAll
    void stop() {
        if (runtime != null) {
            sfn.close();
            ssm.close();
            dynamo.close();
            runtime.close();
        }
    }

    @AfterEach
    void theEndpointStillAnswersAndNothingRan() {
        assertEquals(List.of(EmbeddedRuntime.STATE_MACHINE_NAME),
                sfn.listStateMachines().stateMachines().stream().map(StateMachineListItem::name).toList(),
                "a good signed call is still answered, and no state machine was made or deleted");
        assertEquals(2, ssm.describeInstanceInformation(b -> b.maxResults(5)).instanceInformationList().size());
        assertEquals(List.of(), ssm.listCommands().commands(), "no command was sent");
        assertEquals(List.of(), sfn.listExecutions(b -> b.stateMachineArn(runtime.stateMachineArn())).executions(),
                "no execution was started");
        assertEquals(List.of(), runtime.sns().messages(), "no message was published");
        assertEquals(List.of(runtime.alertTopicArn()), runtime.sns().topicArns(), "no topic was made or deleted");
        assertEquals(List.of(), runtime.bus().events(), "no event was put on the bus");
        assertEquals(rulesAtStart, ruleNames(), "no rule was made or deleted");
        assertEquals(List.of(), runtime.cloudWatch().alarms(), "no alarm was made");
        assertEquals(List.of(EmbeddedRuntime.TABLE), dynamo.listTables().tableNames(), "no table was made or deleted");
        assertEquals(0, dynamo.scan(b -> b.tableName(EmbeddedRuntime.TABLE)).count(), "no item was written");
        assertEquals(List.of(), runtime.lambdas().invocations(), "no function was invoked");
        List<RecordedRequest> failed;
        synchronized (served) {
            failed = served.stream().filter(r -> r.status() >= 500).toList();
        }
        assertEquals(List.of(), failed.stream().map(r -> r.service() + " " + r.operation() + ": " + r.status() + " "
                + r.errorCode()).toList(), "no request made the endpoint fail");
    }

    // ---- the tests

    @Test
    void everyRequestOfTheFixturesIsRefusedAsItIs() {
        List<Case> cases = new ArrayList<>();
        for (Service service : SERVICES) {
            refused(service).forEach((operation, body) -> cases.add(Case.of(service.key() + " " + operation + " as it is",
                    service.wire(), request(service, operation, body), Expect.REFUSED)));
        }
        run(cases);
    }

    @Test
    void malformedTruncatedAndWronglyEncodedBodiesAreRefusedByEveryProtocol() {
        List<Case> cases = new ArrayList<>();
        for (Service service : SERVICES) {
            Random random = new Random(SEED ^ service.key().hashCode());
            Map<String, byte[]> refused = refused(service);
            List<String> operations = List.copyOf(refused.keySet());
            for (int i = 0; i < GENERATED_PER_SERVICE; i++) {
                String operation = operations.get(random.nextInt(operations.size()));
                byte[] valid = refused.get(operation);
                byte[] body = switch (service.wire()) {
                    case JSON_1_0, JSON_1_1 -> random.nextInt(10) == 0 ? BadBytes.noise(random) : BadBytes.badJson(random, valid);
                    case CBOR -> random.nextInt(10) == 0 ? BadBytes.noise(random) : BadBytes.badCbor(random, valid);
                    case QUERY -> random.nextInt(10) == 0 ? BadBytes.truncated(random, valid)
                            : BadBytes.badForm(random, new String(valid, StandardCharsets.UTF_8));
                    case REST_XML -> BadBytes.noise(random);
                };
                cases.add(Case.of(service.key() + " " + operation + " #" + i, service.wire(),
                        request(service, operation, body), Expect.REFUSED));
            }
            for (int i = 0; i < GENERATED_PER_SERVICE / 5; i++) {
                String operation = operations.get(random.nextInt(operations.size()));
                cases.add(Case.of(service.key() + " " + operation + " one byte changed #" + i, service.wire(),
                        request(service, operation, BadBytes.flipped(random, refused.get(operation))), Expect.SURVIVES));
            }
        }
        run(cases);
    }

    @Test
    void deeplyNestedBodiesAreRefusedForTheirDepth() {
        List<Case> cases = new ArrayList<>();
        for (Service service : SERVICES) {
            String operation = refused(service).keySet().iterator().next();
            for (int depth : List.of(WireLimits.MAX_NESTING_DEPTH + 1, BadBytes.VERY_DEEP)) {
                for (boolean variant : List.of(false, true)) {
                    byte[] body = switch (service.wire()) {
                        case CBOR -> BadBytes.deepCbor(depth, variant);
                        case QUERY -> utf8("Name=" + "%5B".repeat(depth) + "&Action=CreateTopic");
                        default -> BadBytes.deepJson(depth, variant);
                    };
                    Case c = Case.of(service.key() + " nested " + depth + (variant ? " (objects / indefinite)" : ""),
                            service.wire(), request(service, operation, body), Expect.REFUSED);
                    cases.add(service.wire() == Wire.QUERY ? c : c.withCodes("SerializationException"));
                }
            }
            if (service.wire() != Wire.QUERY) {
                byte[] deepest = service.wire() == Wire.CBOR ? BadBytes.deepCbor(WireLimits.MAX_NESTING_DEPTH - 1, false)
                        : BadBytes.deepJson(WireLimits.MAX_NESTING_DEPTH - 2, false);
                // Refused too (the request lacks its members), but not for its depth: it was read.
                cases.add(Case.of(service.key() + " nested just within the limit", service.wire(),
                        request(service, operation, deepest), Expect.REFUSED).withCodes("!SerializationException"));
            }
        }
        run(cases);
    }

    @Test
    void membersOfTheWrongTypeAreRefusedAndNeverRun() {
        List<Case> cases = new ArrayList<>();
        for (Service service : SERVICES) {
            if (service.wire() == Wire.QUERY) {
                continue; // every Query value is text: its bad forms are in the test of malformed bodies
            }
            for (String kind : List.of("refused", "live")) {
                requests.path(service.key()).path(kind).properties().forEach(entry -> {
                    List<JsonNode> mutations = BadBytes.wrongTypes(entry.getValue());
                    for (int i = 0; i < mutations.size(); i++) {
                        byte[] body = service.wire() == Wire.CBOR ? BadBytes.cbor(mutations.get(i)) : BadBytes.json(mutations.get(i));
                        Case c = Case.of(service.key() + " " + kind + " " + entry.getKey() + " " + mutations.get(i),
                                service.wire(), request(service, entry.getKey(), body), Expect.REFUSED);
                        // A valid request with one member of the wrong type is refused for that member, nothing else.
                        cases.add(kind.equals("live") ? c.withCodes("SerializationException", "ValidationException") : c);
                    }
                });
            }
        }
        run(cases);
    }

    @Test
    void badFormsOfValidQueryRequestsAreRefusedAndNeverRun() {
        Service sns = service("sns");
        Random random = new Random(SEED ^ 0x51);
        List<Case> cases = new ArrayList<>();
        requests.path("sns").path("live").properties().forEach(entry -> {
            for (int i = 0; i < 40; i++) {
                cases.add(Case.of("sns live " + entry.getKey() + " #" + i, Wire.QUERY, request(sns, entry.getKey(),
                        BadBytes.badForm(random, entry.getValue().asText())), Expect.REFUSED));
            }
        });
        run(cases);
    }

    @Test
    void jsonTextMembersThatAreNotJsonOrNestTooDeepAreRefused() {
        String deep = "[".repeat(BadBytes.VERY_DEEP) + "]".repeat(BadBytes.VERY_DEEP);
        String deepObject = "{\"a\":".repeat(BadBytes.VERY_DEEP) + "1" + "}".repeat(BadBytes.VERY_DEEP);
        String machine = runtime.stateMachineArn();
        List<Case> cases = new ArrayList<>();
        for (String notJson : List.of(deep, deepObject, "{", "{\"a\":1}x", "\u0000")) {
            String label = notJson.length() > 20 ? "nested " + BadBytes.VERY_DEEP : "'" + notJson + "'";
            cases.add(json("sfn", "StartExecution " + label, "StartExecution", o -> o.put("stateMachineArn", machine)
                    .put("name", "fuzz").put("input", notJson), Expect.REFUSED));
            cases.add(json("sfn", "CreateStateMachine " + label, "CreateStateMachine", o -> o.put("name", "fuzz-machine")
                    .put("definition", notJson).put("roleArn", "arn:aws:iam::123456789012:role/fleetrun-local"), Expect.REFUSED));
            cases.add(json("events", "PutRule " + label, "PutRule", o -> o.put("Name", "fuzz-rule").put("EventPattern", notJson),
                    Expect.REFUSED));
            cases.add(json("events", "TestEventPattern " + label, "TestEventPattern", o -> o.put("EventPattern", notJson)
                    .put("Event", "{\"id\":\"1\",\"account\":\"1\",\"source\":\"s\",\"time\":\"2024-01-01T00:00:00Z\","
                            + "\"region\":\"us-east-1\",\"detail-type\":\"d\"}"), Expect.REFUSED));
            // PutEvents answers a bad entry in its answer (FailedEntryCount), as EventBridge does: no 5xx, no event.
            cases.add(json("events", "PutEvents " + label, "PutEvents", o -> o.putArray("Entries").addObject()
                    .put("Source", "fuzz").put("DetailType", "Fuzz").put("Detail", notJson), Expect.SURVIVES));
            cases.add(cbor("SetAlarmState " + label, "SetAlarmState", o -> o.put("AlarmName", "nope-alarm")
                    .put("StateValue", "ALARM").put("StateReason", "fuzz").put("StateReasonData", notJson)));
            cases.add(form("Publish MessageStructure=json " + label, "TopicArn=" + encode(runtime.alertTopicArn())
                    + "&MessageStructure=json&Message=" + encode(notJson) + "&Version=2010-03-31&Action=Publish"));
        }
        for (String number : List.of("1e999999", "-1e999999", "99999999999999999999", "4294967297", "1.5", "-0")) {
            cases.add(new Case("ListStateMachines maxResults " + number, Wire.JSON_1_0, request(service("sfn"),
                    "ListStateMachines", utf8("{\"maxResults\":" + number + ",\"nextToken\":\"bad\"}")).bytes(), false,
                    Expect.REFUSED));
            cases.add(new Case("PutEvents Time " + number, Wire.JSON_1_1, request(service("events"), "PutEvents",
                    utf8("{\"Entries\":[{\"Source\":\"fuzz\",\"DetailType\":\"Fuzz\",\"Detail\":\"{}\",\"Time\":" + number
                            + ",\"EventBusName\":\"nope-bus\"}]}")).bytes(), false, Expect.SURVIVES));
        }
        run(cases);
    }

    @Test
    void bodiesOverTheLimitAreRefusedBeforeTheyAreRead() throws Exception {
        WireLimits limits = runtime.server().limits();
        List<String> failures = new ArrayList<>();
        for (Service service : SERVICES) {
            int limit = service.key().equals("dynamodb") ? limits.maxRelayedBodyBytes() : limits.maxBodyBytes();
            String operation = refused(service).keySet().iterator().next();
            // Only the head goes out: the answer must come without the body ever being sent.
            Request declared = request(service, operation, new byte[limit + 1]);
            long started = System.nanoTime();
            Answer early = send(declared.head().getBytes(StandardCharsets.ISO_8859_1), false);
            failures.add(tooLarge(service.key() + " Content-Length " + (limit + 1) + ", body unsent", service.wire(), early));
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 5, "answered before any body arrived");
            Request chunked = refusedOfLength(service, limit + 1024).chunked(64 * 1024);
            failures.add(tooLarge(service.key() + " chunked, " + (limit + 1024) + " bytes", service.wire(),
                    send(chunked.bytes(), false)));
            int within = Math.min(limit, 3 * 1024 * 1024) - 1024;
            failures.addAll(failures(List.of(Case.of(service.key() + " about " + within + " bytes, within the limit",
                    service.wire(), refusedOfLength(service, within), Expect.REFUSED))));
        }
        assertEquals(List.of(), failures.stream().filter(java.util.Objects::nonNull).toList());
    }

    /** Null when {@code answer} is a 413 in the protocol's shape; else what it is. */
    private static String tooLarge(String what, Wire wire, Answer answer) {
        try {
            check(wire, answer, Expect.REFUSED);
            return answer.status() == 413 ? null : what + ": expected 413, got " + answer;
        } catch (AssertionError e) {
            return what + ": " + e.getMessage();
        }
    }

    @Test
    void headerFieldsOverTheLimitsAreRefusedAndTheHttpLayerDropsWhatItWillNotRead() {
        WireLimits limits = runtime.server().limits();
        List<Case> cases = new ArrayList<>();
        for (Service service : SERVICES) {
            String operation = refused(service).keySet().iterator().next();
            Request request = request(service, operation, refused(service).get(operation));
            Request distinct = request;
            for (int i = 0; i < limits.maxHeaders() + 50; i++) {
                distinct = distinct.withHeader("X-Fuzz-" + i, "x");
            }
            cases.add(Case.of(service.key() + " " + (limits.maxHeaders() + 50) + " header fields", service.wire(), distinct,
                    Expect.REFUSED));
            Request repeated = request;
            for (int i = 0; i < 1000; i++) {
                repeated = repeated.withHeader("X-Fuzz", Integer.toString(i));
            }
            cases.add(Case.of(service.key() + " one header field 1000 times", service.wire(), repeated, Expect.REFUSED));
            cases.add(Case.of(service.key() + " a 100 KiB header field", service.wire(),
                    request.withHeader("X-Fuzz", "x".repeat(100 * 1024)), Expect.REFUSED));
            cases.add(Case.of(service.key() + " a header field beyond the JDK's limit", service.wire(),
                    request.withHeader("X-Fuzz", "x".repeat(WireLimits.JDK_MAX_HEADER_BYTES + 1024)), Expect.UNANSWERED));
            Request names = request;
            for (int i = 0; i < WireLimits.JDK_MAX_HEADER_NAMES + 50; i++) {
                names = names.withHeader("X-Fuzz-" + i, "x");
            }
            cases.add(Case.of(service.key() + " more header names than the JDK reads", service.wire(), names,
                    Expect.UNANSWERED));
            cases.add(Case.of(service.key() + " no Host", service.wire(), request.withoutHeader("Host"), Expect.REFUSED));
            cases.add(Case.of(service.key() + " another Host", service.wire(),
                    request.withoutHeader("Host").withHeader("Host", "attacker.example"), Expect.REFUSED));
        }
        run(cases);
    }

    @Test
    void wrongContentTypesAndTargetsAreRefused() {
        List<Case> cases = new ArrayList<>();
        for (Service service : SERVICES) {
            if (service.wire() == Wire.QUERY) {
                continue; // a Query request is one by its Content-Type: another one routes it elsewhere (below)
            }
            String operation = refused(service).keySet().iterator().next();
            Request request = request(service, operation, refused(service).get(operation));
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                    service.wire() == Wire.CBOR ? "application/json" : "application/cbor", "application/x-amz-json")) {
                cases.add(Case.of(service.key() + " Content-Type " + type, service.wire(),
                        request.withoutHeader("Content-Type").withHeader("Content-Type", type), Expect.REFUSED));
            }
            cases.add(Case.of(service.key() + " no Content-Type", service.wire(), request.withoutHeader("Content-Type"),
                    Expect.REFUSED));
        }
        for (Service service : List.of(service("ssm"), service("sfn"), service("events"), service("dynamodb"))) {
            byte[] body = refused(service).values().iterator().next();
            for (String target : List.of(service.prefix() + ".", service.prefix() + ".NoSuchOperation", service.prefix(),
                    "NoSuchService.ListTopics", service.prefix() + ".ListCommands.Extra", "", " ", "..",
                    service.prefix() + ".Send\u00ffCommand")) {
                Request r = http.signed(service.signingName(), "/", Map.of("Content-Type", service.wire().contentType,
                        "X-Amz-Target", target), body);
                cases.add(Case.of(service.key() + " X-Amz-Target '" + target + "'", service.wire(), r, Expect.REFUSED));
            }
        }
        Service cloudwatch = service("cloudwatch");
        byte[] cbor = refused(cloudwatch).values().iterator().next();
        for (String path : List.of("/service/GraniteServiceVersion20100801/operation/NoSuchOperation",
                "/service/NoSuchService/operation/DescribeAlarms")) {
            cases.add(Case.of("RPC v2 path " + path, Wire.CBOR, http.signed("monitoring", path,
                    Wire.CBOR.headers(null, null), cbor), Expect.REFUSED));
        }
        for (String path : List.of("/service/GraniteServiceVersion20100801/operation/", "/service//operation/x", "/nope")) {
            // A request no other protocol claims is S3's (the endpoint's REST service), answered in S3's shape.
            cases.add(Case.of("no route " + path, Wire.REST_XML, http.signed("monitoring", path, Wire.CBOR.headers(null, null),
                    cbor), Expect.REFUSED));
        }
        run(cases);
    }

    @Test
    void brokenHttpFramingIsRefusedAndTheConnectionEnds() {
        List<Case> cases = new ArrayList<>();
        for (Service service : SERVICES) {
            String operation = refused(service).keySet().iterator().next();
            byte[] body = refused(service).get(operation);
            Request request = request(service, operation, body);
            for (String length : List.of("abc", "-1", "1.5", "99999999999999999999", "0x10")) {
                cases.add(Case.of(service.key() + " Content-Length " + length, service.wire(),
                        request.withoutHeader("Content-Length").withHeader("Content-Length", length), Expect.HTTP_LAYER));
            }
            cases.add(Case.of(service.key() + " two Content-Lengths", service.wire(),
                    request.withHeader("Content-Length", Integer.toString(body.length + 1)), Expect.HTTP_LAYER));
            cases.add(Case.of(service.key() + " Content-Length and chunked", service.wire(),
                    request.withHeader("Transfer-Encoding", "chunked"), Expect.HTTP_LAYER));
            cases.add(Case.of(service.key() + " Transfer-Encoding gzip", service.wire(),
                    request.withoutHeader("Content-Length").withHeader("Transfer-Encoding", "gzip"), Expect.HTTP_LAYER));
            byte[] cut = java.util.Arrays.copyOf(body, body.length / 2);
            cases.add(new Case(service.key() + " body shorter than its Content-Length", service.wire(),
                    request.withBody(cut).bytes(), true, Expect.REFUSED));
            Request chunked = request.chunked(16);
            cases.add(new Case(service.key() + " chunked body cut short", service.wire(),
                    java.util.Arrays.copyOf(chunked.bytes(), chunked.bytes().length - 7), true, Expect.REFUSED));
            for (String size : List.of("zz", "ffffffff", "7fffffffffff", "-1", "", "1;" + "x".repeat(3000))) {
                cases.add(Case.of(service.key() + " chunk size '" + (size.length() > 20 ? "1;x..." : size) + "'",
                        service.wire(), chunked.withBody(utf8(size + "\r\nab\r\n0\r\n\r\n")), Expect.REFUSED));
            }
        }
        for (String line : List.of("GARBAGE\r\n\r\n", "POST\r\n\r\n", "POST /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST / HTTP/1.1\r\nBad Header: x\r\n\r\n")) {
            cases.add(new Case("request line " + line.split("\r\n")[0], Wire.JSON_1_1, utf8(line), false, Expect.HTTP_LAYER));
        }
        // The JDK's server reads no version check into a request line: this one reaches the endpoint, which refuses it.
        cases.add(new Case("request line with an extra word", Wire.REST_XML, utf8("POST / HTTP/1.1 extra\r\nHost: x\r\n"
                + "Content-Length: 0\r\n\r\n"), false, Expect.REFUSED));
        run(cases);
    }

    @Test
    void aFloodOfParallelConnectionsBeyondTheTurnsIsAnsweredEveryOne() throws Exception {
        int connections = 3 * runtime.server().limits().maxConcurrentRequests();
        Random random = new Random(SEED ^ 0xF100D);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Service service = SERVICES.get(random.nextInt(SERVICES.size()));
            Map<String, byte[]> refused = refused(service);
            String operation = List.copyOf(refused.keySet()).get(random.nextInt(refused.size()));
            cases.add(Case.of(service.key() + " in parallel #" + i, service.wire(), request(service, operation,
                    service.wire() == Wire.QUERY ? refused.get(operation) : BadBytes.noise(random)), Expect.REFUSED));
        }
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(connections)) {
            List<Future<?>> sent = new ArrayList<>();
            for (Case c : cases) {
                sent.add(pool.submit(() -> {
                    String failure = attempt(c);
                    if (failure != null) {
                        failures.add(failure);
                    }
                }));
            }
            for (Future<?> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        assertEquals(List.of(), failures);
    }

    // ---- cases

    private Service service(String key) {
        return SERVICES.stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
    }

    /** The refused requests of a service, as body bytes in its protocol, by operation. */
    private Map<String, byte[]> refused(Service service) {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        requests.path(service.key()).path("refused").properties().forEach(e -> bodies.put(e.getKey(),
                switch (service.wire()) {
                    case QUERY -> utf8(e.getValue().asText());
                    case CBOR -> BadBytes.cbor(e.getValue());
                    default -> BadBytes.json(e.getValue());
                }));
        return bodies;
    }

    /** The request of {@code operation} with {@code body}, signed over exactly those bytes. */
    private Request request(Service service, String operation, byte[] body) {
        return http.signed(service.signingName(), service.wire().path(service.prefix(), operation),
                service.wire().headers(service.prefix(), operation), body);
    }

    private Case json(String key, String what, String operation, java.util.function.Consumer<ObjectNode> members,
                      Expect expect) {
        ObjectNode body = BadBytes.JSON.createObjectNode();
        members.accept(body);
        Service service = service(key);
        return Case.of(key + " " + what, service.wire(), request(service, operation, BadBytes.json(body)), expect);
    }

    private Case cbor(String what, String operation, java.util.function.Consumer<ObjectNode> members) {
        ObjectNode body = BadBytes.JSON.createObjectNode();
        members.accept(body);
        return Case.of("cloudwatch " + what, Wire.CBOR, request(service("cloudwatch"), operation, BadBytes.cbor(body)),
                Expect.REFUSED);
    }

    private Case form(String what, String form) {
        return Case.of("sns " + what, Wire.QUERY, request(service("sns"), "Publish", utf8(form)), Expect.REFUSED);
    }

    /** A refused request of about {@code length} bytes: a string member of one of the service's made that long. */
    private Request refusedOfLength(Service service, int length) {
        if (service.wire() == Wire.QUERY) {
            return request(service, "CreateTopic", utf8("Name=" + "x".repeat(length) + "&Version=2010-03-31&Action=CreateTopic"));
        }
        for (var entry : requests.path(service.key()).path("refused").properties()) {
            var text = entry.getValue().properties().stream().filter(e -> e.getValue().isTextual()).findFirst();
            if (text.isPresent()) {
                ObjectNode body = entry.getValue().deepCopy();
                body.put(text.get().getKey(), "x".repeat(length));
                return request(service, entry.getKey(), service.wire() == Wire.CBOR ? BadBytes.cbor(body) : BadBytes.json(body));
            }
        }
        throw new IllegalStateException(service.key() + " has no refused request with a string member");
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private List<String> ruleNames() {
        return runtime.bus().rules().stream().map(Rule::name).sorted().toList();
    }

    // ---- running them

    private void run(List<Case> cases) {
        assertEquals(List.of(), failures(cases));
    }

    /** Sends every case, one after another; the failures, described (at most 25), or none. */
    private List<String> failures(List<Case> cases) {
        List<String> failures = new ArrayList<>();
        int failed = 0;
        for (Case c : cases) {
            String failure = attempt(c);
            if (failure != null && ++failed <= 25) {
                failures.add(failure);
            }
        }
        if (failed > 25) {
            failures.add("... and " + (failed - 25) + " more of " + cases.size());
        }
        return failures;
    }

    private String attempt(Case c) {
        try {
            Answer answer = send(c.bytes(), c.halfClose());
            check(c.wire(), answer, c.expect());
            if (!c.codes().isEmpty() && answer.status() >= 400) {
                String code = c.wire().errorCode(answer);
                boolean ok = c.codes().get(0).startsWith("!") ? !code.equals(c.codes().get(0).substring(1))
                        : c.codes().contains(code);
                if (!ok) {
                    fail("expected " + String.join(" or ", c.codes()) + ", got " + answer);
                }
            }
            return null;
        } catch (AssertionError | IOException e) {
            return c.what() + ": " + e.getMessage();
        }
    }

    private Answer send(byte[] bytes, boolean halfClose) throws IOException {
        return http.send(bytes, halfClose);
    }

    private static void check(Wire wire, Answer answer, Expect expect) {
        switch (expect) {
            case REFUSED -> {
                if (answer.status() < 400 || answer.status() >= 500) {
                    fail("expected a 4xx, got " + answer);
                }
                wire.errorCode(answer);
            }
            case SURVIVES -> {
                if (!answer.answered() || answer.status() >= 500) {
                    fail("expected an answer below 500, got " + answer);
                }
                if (answer.status() >= 400) {
                    wire.errorCode(answer);
                }
            }
            case HTTP_LAYER -> {
                if (answer.status() != 400 && answer.status() != 501) {
                    fail("expected the HTTP layer's 400 (or 501), got " + answer);
                }
            }
            case UNANSWERED -> {
                if (answer.answered()) {
                    fail("expected the connection to be dropped unanswered, got " + answer);
                }
            }
        }
    }
}
