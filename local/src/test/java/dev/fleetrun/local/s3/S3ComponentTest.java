package dev.fleetrun.local.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.local.testing.LocalClients;
import dev.fleetrun.local.wire.AwsServer;
import dev.fleetrun.local.wire.RecordedRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.ProxyConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The simulated S3 through the AWS SDK for Java's own {@link S3Client}, as fleetrun's CLI and any SDK user calls it:
 * every operation, path-style and virtual-hosted ({@code BUCKET.localhost}), with the SDK's default signed,
 * chunked uploads with trailing checksums, and S3's errors as the SDK's exception classes.
 */
class S3ComponentTest {
    private final AwsServer server = AwsServer.start(0);
    private final S3Service s3 = new S3Service(Clock.systemUTC(), "us-east-1").serveOn(server);
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final S3Client client = LocalClients.s3(server);

    S3ComponentTest() {
        server.onRequest(requests::add);
    }

    @AfterEach
    void close() {
        client.close();
        server.close();
    }

    @Test
    void objectsArePutReadListedAndDeletedThroughTheSdk() {
        client.createBucket(b -> b.bucket("fleetrun-output"));
        client.headBucket(b -> b.bucket("fleetrun-output"));
        assertEquals(List.of("fleetrun-output"), client.listBuckets().buckets().stream().map(b -> b.name()).toList());

        String text = "line\n".repeat(30_000); // 150,000 bytes: two chunks of the SDK's aws-chunked upload
        client.putObject(b -> b.bucket("fleetrun-output").key("runs/cmd/i-1/stdout").contentType("text/plain"),
                RequestBody.fromString(text));
        client.putObject(b -> b.bucket("fleetrun-output").key("runs/cmd/i-1/stderr"), RequestBody.fromString("oops"));
        client.putObject(b -> b.bucket("fleetrun-output").key("runs/cmd/i-2/stdout"), RequestBody.fromString("two"));
        client.putObject(b -> b.bucket("fleetrun-output").key("top level key with spaces+plus"), RequestBody.empty());

        assertEquals(text, client.getObjectAsBytes(b -> b.bucket("fleetrun-output").key("runs/cmd/i-1/stdout")).asUtf8String());
        assertEquals(text, s3.object("fleetrun-output", "runs/cmd/i-1/stdout").orElseThrow().text());
        var head = client.headObject(b -> b.bucket("fleetrun-output").key("runs/cmd/i-1/stdout"));
        assertEquals(150_000L, head.contentLength());
        assertEquals("text/plain", head.contentType());
        assertEquals("ne\n", client.getObjectAsBytes(b -> b.bucket("fleetrun-output").key("runs/cmd/i-1/stdout")
                .range("bytes=-3")).asUtf8String());
        assertEquals("", client.getObjectAsBytes(b -> b.bucket("fleetrun-output").key("top level key with spaces+plus"))
                .asUtf8String());

        ListObjectsV2Response all = client.listObjectsV2(b -> b.bucket("fleetrun-output").prefix("runs/"));
        assertEquals(List.of("runs/cmd/i-1/stderr", "runs/cmd/i-1/stdout", "runs/cmd/i-2/stdout"),
                all.contents().stream().map(S3Object::key).toList());
        assertEquals(150_000L, all.contents().get(1).size());
        ListObjectsV2Response folders = client.listObjectsV2(b -> b.bucket("fleetrun-output").prefix("runs/cmd/").delimiter("/"));
        assertEquals(List.of("runs/cmd/i-1/", "runs/cmd/i-2/"), folders.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
        List<String> paged = client.listObjectsV2Paginator(b -> b.bucket("fleetrun-output").maxKeys(1)).contents().stream()
                .map(S3Object::key).toList();
        assertEquals(List.of("runs/cmd/i-1/stderr", "runs/cmd/i-1/stdout", "runs/cmd/i-2/stdout", "top level key with spaces+plus"), paged);

        client.deleteObject(b -> b.bucket("fleetrun-output").key("runs/cmd/i-2/stdout"));
        assertThrows(NoSuchKeyException.class, () -> client.getObjectAsBytes(b -> b.bucket("fleetrun-output").key("runs/cmd/i-2/stdout")));
        assertThrows(NoSuchKeyException.class, () -> client.headObject(b -> b.bucket("fleetrun-output").key("runs/cmd/i-2/stdout")));
        client.deleteObjects(b -> b.bucket("fleetrun-output").delete(d -> d.objects(
                o -> o.key("runs/cmd/i-1/stdout"), o -> o.key("runs/cmd/i-1/stderr"), o -> o.key("top level key with spaces+plus"))));
        assertEquals(0, client.listObjectsV2(b -> b.bucket("fleetrun-output")).keyCount());
        client.deleteBucket(b -> b.bucket("fleetrun-output"));
        assertEquals(List.of(), client.listBuckets().buckets());

        assertTrue(requests.stream().anyMatch(r -> r.operation().equals("PutObject")
                && "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER".equals(r.header("x-amz-content-sha256"))),
                "the SDK uploaded with signed chunks and a trailing checksum: " + requests.stream()
                        .filter(r -> r.operation().equals("PutObject")).map(r -> r.header("x-amz-content-sha256")).toList());
        assertTrue(requests.stream().allMatch(r -> r.service().equals("s3")), requests.toString());
    }

    @Test
    void s3sErrorsReachTheSdkAsItsExceptions() {
        NoSuchBucketException missing = assertThrows(NoSuchBucketException.class,
                () -> client.putObject(b -> b.bucket("no-such-bucket").key("k"), RequestBody.fromString("x")));
        assertEquals(404, missing.statusCode());
        assertThrows(NoSuchBucketException.class, () -> client.headBucket(b -> b.bucket("no-such-bucket")));
        assertThrows(NoSuchBucketException.class, () -> client.listObjectsV2(b -> b.bucket("no-such-bucket")));

        S3Exception badName = assertThrows(S3Exception.class, () -> client.createBucket(b -> b.bucket("sthree-reserved")));
        assertEquals("InvalidBucketName", badName.awsErrorDetails().errorCode());

        client.createBucket(b -> b.bucket("kept"));
        client.putObject(b -> b.bucket("kept").key("a"), RequestBody.fromString("x"));
        S3Exception notEmpty = assertThrows(S3Exception.class, () -> client.deleteBucket(b -> b.bucket("kept")));
        assertEquals("BucketNotEmpty", notEmpty.awsErrorDetails().errorCode());
        assertEquals(409, notEmpty.statusCode());
        // us-east-1: the owner's CreateBucket of an existing bucket succeeds; elsewhere it is BucketAlreadyOwnedByYou.
        client.createBucket(b -> b.bucket("kept"));
        assertThrows(BucketAlreadyOwnedByYouException.class, () -> client.createBucket(b -> b.bucket("kept")
                .createBucketConfiguration(c -> c.locationConstraint("eu-west-1"))));

        S3Exception unsupported = assertThrows(S3Exception.class, () -> client.getObjectAcl(b -> b.bucket("kept").key("a")));
        assertEquals("NotImplemented", unsupported.awsErrorDetails().errorCode());
        assertTrue(unsupported.awsErrorDetails().errorMessage().contains("PutObject"), unsupported.getMessage());
    }

    @Test
    void virtualHostedAddressingWorksForBucketDotLocalhost() {
        // BUCKET.localhost resolves to loopback only where the resolver follows RFC 6761; a proxy that is the endpoint
        // itself gives the same request (Host: BUCKET.localhost:PORT) anywhere.
        URI localhost = URI.create("http://localhost:" + server.port());
        try (S3Client virtual = S3Client.builder().region(Region.US_EAST_1).endpointOverride(localhost)
                .credentialsProvider(LocalClients.credentials(server))
                .httpClient(UrlConnectionHttpClient.builder().proxyConfiguration(ProxyConfiguration.builder()
                        .endpoint(server.endpoint()).useSystemPropertyValues(false).useEnvironmentVariablesValues(false).build()).build())
                .build()) {
            // Bucket-level calls go path-style: through a proxy the JDK's client sends them with an empty path, which
            // the JDK's server cannot route (a direct request names "/").
            client.createBucket(b -> b.bucket("virtual-bucket"));
            virtual.putObject(b -> b.bucket("virtual-bucket").key("dir/key.txt"), RequestBody.fromString("hosted"));
            assertEquals("hosted", virtual.getObjectAsBytes(b -> b.bucket("virtual-bucket").key("dir/key.txt")).asUtf8String());
            virtual.headObject(b -> b.bucket("virtual-bucket").key("dir/key.txt"));
        }
        assertArrayEquals("hosted".getBytes(StandardCharsets.UTF_8), s3.object("virtual-bucket", "dir/key.txt").orElseThrow().data());
        assertTrue(requests.stream().anyMatch(r -> ("virtual-bucket.localhost:" + server.port()).equals(r.header("Host"))),
                "requests named the bucket in the Host: " + requests.stream().map(r -> r.header("Host")).toList());
    }

    @Test
    void anUnsignedOrWronglySignedRequestIsRefusedWithS3sCodes() {
        client.createBucket(b -> b.bucket("guarded"));
        try (S3Client anonymous = S3Client.builder().region(Region.US_EAST_1).endpointOverride(server.endpoint())
                .forcePathStyle(true).credentialsProvider(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.create()).build();
             S3Client otherKey = S3Client.builder().region(Region.US_EAST_1).endpointOverride(server.endpoint())
                .forcePathStyle(true).credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIAOTHERUSER0000000", "secret")))
                .httpClient(UrlConnectionHttpClient.create()).build();
             S3Client wrongSecret = S3Client.builder().region(Region.US_EAST_1).endpointOverride(server.endpoint())
                .forcePathStyle(true).credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(server.credentials().accessKeyId(), "wrong")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            S3Exception denied = assertThrows(S3Exception.class,
                    () -> anonymous.putObject(b -> b.bucket("guarded").key("k"), RequestBody.fromString("x")));
            assertEquals("AccessDenied", denied.awsErrorDetails().errorCode());
            assertEquals(403, denied.statusCode());
            S3Exception unknown = assertThrows(S3Exception.class, () -> otherKey.listObjectsV2(b -> b.bucket("guarded")));
            assertEquals("InvalidAccessKeyId", unknown.awsErrorDetails().errorCode());
            S3Exception forged = assertThrows(S3Exception.class,
                    () -> wrongSecret.putObject(b -> b.bucket("guarded").key("k"), RequestBody.fromString("x")));
            assertEquals("SignatureDoesNotMatch", forged.awsErrorDetails().errorCode());
        }
        assertEquals(List.of(), s3.keys("guarded", ""), "nothing was written");
    }
}
