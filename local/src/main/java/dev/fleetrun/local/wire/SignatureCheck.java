package dev.fleetrun.local.wire;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;

/**
 * Checks that a request carries an AWS Signature Version 4 made with the one pair of {@link LocalCredentials}
 * this endpoint serves: the {@code Authorization} header is read, the request is signed again by the AWS SDK's
 * own signer with the same scope, signed headers and time, and the two signatures must be equal. The request's
 * time must be within 15 minutes of the wall clock, as AWS requires.
 *
 * <p>Two of the SDK's signers are used, because clients differ in one header: the SDK's current signer
 * ({@code AwsV4HttpSigner}) always adds and signs {@code x-amz-content-sha256}, as SDK v2 clients send it;
 * botocore (the AWS CLI) signs no such header for services other than S3, and the SDK's classic
 * {@code Aws4Signer} signs exactly the headers it is given. A request that signed {@code x-amz-content-sha256}
 * is checked with the former, any other with the latter.
 *
 * <p>S3 uploads may come {@code aws-chunked} ({@code x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]},
 * as SDK 2.41's PutObject sends over plain HTTP, with a trailing CRC32): the seed signature in the header is checked
 * as above, and the SDK's signer frames the decoded payload again with its chunk signatures, its trailing checksum and
 * the trailer's signature; the body must be those bytes exactly, so every chunk is checked. A client that cuts its
 * chunks at another size than the SDK's (128 KiB) is refused. {@code UNSIGNED-PAYLOAD} (and
 * {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}) is checked as such, for S3 only: for any other service the body must be
 * signed. Every {@code x-amz-*} header the request carries must be signed, as AWS requires.
 *
 * <p>The refusals are AWS's, in the words of the service's protocol family ({@link AuthErrors}).
 */
final class SignatureCheck {
    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final List<String> UNSIGNED_PAYLOADS = List.of("UNSIGNED-PAYLOAD", AwsChunked.UNSIGNED_TRAILER);
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final LocalCredentials credentials;
    private final Clock wallClock;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    SignatureCheck(LocalCredentials credentials, Clock wallClock) {
        this.credentials = credentials;
        this.wallClock = wallClock;
    }

    /**
     * Null when the request is signed with this endpoint's credentials; otherwise the error to answer with.
     *
     * @param headers the request's headers, names in any case
     */
    /**
     * The checks that need no body (a signature is there, names this endpoint's key, signs every x-amz-* header, is
     * fresh), so that a caller who cannot sign is refused before its body is read; null when they pass.
     */
    AwsError checkHead(URI uri, Map<String, List<String>> headers, AuthErrors errors) {
        return head(uri, headers, errors).error();
    }

    /** What the head of a request says about its signature: its parts and time, or why it is refused. */
    private record Head(Authorization given, Instant signedAt, AwsError error) {
        static Head refused(AwsError error) {
            return new Head(null, null, error);
        }
    }

    AwsError check(String method, URI uri, Map<String, List<String>> headers, byte[] body, AuthErrors errors) {
        Head head = head(uri, headers, errors);
        if (head.error() != null) {
            return head.error();
        }
        Authorization given = head.given();
        Instant signedAt = head.signedAt();
        String expected = recompute(method, uri, headers, body, given, signedAt);
        if (expected == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.signature().getBytes(StandardCharsets.US_ASCII))) {
            return errors.badSignature("The request signature we calculated does not match the signature you provided."
                    + " Check your AWS Secret Access Key and signing method (for fleetrun serve: eval \"$(./fleetrun env)\").");
        }
        return null;
    }

    private Head head(URI uri, Map<String, List<String>> headers, AuthErrors errors) {
        String authorization = header(headers, "Authorization");
        if (authorization == null) {
            if (uri.getRawQuery() != null && uri.getRawQuery().contains("X-Amz-Signature=")) {
                return Head.refused(errors.incomplete("pre-signed URLs are not accepted here; sign the request's Authorization header"));
            }
            return Head.refused(errors.missing());
        }
        Authorization given;
        try {
            given = Authorization.parse(authorization);
        } catch (IllegalArgumentException e) {
            return Head.refused(errors.incomplete(e.getMessage()));
        }
        if (!given.accessKeyId().equals(credentials.accessKeyId())) {
            return Head.refused(errors.unknownKey());
        }
        // As AWS requires: every x-amz-* header sent is signed. An unsigned one could be added to a captured request,
        // and X-Amz-Target picks the operation: an S3 request would become, say, a StartExecution.
        List<String> unsigned = headers.keySet().stream().map(name -> name.toLowerCase(Locale.ROOT))
                .filter(name -> name.startsWith("x-amz-") && !given.signedHeaders().contains(name)).sorted().toList();
        if (!unsigned.isEmpty()) {
            return Head.refused(errors.incomplete("there were headers present in the request which were not signed: "
                    + String.join(", ", unsigned) + " (every x-amz-* header must be among SignedHeaders)"));
        }
        // An unsigned payload leaves the body free: a captured signature would carry any other body. Only S3 takes one.
        String payloadHash = header(headers, "x-amz-content-sha256");
        if (payloadHash != null && UNSIGNED_PAYLOADS.contains(payloadHash.trim()) && !"s3".equals(given.service())) {
            return Head.refused(errors.incomplete("x-amz-content-sha256 " + payloadHash.trim() + " is accepted for S3 only;"
                    + " sign the payload of a request to " + given.service()));
        }
        Instant signedAt;
        try {
            signedAt = signedAt(headers, given);
        } catch (IllegalArgumentException e) {
            return Head.refused(errors.incomplete(e.getMessage()));
        }
        Instant now = wallClock.instant();
        if (signedAt.isBefore(now.minus(MAX_SKEW))) {
            return Head.refused(errors.badSignature("Signature expired: " + AMZ_DATE.format(signedAt)
                    + " is now earlier than " + AMZ_DATE.format(now.minus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " - 15 min.)"));
        }
        if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            return Head.refused(errors.badSignature("Signature not yet current: " + AMZ_DATE.format(signedAt)
                    + " is still later than " + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " + 15 min.)"));
        }
        return new Head(given, signedAt, null);
    }

    /** The signature the SDK's signer makes for this request, or null when the request lacks a header it signed. */
    private String recompute(String method, URI uri, Map<String, List<String>> headers, byte[] body, Authorization given,
                             Instant signedAt) {
        String host = header(headers, "Host");
        if (host == null) {
            return null;
        }
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(method.toUpperCase(Locale.ROOT)))
                .uri(URI.create("http://" + host + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())));
        query(uri.getRawQuery()).forEach((name, values) -> values.forEach(v -> request.appendRawQueryParameter(name, v)));
        for (String name : given.signedHeaders()) {
            List<String> values = values(headers, name);
            if (values == null) {
                return null;
            }
            request.putHeader(name, values);
        }
        if (!given.signedHeaders().contains("x-amz-content-sha256")) {
            return classicSignature(request, body, given, signedAt);
        }
        boolean s3 = "s3".equals(given.service());
        String payloadHash = header(headers, "x-amz-content-sha256");
        boolean streaming = AwsChunked.isChunked(headers);
        boolean unsignedPayload = "UNSIGNED-PAYLOAD".equals(payloadHash) || AwsChunked.UNSIGNED_TRAILER.equals(payloadHash);
        byte[] payload = body;
        if (streaming) {
            // The seed signature covers the headers; the chunks carry their own signatures, chained to it. The SDK's
            // signer frames the decoded payload again: the request is the SDK's own only if the bytes are the same.
            AwsChunked.Decoded decoded;
            try {
                decoded = AwsChunked.decode(body);
            } catch (IllegalArgumentException e) {
                return null;
            }
            payload = decoded.payload();
            // The signer adds Content-Encoding: aws-chunked itself, after the encodings the payload already had.
            List<String> encodings = values(headers, "Content-Encoding");
            if (encodings != null) {
                List<String> others = encodings.stream().flatMap(v -> Arrays.stream(v.split(",")))
                        .map(String::trim).filter(v -> !v.isEmpty() && !v.equalsIgnoreCase("aws-chunked")).toList();
                request.removeHeader("Content-Encoding");
                if (!others.isEmpty()) {
                    request.putHeader("Content-Encoding", String.join(",", others));
                }
            }
            for (String trailer : String.valueOf(header(headers, "x-amz-trailer")).split(",")) {
                String value = decoded.trailers().get(trailer.trim().toLowerCase(Locale.ROOT));
                if (value != null) {
                    request.putHeader(trailer.trim(), value);
                }
            }
        }
        if (unsignedPayload) {
            // The SDK signs every payload sent over plain HTTP; a client that did not (over TLS elsewhere) is checked as such.
            request.protocol("https");
        }
        byte[] signedPayload = payload;
        SignedRequest signed = signer.sign(r -> r
                .identity(AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey()))
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArray(signedPayload))
                .putProperty(AwsV4HttpSigner.REGION_NAME, given.region())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, given.service())
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, !s3)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, !s3)
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, !unsignedPayload)
                .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, streaming)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
        Authorization mine = Authorization.parse(signed.request().firstMatchingHeader("Authorization").orElseThrow());
        if (!mine.signedHeaders().equals(given.signedHeaders())) {
            return null;
        }
        if (streaming && !Arrays.equals(framed(signed), body)) {
            return null;
        }
        return mine.signature();
    }

    private static byte[] framed(SignedRequest signed) {
        try (var in = signed.payload().orElseThrow().newStream()) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The signature of the SDK's classic signer, which signs the headers it is given and no others. */
    @SuppressWarnings("deprecation")
    private String classicSignature(SdkHttpRequest.Builder request, byte[] body, Authorization given, Instant signedAt) {
        SdkHttpFullRequest full = SdkHttpFullRequest.builder()
                .method(request.method()).protocol(request.protocol()).host(request.host()).port(request.port())
                .encodedPath(request.encodedPath()).rawQueryParameters(request.rawQueryParameters())
                .headers(request.headers()).contentStreamProvider(ContentStreamProvider.fromByteArray(body)).build();
        Aws4SignerParams params = Aws4SignerParams.builder()
                .awsCredentials(AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey()))
                .signingName(given.service()).signingRegion(Region.of(given.region()))
                .doubleUrlEncode(!"s3".equals(given.service()))
                .signingClockOverride(Clock.fixed(signedAt, ZoneOffset.UTC)).build();
        SdkHttpFullRequest signed = Aws4Signer.create().sign(full, params);
        Authorization mine = Authorization.parse(signed.firstMatchingHeader("Authorization").orElseThrow());
        return mine.signedHeaders().equals(given.signedHeaders()) ? mine.signature() : null;
    }

    private static Instant signedAt(Map<String, List<String>> headers, Authorization given) {
        String amzDate = header(headers, "X-Amz-Date");
        if (amzDate != null) {
            if (!given.signedHeaders().contains("x-amz-date")) {
                throw new IllegalArgumentException("the X-Amz-Date header must be signed");
            }
            try {
                return Instant.from(AMZ_DATE.parse(amzDate.trim()));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("X-Amz-Date '" + amzDate + "' is not a date of the form 20261207T120000Z");
            }
        }
        String date = header(headers, "Date");
        if (date == null || !given.signedHeaders().contains("date")) {
            throw new IllegalArgumentException("the request has no signed X-Amz-Date (or Date) header");
        }
        try {
            return ZonedDateTime.parse(date.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Date '" + date + "' is not an RFC 1123 date");
        }
    }

    private static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(value);
        }
        return params;
    }

    static String header(Map<String, List<String>> headers, String name) {
        List<String> values = values(headers, name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static List<String> values(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The parts of an {@code Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...} header. */
    record Authorization(String accessKeyId, String region, String service, List<String> signedHeaders, String signature) {
        static Authorization parse(String header) {
            String text = header.trim();
            if (!text.startsWith(ALGORITHM + " ")) {
                throw new IllegalArgumentException("the Authorization header must use " + ALGORITHM
                        + " (AWS Signature Version 4); it begins '" + text.split(" ", 2)[0] + "'");
            }
            Map<String, String> parts = new LinkedHashMap<>();
            for (String part : text.substring(ALGORITHM.length()).split(",")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
                }
            }
            for (String required : List.of("Credential", "SignedHeaders", "Signature")) {
                if (!parts.containsKey(required) || parts.get(required).isEmpty()) {
                    throw new IllegalArgumentException("Authorization header requires '" + required + "' parameter.");
                }
            }
            String[] scope = parts.get("Credential").split("/");
            if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
                throw new IllegalArgumentException("Credential should be scoped to a valid region, and to a service:"
                        + " KEY/yyyyMMdd/REGION/SERVICE/aws4_request, not '" + parts.get("Credential") + "'");
            }
            List<String> signedHeaders = Arrays.stream(parts.get("SignedHeaders").split(";"))
                    .map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
            return new Authorization(scope[0], scope[2], scope[3], signedHeaders, parts.get("Signature"));
        }
    }
}
