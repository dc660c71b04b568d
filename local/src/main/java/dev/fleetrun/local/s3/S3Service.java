package dev.fleetrun.local.s3;

import dev.fleetrun.local.wire.AuthErrors;
import dev.fleetrun.local.wire.AwsChunked;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.AwsServer;
import dev.fleetrun.local.wire.RestRequest;
import dev.fleetrun.local.wire.RestService;
import dev.fleetrun.local.wire.WireResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Amazon S3 for the embedded runtime, over S3's REST-XML protocol on an {@link AwsServer} ({@link #serveOn}):
 * buckets and objects in memory, addressed path-style ({@code /BUCKET/KEY}, as the SDK and the AWS CLI address
 * an endpoint given as an IP address) or virtual-hosted ({@code Host: BUCKET.localhost:PORT}).
 *
 * <p>Operations: CreateBucket, HeadBucket, ListBuckets, GetBucketLocation, DeleteBucket, PutObject (plain,
 * signed-chunked and with trailing checksums), GetObject (with a byte {@code Range}), HeadObject, ListObjectsV2,
 * ListObjects, DeleteObject, DeleteObjects. Errors carry S3's codes and statuses ({@code NoSuchBucket} 404,
 * {@code NoSuchKey} 404, {@code BucketNotEmpty} 409, {@code InvalidBucketName} 400, ...); every other request is
 * answered {@code NotImplemented} (501) naming what is implemented. No versioning, ACLs, policies, multipart
 * uploads, copies, tags or encryption.
 *
 * <p>Thread-safe: every call holds the service's lock.
 */
public final class S3Service implements RestService {
    public static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
    public static final List<String> OPERATIONS = List.of("CreateBucket", "HeadBucket", "ListBuckets", "GetBucketLocation",
            "DeleteBucket", "PutObject", "GetObject", "HeadObject", "ListObjectsV2", "ListObjects", "DeleteObject",
            "DeleteObjects");
    private static final String OWNER_ID = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final Pattern XML_KEY = Pattern.compile("<Key>(.*?)</Key>", Pattern.DOTALL);

    private final Clock clock;
    private final String region;
    private final Map<String, Bucket> buckets = new TreeMap<>();
    private volatile URI endpoint;

    /** One object as stored: its bytes, type, user metadata, checksum given at upload and time. */
    public record S3Object(String key, byte[] data, String contentType, Map<String, String> metadata, String etag,
                           Instant lastModified) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private record Bucket(String name, Instant created, String region, NavigableMap<String, S3Object> objects) {
    }

    /** @param region the region buckets are in (CreateBucket's LocationConstraint is accepted and recorded) */
    public S3Service(Clock clock, String region) {
        this.clock = clock;
        this.region = region;
    }

    /** Hosts this service on {@code server} as its REST service; object URLs then name the server's endpoint. */
    public S3Service serveOn(AwsServer server) {
        server.restService(this);
        endpoint = server.endpoint();
        return this;
    }

    /** The URL of an object on the endpoint this service is served on, path-style: {@code http://127.0.0.1:PORT/BUCKET/KEY}. */
    public String objectUrl(String bucket, String key) {
        URI base = endpoint;
        if (base == null) {
            throw new IllegalStateException("S3 is not served on an endpoint yet: call serveOn(server) first");
        }
        return base + "/" + bucket + "/" + encodeKey(key, false);
    }

    // ---- for the simulation (in process) ----

    public synchronized boolean bucketExists(String bucket) {
        return buckets.containsKey(bucket);
    }

    /** Creates a bucket (no-op when it exists). */
    public synchronized void createBucket(String bucket) {
        String problem = bucketNameProblem(bucket);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        buckets.putIfAbsent(bucket, new Bucket(bucket, now(), region, new TreeMap<>()));
    }

    /** Writes an object as PutObject does; the bucket must exist. */
    public synchronized S3Object putObject(String bucket, String key, byte[] data, String contentType) {
        Bucket b = buckets.get(bucket);
        if (b == null) {
            throw noSuchBucket(bucket);
        }
        S3Object object = new S3Object(key, data.clone(), contentType, Map.of(), etag(data), now());
        b.objects().put(key, object);
        return object;
    }

    public synchronized Optional<S3Object> object(String bucket, String key) {
        Bucket b = buckets.get(bucket);
        return b == null ? Optional.empty() : Optional.ofNullable(b.objects().get(key));
    }

    /** The keys in a bucket, in S3's order (UTF-8 binary order; here: Java string order), starting with {@code prefix}. */
    public synchronized List<String> keys(String bucket, String prefix) {
        Bucket b = buckets.get(bucket);
        if (b == null) {
            return List.of();
        }
        return b.objects().keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    }

    // ---- the REST API ----

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public AuthErrors authErrors() {
        return AuthErrors.REST_XML;
    }

    /** The bucket and key a request addresses, virtual-hosted or path-style. */
    private record Address(String bucket, String key) {
        static Address of(RestRequest request) {
            String host = request.hostName();
            String path = request.rawPath();
            if (host.endsWith(".localhost")) {
                String key = path.length() > 1 ? RestRequest.decode(path.substring(1)) : "";
                return new Address(host.substring(0, host.length() - ".localhost".length()), key);
            }
            String rest = path.substring(1);
            if (rest.isEmpty()) {
                return new Address("", "");
            }
            int slash = rest.indexOf('/');
            return slash < 0 ? new Address(RestRequest.decode(rest), "")
                    : new Address(RestRequest.decode(rest.substring(0, slash)), RestRequest.decode(rest.substring(slash + 1)));
        }
    }

    @Override
    public String operation(RestRequest request) {
        Address a = Address.of(request);
        Map<String, String> q = request.query();
        String method = request.method().toUpperCase(Locale.ROOT);
        if (a.bucket().isEmpty()) {
            return "GET".equals(method) ? "ListBuckets" : method + " /";
        }
        if (a.key().isEmpty()) {
            return switch (method) {
                case "PUT" -> q.isEmpty() ? "CreateBucket" : "PutBucket?" + String.join("&", q.keySet());
                case "HEAD" -> "HeadBucket";
                case "DELETE" -> q.isEmpty() ? "DeleteBucket" : "DeleteBucket?" + String.join("&", q.keySet());
                case "POST" -> q.containsKey("delete") ? "DeleteObjects" : "POST /bucket?" + String.join("&", q.keySet());
                case "GET" -> q.containsKey("location") ? "GetBucketLocation"
                        : "2".equals(q.get("list-type")) ? "ListObjectsV2"
                        : q.keySet().stream().allMatch(k -> List.of("prefix", "delimiter", "marker", "max-keys",
                                "encoding-type").contains(k)) ? "ListObjects" : "GetBucket?" + String.join("&", q.keySet());
                default -> method + " /bucket";
            };
        }
        boolean plain = q.keySet().stream().allMatch(k -> k.equals("x-id") || k.startsWith("response-"));
        return switch (method) {
            case "PUT" -> plain && request.header("x-amz-copy-source") == null ? "PutObject"
                    : request.header("x-amz-copy-source") != null ? "CopyObject" : "PutObject?" + String.join("&", q.keySet());
            case "GET" -> plain ? "GetObject" : "GetObject?" + String.join("&", q.keySet());
            case "HEAD" -> plain ? "HeadObject" : "HeadObject?" + String.join("&", q.keySet());
            case "DELETE" -> plain ? "DeleteObject" : "DeleteObject?" + String.join("&", q.keySet());
            default -> method + " /bucket/key" + (q.isEmpty() ? "" : "?" + String.join("&", q.keySet()));
        };
    }

    @Override
    public synchronized Answer answer(RestRequest request, String requestId) {
        String operation = operation(request);
        try {
            Address a = Address.of(request);
            WireResponse response = switch (operation) {
                case "ListBuckets" -> listBuckets(requestId);
                case "CreateBucket" -> createBucket(a.bucket(), request, requestId);
                case "HeadBucket" -> headBucket(a.bucket(), requestId);
                case "GetBucketLocation" -> getBucketLocation(a.bucket(), requestId);
                case "DeleteBucket" -> deleteBucket(a.bucket(), requestId);
                case "ListObjectsV2" -> listObjects(a.bucket(), request.query(), true, requestId);
                case "ListObjects" -> listObjects(a.bucket(), request.query(), false, requestId);
                case "DeleteObjects" -> deleteObjects(a.bucket(), request, requestId);
                case "PutObject" -> putObject(a, request, requestId);
                case "GetObject" -> getObject(a, request, false, requestId);
                case "HeadObject" -> getObject(a, request, true, requestId);
                case "DeleteObject" -> deleteObject(a, requestId);
                // A method S3 has no operation for on such a resource (POST /bucket/key, PATCH /bucket) is S3's 405;
                // an S3 operation this simulation lacks (CopyObject, PutBucket?versioning) is S3's own 501.
                default -> throw operation.matches("[A-Z]+ /.*")
                        ? new AwsError("MethodNotAllowed", "The specified method is not allowed against this resource ("
                                + operation + "); this simulated S3 implements " + String.join(", ", OPERATIONS) + ".", 405, null)
                        : new AwsError("NotImplemented", "A header or query you provided implies functionality"
                                + " that is not implemented: this simulated S3 does not implement " + operation
                                + "; it implements " + String.join(", ", OPERATIONS) + ".", 501, null);
            };
            return new Answer(response, null);
        } catch (AwsError error) {
            return new Answer(encodeError(request, error, requestId), error.code());
        }
    }

    @Override
    public WireResponse encodeError(RestRequest request, AwsError error, String requestId) {
        Map<String, String> headers = headers(requestId);
        if ("HEAD".equalsIgnoreCase(request.method())) {
            // S3 answers a HEAD with the status alone; the SDK maps 404 to NoSuchKey / NoSuchBucket by itself.
            return new WireResponse(error.httpStatus(), "application/xml", headers, new byte[0]);
        }
        Xml xml = new Xml().open("Error").element("Code", error.code()).element("Message", error.getMessage());
        Address a = Address.of(request);
        if (error.code().equals("NoSuchKey")) {
            xml.element("Key", a.key());
        } else if (error.code().startsWith("NoSuchBucket") || error.code().startsWith("Bucket")) {
            xml.element("BucketName", a.bucket());
        }
        xml.element("RequestId", requestId).element("HostId", hostId(requestId)).close("Error");
        return new WireResponse(error.httpStatus(), "application/xml", headers, xml.bytes());
    }

    private WireResponse listBuckets(String requestId) {
        Xml xml = new Xml().open("ListAllMyBucketsResult", NAMESPACE)
                .open("Owner").element("ID", OWNER_ID).element("DisplayName", "fleetrun").close("Owner")
                .open("Buckets");
        for (Bucket b : buckets.values()) {
            xml.open("Bucket").element("Name", b.name()).element("CreationDate", ISO_MILLIS.format(b.created()))
                    .element("BucketRegion", b.region()).close("Bucket");
        }
        xml.close("Buckets").close("ListAllMyBucketsResult");
        return xml(xml, requestId);
    }

    private WireResponse createBucket(String bucket, RestRequest request, String requestId) {
        String problem = bucketNameProblem(bucket);
        if (problem != null) {
            throw AwsError.of("InvalidBucketName", "The specified bucket is not valid: " + problem);
        }
        String body = new String(request.body(), StandardCharsets.UTF_8);
        Matcher constraint = Pattern.compile("<LocationConstraint>([^<]*)</LocationConstraint>").matcher(body);
        String location = constraint.find() ? constraint.group(1) : region;
        Bucket existing = buckets.get(bucket);
        if (existing != null && !"us-east-1".equals(location)) {
            // In us-east-1 S3 answers 200 to the owner's CreateBucket of an existing bucket; elsewhere 409.
            throw new AwsError("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded"
                    + " and you already own it.", 409, null);
        }
        if (existing == null) {
            buckets.put(bucket, new Bucket(bucket, now(), location.isEmpty() ? "us-east-1" : location, new TreeMap<>()));
        }
        Map<String, String> headers = headers(requestId);
        headers.put("Location", "/" + bucket);
        return new WireResponse(200, "application/xml", headers, new byte[0]);
    }

    private WireResponse headBucket(String bucket, String requestId) {
        Bucket b = bucket(bucket);
        Map<String, String> headers = headers(requestId);
        headers.put("x-amz-bucket-region", b.region());
        return new WireResponse(200, "application/xml", headers, new byte[0]);
    }

    private WireResponse getBucketLocation(String bucket, String requestId) {
        Bucket b = bucket(bucket);
        Xml xml = new Xml().open("LocationConstraint", NAMESPACE);
        if (!"us-east-1".equals(b.region())) {
            xml.text(b.region());
        }
        xml.close("LocationConstraint");
        return xml(xml, requestId);
    }

    private WireResponse deleteBucket(String bucket, String requestId) {
        Bucket b = bucket(bucket);
        if (!b.objects().isEmpty()) {
            throw new AwsError("BucketNotEmpty", "The bucket you tried to delete is not empty (" + b.objects().size()
                    + " object(s)); delete its objects first (aws s3 rb --force does).", 409, null);
        }
        buckets.remove(bucket);
        return new WireResponse(204, "application/xml", headers(requestId), new byte[0]);
    }

    private WireResponse listObjects(String bucket, Map<String, String> q, boolean v2, String requestId) {
        Bucket b = bucket(bucket);
        String prefix = q.getOrDefault("prefix", "");
        String delimiter = q.getOrDefault("delimiter", "");
        boolean urlEncoded = "url".equals(q.get("encoding-type"));
        int maxKeys;
        try {
            maxKeys = Integer.parseInt(q.getOrDefault("max-keys", "1000"));
        } catch (NumberFormatException e) {
            throw AwsError.of("InvalidArgument", "Provided max-keys not an integer or within integer range");
        }
        if (maxKeys < 0) {
            throw AwsError.of("InvalidArgument", "max-keys must be >= 0");
        }
        maxKeys = Math.min(maxKeys, 1000);
        String after;
        if (v2) {
            String token = q.get("continuation-token");
            if (token != null) {
                try {
                    after = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw AwsError.of("InvalidArgument", "The continuation token provided is incorrect");
                }
            } else {
                after = q.getOrDefault("start-after", "");
            }
        } else {
            after = q.getOrDefault("marker", "");
        }
        List<S3Object> contents = new ArrayList<>();
        TreeSet<String> commonPrefixes = new TreeSet<>();
        String last = null;
        boolean truncated = false;
        for (S3Object object : b.objects().tailMap(after, false).values()) {
            String key = object.key();
            if (!key.startsWith(prefix)) {
                if (key.compareTo(prefix) > 0 && !prefix.isEmpty()) {
                    break;
                }
                continue;
            }
            String common = null;
            if (!delimiter.isEmpty()) {
                int at = key.indexOf(delimiter, prefix.length());
                if (at >= 0) {
                    common = key.substring(0, at + delimiter.length());
                }
            }
            if (common != null && commonPrefixes.contains(common)) {
                last = key;
                continue;
            }
            if (contents.size() + commonPrefixes.size() >= maxKeys) {
                truncated = true;
                break;
            }
            if (common != null) {
                commonPrefixes.add(common);
            } else {
                contents.add(object);
            }
            last = key;
        }
        Xml xml = new Xml().open("ListBucketResult", NAMESPACE).element("Name", bucket)
                .element("Prefix", encode(prefix, urlEncoded));
        if (v2) {
            xml.element("KeyCount", String.valueOf(contents.size() + commonPrefixes.size()));
            if (q.containsKey("continuation-token")) {
                xml.element("ContinuationToken", q.get("continuation-token"));
            }
            if (q.containsKey("start-after")) {
                xml.element("StartAfter", encode(q.get("start-after"), urlEncoded));
            }
        } else {
            xml.element("Marker", encode(after, urlEncoded));
        }
        xml.element("MaxKeys", String.valueOf(maxKeys));
        if (!delimiter.isEmpty()) {
            xml.element("Delimiter", encode(delimiter, urlEncoded));
        }
        if (urlEncoded) {
            xml.element("EncodingType", "url");
        }
        xml.element("IsTruncated", String.valueOf(truncated));
        if (truncated && last != null) {
            if (v2) {
                xml.element("NextContinuationToken",
                        Base64.getUrlEncoder().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
            } else if (!delimiter.isEmpty()) {
                xml.element("NextMarker", encode(last, urlEncoded));
            }
        }
        for (S3Object object : contents) {
            xml.open("Contents").element("Key", encode(object.key(), urlEncoded))
                    .element("LastModified", ISO_MILLIS.format(object.lastModified()))
                    .element("ETag", object.etag()).element("Size", String.valueOf(object.data().length))
                    .element("StorageClass", "STANDARD");
            if (!v2) {
                xml.open("Owner").element("ID", OWNER_ID).element("DisplayName", "fleetrun").close("Owner");
            }
            xml.close("Contents");
        }
        for (String common : commonPrefixes) {
            xml.open("CommonPrefixes").element("Prefix", encode(common, urlEncoded)).close("CommonPrefixes");
        }
        xml.close("ListBucketResult");
        return xml(xml, requestId);
    }

    private WireResponse deleteObjects(String bucket, RestRequest request, String requestId) {
        Bucket b = bucket(bucket);
        String body = new String(payload(request), StandardCharsets.UTF_8);
        if (!body.contains("<Delete")) {
            throw AwsError.of("MalformedXML", "The XML you provided was not well-formed or did not validate against"
                    + " our published schema: DeleteObjects takes <Delete><Object><Key>...</Key></Object>...</Delete>");
        }
        boolean quiet = body.contains("<Quiet>true</Quiet>");
        Xml xml = new Xml().open("DeleteResult", NAMESPACE);
        Matcher keys = XML_KEY.matcher(body);
        while (keys.find()) {
            String key = Xml.unescape(keys.group(1));
            b.objects().remove(key);
            if (!quiet) {
                xml.open("Deleted").element("Key", key).close("Deleted");
            }
        }
        xml.close("DeleteResult");
        return xml(xml, requestId);
    }

    private WireResponse putObject(Address a, RestRequest request, String requestId) {
        Bucket b = bucket(a.bucket());
        byte[] data = payload(request);
        Map<String, String> metadata = new LinkedHashMap<>();
        request.headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-amz-meta-") && !values.isEmpty()) {
                metadata.put(lower.substring("x-amz-meta-".length()), values.get(0));
            }
        });
        String contentType = Optional.ofNullable(request.header("Content-Type")).orElse("binary/octet-stream");
        String contentMd5 = request.header("Content-MD5");
        if (contentMd5 != null && !contentMd5.trim().equals(Base64.getEncoder().encodeToString(md5(data)))) {
            throw AwsError.of("BadDigest", "The Content-MD5 you specified did not match what we received.");
        }
        S3Object object = new S3Object(a.key(), data, contentType, Map.copyOf(metadata), etag(data), now());
        b.objects().put(a.key(), object);
        Map<String, String> headers = headers(requestId);
        headers.put("ETag", object.etag());
        return new WireResponse(200, "application/xml", headers, new byte[0]);
    }

    private WireResponse getObject(Address a, RestRequest request, boolean head, String requestId) {
        Bucket b = bucket(a.bucket());
        S3Object object = b.objects().get(a.key());
        if (object == null) {
            throw new AwsError("NoSuchKey", "The specified key does not exist.", 404, null);
        }
        Map<String, String> headers = headers(requestId);
        headers.put("ETag", object.etag());
        headers.put("Last-Modified", HTTP_DATE.format(object.lastModified()));
        headers.put("Accept-Ranges", "bytes");
        object.metadata().forEach((name, value) -> headers.put("x-amz-meta-" + name, value));
        byte[] data = object.data();
        int status = 200;
        String range = request.header("Range");
        if (range != null) {
            Matcher m = RANGE.matcher(range.trim());
            if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                long size = data.length;
                long start;
                long end;
                if (m.group(1).isEmpty()) {
                    start = Math.max(0, size - Long.parseLong(m.group(2)));
                    end = size - 1;
                } else {
                    start = Long.parseLong(m.group(1));
                    end = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
                }
                if (start >= size || start > end) {
                    throw new AwsError("InvalidRange", "The requested range is not satisfiable", 416, null);
                }
                headers.put("Content-Range", "bytes " + start + "-" + end + "/" + size);
                data = java.util.Arrays.copyOfRange(data, (int) start, (int) end + 1);
                status = 206;
            }
        }
        if (head) {
            headers.put("Content-Length", String.valueOf(data.length));
            return new WireResponse(status, object.contentType(), headers, new byte[0]);
        }
        return new WireResponse(status, object.contentType(), headers, data);
    }

    private WireResponse deleteObject(Address a, String requestId) {
        bucket(a.bucket()).objects().remove(a.key());
        return new WireResponse(204, "application/xml", headers(requestId), new byte[0]);
    }

    // ---- helpers ----

    private Bucket bucket(String name) {
        Bucket b = buckets.get(name);
        if (b == null) {
            throw noSuchBucket(name);
        }
        return b;
    }

    private static AwsError noSuchBucket(String name) {
        return new AwsError("NoSuchBucket", "The specified bucket does not exist: " + name
                + " (create it with aws s3 mb s3://" + name + ")", 404, null);
    }

    /** The object's bytes: the body, with any aws-chunked framing taken off. */
    private static byte[] payload(RestRequest request) {
        if (!AwsChunked.isChunked(request.headers())) {
            return request.body();
        }
        try {
            return AwsChunked.decode(request.body()).payload();
        } catch (IllegalArgumentException e) {
            throw AwsError.of("IncompleteBody", "The aws-chunked body could not be read: " + e.getMessage());
        }
    }

    private WireResponse xml(Xml xml, String requestId) {
        return new WireResponse(200, "application/xml", headers(requestId), xml.bytes());
    }

    private static Map<String, String> headers(String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-amz-request-id", requestId.replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT));
        headers.put("x-amz-id-2", hostId(requestId));
        return headers;
    }

    private static String hostId(String requestId) {
        return Base64.getEncoder().encodeToString(requestId.getBytes(StandardCharsets.UTF_8));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String etag(byte[] data) {
        return "\"" + HexFormat.of().formatHex(md5(data)) + "\"";
    }

    private static byte[] md5(byte[] data) {
        try {
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value, boolean urlEncoded) {
        return urlEncoded ? encodeKey(value, true) : value;
    }

    /** Percent-encodes a key as S3 does (unreserved characters and '/' stay), for URLs and {@code encoding-type=url}. */
    static String encodeKey(String key, boolean encodeSlash) {
        StringBuilder out = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || (c == '/' && !encodeSlash)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /**
     * Why {@code name} breaks S3's bucket naming rules for general purpose buckets, or null: 3 to 63 characters of
     * lower-case letters, digits, dots and hyphens, a letter or digit first and last, no two dots in a row, not an IP
     * address, none of the reserved prefixes and suffixes (S3 User Guide, "General purpose bucket naming rules").
     */
    public static String bucketNameProblem(String name) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            return "bucket names are 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a"
                    + " letter or digit: '" + name + "'";
        }
        if (name.contains("..")) {
            return "bucket names must not have two dots in a row: '" + name + "'";
        }
        if (name.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return "bucket names must not look like an IP address: '" + name + "'";
        }
        for (String prefix : List.of("xn--", "sthree-", "amzn-s3-demo-")) {
            if (name.startsWith(prefix)) {
                return "bucket names must not start with '" + prefix + "': '" + name + "'";
            }
        }
        for (String suffix : List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")) {
            if (name.endsWith(suffix)) {
                return "bucket names must not end with '" + suffix + "': '" + name + "'";
            }
        }
        return null;
    }

    /** A small XML writer: elements and escaped text, nothing else. */
    private static final class Xml {
        private final StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

        Xml open(String name) {
            out.append('<').append(name).append('>');
            return this;
        }

        Xml open(String name, String namespace) {
            out.append('<').append(name).append(" xmlns=\"").append(namespace).append("\">");
            return this;
        }

        Xml close(String name) {
            out.append("</").append(name).append('>');
            return this;
        }

        Xml text(String text) {
            out.append(escape(text));
            return this;
        }

        Xml element(String name, String text) {
            return open(name).text(text == null ? "" : text).close(name);
        }

        byte[] bytes() {
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }

        static String escape(String text) {
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                    .replace("'", "&apos;");
        }

        static String unescape(String text) {
            return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                    .replace("&amp;", "&");
        }
    }
}
