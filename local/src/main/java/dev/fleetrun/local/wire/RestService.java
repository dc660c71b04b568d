package dev.fleetrun.local.wire;

/**
 * A service that speaks a REST protocol (S3's REST-XML): it has no {@code X-Amz-Target}, RPC path or Query
 * {@code Action}, its operation is the method and the path. An {@link AwsServer} routes to its REST service
 * every request that names no other protocol (see {@link AwsServer#restService}), after the same
 * {@link Callers} checks as every other request.
 */
public interface RestService {
    /** The name requests are recorded under ("s3"). */
    String name();

    /** The operation a request calls (PutObject, ListObjectsV2 ...), for the record and for errors. */
    String operation(RestRequest request);

    /** Answers one request; a caller's fault is answered in the protocol's error shape, never thrown. */
    Answer answer(RestRequest request, String requestId);

    /** An answer, and the error code it carries (null for a success), for the record. */
    record Answer(WireResponse response, String errorCode) {
    }

    /** The error answer for a request refused before it reached the service (a foreign Host, a bad signature). */
    WireResponse encodeError(RestRequest request, AwsError error, String requestId);

    /** How the service words a refused caller. */
    AuthErrors authErrors();
}
